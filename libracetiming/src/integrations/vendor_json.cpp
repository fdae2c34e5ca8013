#include "integrations/vendor_json.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <rapidjson/error/en.h>

#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"
#include "text/lower.hpp"

namespace racetiming::integrations {

std::string_view to_string(Provider provider) noexcept {
  switch (provider) {
    case Provider::runsignup: return "runsignup";
    case Provider::chronotrack: return "chronotrack";
    case Provider::raceroster: return "raceroster";
  }
  return "runsignup";
}

std::optional<Provider> provider_named(std::string_view name) noexcept {
  for (Provider p : {Provider::runsignup, Provider::chronotrack, Provider::raceroster})
    if (to_string(p) == name) return p;
  return std::nullopt;
}

Provider parse_provider(std::string_view name, const char* parameter) {
  if (auto p = provider_named(name)) return *p;
  throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be runsignup, chronotrack or raceroster", parameter), parameter);
}

std::optional<std::int32_t> distance_from_label(std::string_view label) noexcept {
  const std::string s = text::lower(label);
  auto trimmed = [](std::string_view v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
    return v;
  };
  const std::string_view t = trimmed(s);
  if (t == "marathon" || t == "full marathon") return 42195;
  if (t == "half marathon" || t == "half-marathon" || t == "half") return 21098;
  // a number, then a unit (none: metres)
  double value = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || value <= 0) return std::nullopt;
  const std::string_view unit = trimmed(std::string_view(end, static_cast<std::size_t>(t.data() + t.size() - end)));
  double metres = 0;
  if (unit.empty() || unit == "m" || unit == "meters" || unit == "metres") {
    metres = value;
  } else if (unit == "k" || unit == "km" || unit == "kilometers" || unit == "kilometres") {
    metres = value * 1000;
  } else if (unit == "mi" || unit == "mile" || unit == "miles" || unit == "m.") {
    // the usual mile distances are the metric races they stand for (3.1 miles is the 5K)
    if (std::abs(value - 26.2) < 0.01) return 42195;
    if (std::abs(value - 13.1) < 0.01) return 21098;
    if (std::abs(value - 6.2) < 0.01) return 10000;
    if (std::abs(value - 3.1) < 0.01) return 5000;
    metres = value * 1609.344;
  } else {
    return std::nullopt;
  }
  if (metres < 1 || metres > 1'000'000) return std::nullopt;
  return static_cast<std::int32_t>(std::lround(metres));
}

namespace detail {

std::string text(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return {};
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return {};
  const auto& v = it->value;
  if (v.IsString()) return {v.GetString(), v.GetStringLength()};
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) return fmt::format("{}", v.GetDouble());
  return {};
}

const rapidjson::Value* object_member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsObject() ? &it->value : nullptr;
}

const rapidjson::Value* array_member(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

std::optional<std::int64_t> race_time_ms(std::string_view t) noexcept {
  const auto colons = std::count(t.begin(), t.end(), ':');
  if (colons == 2) {
    if (t.size() > 1 && t[0] == '0' && t[1] != ':') t.remove_prefix(1);  // "00:17:18"
    return sport::parse_duration_ms(t);
  }
  if (colons != 1) return std::nullopt;
  const auto colon = t.find(':');
  if (colon == 0 || colon > 2) return std::nullopt;
  std::string whole = "0:";
  if (colon == 1) whole += '0';
  whole += t;
  return sport::parse_duration_ms(whole);
}

char gender_of(std::string_view g) noexcept {
  const std::string s = text::lower(g);
  if (s == "m" || s == "male" || s == "man" || s == "men") return 'M';
  if (s == "f" || s == "female" || s == "woman" || s == "women" || s == "w") return 'F';
  return 'X';
}

rapidjson::Document parse_document(Provider provider, std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    throw Error(ErrorCode::invalid_input, fmt::format("the {} document is not JSON: {} at byte {}", to_string(provider),
                                                      rapidjson::GetParseError_En(doc.GetParseError()), doc.GetErrorOffset()));
  return doc;
}

rapidjson::Document answer_document(Provider provider, const std::string& path, std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError())
    throw Error(ErrorCode::unavailable, fmt::format("{}: {} answered something not JSON", to_string(provider), path));
  return doc;
}

ingest::Entry entry_of(const RaceContext& race) {
  ingest::Entry e;
  e.event_name = race.event_name;
  e.event_date = race.event_date;
  e.event_city = race.event_city;
  e.event_state = race.event_state;
  e.event_country = race.event_country;
  e.event_external_id = race.event_external_id;
  e.race_name = race.race_name;
  e.race_distance_m = race.race_distance_m;
  e.race_external_id = race.race_external_id;
  return e;
}

std::string validate(ingest::Entry& e) {
  if (e.bib.empty()) return "has no bib";
  if (e.first_name.empty() && e.last_name.empty()) return fmt::format("bib {} has no name", e.bib);
  if (e.age < 0 || e.age > 120) return fmt::format("bib {}: age {} is not 1-120", e.bib, e.age);
  if (e.status == "finished" && !e.chip_time_ms) return fmt::format("bib {} finished without a time", e.bib);
  return {};
}

}  // namespace detail
}  // namespace racetiming::integrations
