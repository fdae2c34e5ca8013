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

void row(Writer& w, const ResultSet& rs, std::size_t r) {
  w.StartObject();
  for (std::size_t c = 0; c < rs.columns.size(); ++c) {
    const std::string& name = rs.columns[c];
    const Value& v = rs.rows[r][c];
    key(w, name);
    value(w, v);
    const auto ms = as_int(v);
    if (name.ends_with("_time_ms")) {
      key(w, std::string_view(name).substr(0, name.size() - 3));
      if (ms) {
        const auto text = sport::format_duration(*ms);
        w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
      } else {
        w.Null();
      }
    } else if (name == "pace_ms_per_km") {
      key(w, "pace_per_km");
      if (ms) w.String(sport::format_pace(*ms).c_str()); else w.Null();
      key(w, "pace_per_mile");
      if (ms) w.String(sport::format_pace(*ms * 1609344 / 1000000).c_str()); else w.Null();
    }
  }
  w.EndObject();
}

}  // namespace

std::string page_json(const Page& page) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  key(w, "data");
  w.StartArray();
  for (std::size_t r = 0; r < page.rows.rows.size(); ++r) row(w, page.rows, r);
  w.EndArray();
  key(w, "next_cursor");
  if (page.next_cursor.empty()) w.Null(); else w.String(page.next_cursor.c_str());
  w.EndObject();
  return buffer.GetString();
}

std::string row_json(const ResultSet& rows, std::size_t r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  row(w, rows, r);
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
  w.StartArray();
  for (std::size_t r = 0; r < a.rows.rows.size(); ++r) row(w, a.rows, r);
  w.EndArray();
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
