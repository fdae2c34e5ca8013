#include "output.hpp"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace racetiming::cli {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write(Writer& w, const std::vector<std::pair<std::string, Record::Field>>& fields) {
  w.StartObject();
  for (const auto& [key, value] : fields) {
    w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      w.Int64(*i);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      w.String(s->c_str(), static_cast<rapidjson::SizeType>(s->size()));
    } else {
      w.StartArray();
      for (const auto& item : std::get<std::vector<std::string>>(value))
        w.String(item.c_str(), static_cast<rapidjson::SizeType>(item.size()));
      w.EndArray();
    }
  }
  w.EndObject();
}

}  // namespace

std::string Record::json() const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write(w, fields_);
  return buffer.GetString();
}

std::string Record::text() const {
  std::string out;
  for (const auto& [key, value] : fields_) {
    std::string shown;
    if (const auto* i = std::get_if<std::int64_t>(&value))
      shown = std::to_string(*i);
    else if (const auto* s = std::get_if<std::string>(&value))
      shown = *s;
    else
      shown = fmt::format("{}", fmt::join(std::get<std::vector<std::string>>(value), ", "));
    out += fmt::format("{}: {}\n", key, shown);
  }
  return out;
}

std::string json_list(std::string_view key, const std::vector<Record>& records) {
  std::string out = fmt::format("{{\"{}\":[", key);
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i) out += ',';
    out += records[i].json();
  }
  return out + "]}";
}

}  // namespace racetiming::cli
