#include "racetiming/format/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/internal/dtoa.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/format/printed_columns.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::format {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

// Rows are written by hand rather than through RapidJSON's Writer: they are most of every answer, and
// a row's keys are the same for the whole result, so they are escaped once into fragments. The text
// is what RapidJSON writes: quote, backslash and control characters escaped, nothing else.
//
// Text goes through a cursor into room made ahead (the worst case of what is written next), so that a
// byte costs a store, not a call that checks the capacity of a std::string.
class JsonText {
  // True when any of the eight bytes of w is below 0x20, a quote or a backslash (the classic SWAR tests
  // for "some byte is less than n" and "some byte is zero"; exact for the question "any").
  static constexpr bool needs_escape(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
    const auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
    return (((w - kOnes * 0x20) & ~w & kHighs) | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'))) != 0;
  }
  // The escape of a byte below 0x20, a quote or a backslash.
  static char* escape(unsigned char c, char* p) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\b': *p++ = 'b'; break;
      case '\f': *p++ = 'f'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      default: p = std::copy_n("u00", 3, p); *p++ = kHex[c >> 4]; *p++ = kHex[c & 15];
    }
    return p;
  }

 public:
  explicit JsonText(std::size_t expected) : text_(std::max<std::size_t>(expected, 64), '\0') {}

  // Room for n more bytes where the text ends; advance_to() then marks how much was written.
  char* room(std::size_t n) {
    if (text_.size() - used_ < n) text_.resize(std::max(2 * text_.size(), used_ + n));
    return text_.data() + used_;
  }
  void advance_to(const char* end) { used_ = static_cast<std::size_t>(end - text_.data()); }

  void raw(std::string_view s) { advance_to(std::copy(s.begin(), s.end(), room(s.size()))); }
  void string(std::string_view s) {
    char* p = room(6 * s.size() + 2);
    *p++ = '"';
    const char* in = s.data();
    const char* const end = in + s.size();
    // eight plain bytes at a time while there are: most text has nothing to escape
    while (end - in >= 8) {
      std::uint64_t block;
      std::memcpy(&block, in, 8);
      if (needs_escape(block)) break;
      std::memcpy(p, in, 8);
      in += 8;
      p += 8;
    }
    for (; in < end; ++in) {
      const auto c = static_cast<unsigned char>(*in);
      if (c >= 0x20 && c != '"' && c != '\\')
        *p++ = *in;
      else
        p = escape(c, p);
    }
    *p++ = '"';
    advance_to(p);
  }
  void value(const CellView& v) {
    if (const auto* text = std::get_if<std::string_view>(&v)) {
      string(*text);
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      char* p = room(24);
      advance_to(std::to_chars(p, p + 24, *i).ptr);
    } else if (const auto* d = std::get_if<double>(&v)) {
      if (!std::isfinite(*d)) return raw("null");  // JSON has no NaN or infinity
      // the shortest text that reads back as the same double, as RapidJSON's Writer prints it
      advance_to(rapidjson::internal::dtoa(*d, room(32)));
    } else {
      raw("null");
    }
  }
  std::string take() && {
    text_.resize(used_);
    return std::move(text_);
  }

 private:
  std::string text_;
  std::size_t used_ = 0;
};

// How a result's rows are written, decided once per result: each column's key fragment (`"name":`, with
// the comma before it), and what it adds beside its own value: `*_time_ms` also as H:MM:SS under the
// name without `_ms`, `pace_ms_per_km` also as M:SS per km and per mile.
class RowsJson {
 public:
  explicit RowsJson(const RowsView& rows) {
    columns_.reserve(rows.column_count());
    for (std::size_t i = 0; i < rows.column_count(); ++i) {
      const std::string_view name = rows.column_name(i);
      Column c;
      c.key = fragment(name, columns_.empty());
      switch (printed_form(name)) {
        case Printed::duration:
          c.extra = Extra::duration;
          c.derived = fragment(printed_name(name), false);
          break;
        case Printed::pace: c.extra = Extra::pace; break;
        case Printed::flag: c.extra = Extra::flag; break;
        case Printed::none: break;
      }
      columns_.push_back(std::move(c));
    }
  }

  // A guess at a row's size, for reserving.
  std::size_t row_size() const { return 2 + columns_.size() * 32; }

  void row(JsonText& out, const RowsView& rows, std::size_t r) const {
    out.raw("{");
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const Column& column = columns_[c];
      const CellView cell = rows.cell(r, c);
      out.raw(column.key);
      if (column.extra == Extra::flag) {
        const std::optional<std::int64_t> flag = as_int(cell);
        out.raw(!flag ? "null" : *flag != 0 ? "true" : "false");
        continue;
      }
      out.value(cell);
      const auto ms = column.extra == Extra::none ? std::nullopt : as_int(cell);
      switch (column.extra) {
        case Extra::none:
        case Extra::flag: break;
        case Extra::duration: text_or_null(out, column.derived, ms, sport::format_duration); break;
        case Extra::pace:
          text_or_null(out, ",\"pace_per_km\":", ms, sport::format_pace);
          text_or_null(out, ",\"pace_per_mile\":", ms, pace_per_mile);
          break;
      }
    }
    out.raw("}");
  }

  // The first `limit` rows, as an array.
  void rows(JsonText& out, const RowsView& rows, std::size_t limit) const {
    out.raw("[");
    for (std::size_t r = 0; r < std::min(limit, rows.row_count()); ++r) {
      if (r > 0) out.raw(",");
      row(out, rows, r);
    }
    out.raw("]");
  }

 private:
  enum class Extra { none, duration, pace, flag };
  struct Column {
    std::string key, derived;
    Extra extra = Extra::none;
  };

  static std::string fragment(std::string_view name, bool first) {
    JsonText out(0);
    if (!first) out.raw(",");
    out.string(name);
    out.raw(":");
    return std::move(out).take();
  }
  static std::string pace_per_mile(std::int64_t ms_per_km) { return sport::format_pace(sport::mile_pace_from_km(ms_per_km)); }
  static void text_or_null(JsonText& out, std::string_view key, const std::optional<std::int64_t>& ms,
                           std::string (*format)(std::int64_t)) {
    out.raw(key);
    if (ms)
      out.string(format(*ms));
    else
      out.raw("null");
  }

  std::vector<Column> columns_;
};

std::string rows_json(const RowsView& rows, std::size_t limit = std::numeric_limits<std::size_t>::max()) {
  const RowsJson writer(rows);
  JsonText out(2 + std::min(limit, rows.row_count()) * writer.row_size());
  writer.rows(out, rows, limit);
  return std::move(out).take();
}

}  // namespace

std::string page_json(const RowsView& rows, std::size_t limit, std::string_view next_cursor) {
  const RowsJson writer(rows);
  // sized for the page up front: growing a buffer of tens of kilobytes by halves copies it many times
  JsonText out(64 + next_cursor.size() + std::min(limit, rows.row_count()) * writer.row_size());
  out.raw(R"({"data":)");
  writer.rows(out, rows, limit);
  out.raw(R"(,"next_cursor":)");
  if (next_cursor.empty())
    out.raw("null");
  else
    out.string(next_cursor);
  out.raw("}");
  return std::move(out).take();
}

std::string page_json(const Page& page) {
  return page_json(ResultSetView(page.rows), page.rows.rows.size(), page.next_cursor);
}

std::string report_json(const Report& report) {
  std::string out = R"({"kind":)";
  {
    JsonText kind(report.kind.size() + 2);
    kind.string(report.kind);
    out += std::move(kind).take();
  }
  auto table = [&out](std::string_view name, const ResultSet& rows) {
    JsonText key(name.size() + 4);
    key.raw(",");
    key.string(name);
    key.raw(":");
    out += std::move(key).take();
    out += rows_json(ResultSetView(rows));
  };
  table("races", report.races);
  for (const auto& [name, rows] : report.tables) table(name, rows);
  out += "}";
  return out;
}

std::string row_json(const ResultSet& rows, std::size_t r) {
  if (r >= rows.rows.size()) throw Error(ErrorCode::internal, "no such row");
  const ResultSetView view(rows);
  JsonText out(256);
  RowsJson(view).row(out, view, r);
  return std::move(out).take();
}

std::string answer_json(const nl::Answer& a) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  auto text = [&w](std::string_view k, std::string_view v) {
    key(w, k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto raw = [&w](std::string_view k, const std::string& json, rapidjson::Type type) {
    key(w, k);
    w.RawValue(json.data(), json.size(), type);
  };
  w.StartObject();
  text("query", a.question);
  text("intent", nl::to_string(a.intent));
  text("engine", a.engine);
  raw("entities", a.entities_json, rapidjson::kObjectType);
  text("template", a.template_name);
  key(w, "confidence");
  w.Double(a.confidence);
  text("sql_generated", a.sql.text);
  JsonText params(64);
  params.raw("[");
  for (std::size_t i = 0; i < a.sql.params.size(); ++i) {
    if (i > 0) params.raw(",");
    params.value(to_cell_view(a.sql.params[i]));
  }
  params.raw("]");
  raw("params", std::move(params).take(), rapidjson::kArrayType);
  key(w, "columns");
  w.StartArray();
  for (const auto& c : a.rows.columns) w.String(c.c_str());
  w.EndArray();
  raw("results", rows_json(ResultSetView(a.rows)), rapidjson::kArrayType);
  text("summary", a.summary);
  text("interpretation", a.interpretation);
  raw("context", nl::follow_up_json(a.context), rapidjson::kObjectType);
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
  count("removed", report.removed);
  count("skipped", report.skipped);
  count("events", report.events);
  count("races", report.races);
  key(w, "errors");
  w.StartArray();
  for (const auto& e : report.errors) {
    w.StartObject();
    count("line", e.line);
    key(w, "column");
    if (e.column.empty()) w.Null(); else w.String(e.column.c_str(), static_cast<rapidjson::SizeType>(e.column.size()));
    key(w, "message");
    w.String(e.message.c_str(), static_cast<rapidjson::SizeType>(e.message.size()));
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
