#include "racetiming/format/json.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::format {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void value(Writer& w, const Value& v) {
  if (is_null(v)) {
    w.Null();
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    w.Int64(*i);
  } else if (const auto* d = std::get_if<double>(&v)) {
    w.Double(*d);
  } else {
    const auto& s = std::get<std::string>(v);
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
}

void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

// What a column adds beside its own value: `*_time_ms` also as H:MM:SS under the name without `_ms`,
// `pace_ms_per_km` also as M:SS per km and per mile. Decided once per result, not once per cell.
struct Column {
  std::string_view name;
  enum class Extra { none, duration, pace } extra = Extra::none;
};

std::vector<Column> columns_of(const ResultSet& rs) {
  std::vector<Column> out;
  out.reserve(rs.columns.size());
  for (const std::string& name : rs.columns) {
    auto extra = name.ends_with("_time_ms")    ? Column::Extra::duration
                 : name == "pace_ms_per_km" ? Column::Extra::pace
                                            : Column::Extra::none;
    out.push_back({name, extra});
  }
  return out;
}

void text_or_null(Writer& w, const std::optional<std::int64_t>& ms, std::string (*format)(std::int64_t)) {
  if (!ms) return static_cast<void>(w.Null());
  const std::string text = format(*ms);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string pace_per_mile(std::int64_t ms_per_km) { return sport::format_pace(ms_per_km * 1609344 / 1000000); }

void row(Writer& w, const std::vector<Column>& columns, const std::vector<Value>& cells) {
  w.StartObject();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& column = columns[c];
    key(w, column.name);
    value(w, cells[c]);
    switch (column.extra) {
      case Column::Extra::none: break;
      case Column::Extra::duration:
        key(w, column.name.substr(0, column.name.size() - 3));
        text_or_null(w, as_int(cells[c]), sport::format_duration);
        break;
      case Column::Extra::pace:
        key(w, "pace_per_km");
        text_or_null(w, as_int(cells[c]), sport::format_pace);
        key(w, "pace_per_mile");
        text_or_null(w, as_int(cells[c]), pace_per_mile);
        break;
    }
  }
  w.EndObject();
}

void rows(Writer& w, const ResultSet& rs) {
  const auto columns = columns_of(rs);
  w.StartArray();
  for (const auto& cells : rs.rows) row(w, columns, cells);
  w.EndArray();
}

}  // namespace

std::string page_json(const Page& page) {
  // sized for the page up front: growing a buffer of tens of kilobytes by halves copies it many times
  rapidjson::StringBuffer buffer(nullptr, 64 + page.rows.rows.size() * (page.rows.columns.size() * 32 + 2));
  Writer w(buffer);
  w.StartObject();
  key(w, "data");
  rows(w, page.rows);
  key(w, "next_cursor");
  if (page.next_cursor.empty()) w.Null(); else w.String(page.next_cursor.c_str());
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string row_json(const ResultSet& rows, std::size_t r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  row(w, columns_of(rows), rows.rows.at(r));
  return buffer.GetString();
}

std::string answer_json(const nl::Answer& a) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  auto text = [&w](std::string_view k, std::string_view v) {
    key(w, k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  text("query", a.question);
  text("intent", nl::to_string(a.intent));
  text("engine", a.engine);
  key(w, "entities");
  w.RawValue(a.entities_json.data(), a.entities_json.size(), rapidjson::kObjectType);
  text("template", a.template_name);
  key(w, "confidence");
  w.Double(a.confidence);
  text("sql_generated", a.sql.text);
  key(w, "params");
  w.StartArray();
  for (const auto& p : a.sql.params) value(w, p);
  w.EndArray();
  key(w, "columns");
  w.StartArray();
  for (const auto& c : a.rows.columns) w.String(c.c_str());
  w.EndArray();
  key(w, "results");
  rows(w, a.rows);
  text("summary", a.summary);
  key(w, "execution_time_ms");
  w.Double(a.execution_time_ms);
  key(w, "cached");
  w.Bool(a.cached);
  w.EndObject();
  return buffer.GetString();
}

std::string import_report_json(const ingest::ImportReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  auto count = [&w](std::string_view k, std::uint64_t v) {
    key(w, k);
    w.Uint64(v);
  };
  w.StartObject();
  key(w, "sync_run_id");
  w.Int64(report.sync_run_id);
  count("rows_read", report.rows_read);
  count("created", report.created);
  count("updated", report.updated);
  count("unchanged", report.unchanged);
  count("skipped", report.skipped);
  count("events", report.events);
  count("races", report.races);
  key(w, "errors");
  w.StartArray();
  for (const auto& e : report.errors) {
    w.StartObject();
    count("line", e.line);
    key(w, "column");
    value(w, e.column.empty() ? Value{} : Value{e.column});
    key(w, "message");
    value(w, Value{e.message});
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

service::FieldValues fields_from_json(std::string_view body, service::Resource r) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject())
    throw Error(ErrorCode::invalid_parameter, "the body must be a JSON object", "body");
  const auto specs = service::writable_fields(r);
  service::FieldValues out;
  for (const auto& member : d.GetObject()) {
    std::string name(member.name.GetString(), member.name.GetStringLength());
    const auto& v = member.value;
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const service::FieldSpec& f) { return f.name == name; });
    const bool boolean = spec != specs.end() && spec->type == service::FieldType::boolean;
    Value value;
    if (v.IsString()) {
      value = std::string(v.GetString(), v.GetStringLength());
    } else if (v.IsInt64() && !boolean) {
      value = v.GetInt64();
    } else if (v.IsBool() && boolean) {
      value = std::int64_t{v.GetBool() ? 1 : 0};
    } else if (!v.IsNull()) {
      throw Error(ErrorCode::invalid_parameter,
                  fmt::format("{} must be {}", name, boolean ? "true or false" : "a string, an integer or null"), name);
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

}  // namespace racetiming::format
