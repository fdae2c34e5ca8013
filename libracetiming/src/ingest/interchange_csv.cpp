#include "racetiming/ingest/interchange_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <unordered_set>
#include <variant>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/sport/dates.hpp"
#include "racetiming/sport/durations.hpp"
#include "text/lower.hpp"
#include "text/utf8.hpp"

namespace racetiming::ingest {
namespace {

using text::lower;

enum Column : int {
  event_name, event_date, event_city, event_state, event_country, event_external_id, race_name, race_distance_m,
  bib, first_name, last_name, gender, age, city, state, country, team, status, chip_time, gun_time, splits,
  column_count
};

struct ColumnSpec {
  std::string_view name;
  bool required;
};

constexpr std::array<ColumnSpec, column_count> kColumns{{
    {"event_name", true}, {"event_date", true}, {"event_city", false}, {"event_state", false},
    {"event_country", false}, {"event_external_id", false}, {"race_name", true}, {"race_distance_m", true},
    {"bib", true}, {"first_name", true}, {"last_name", true}, {"gender", true}, {"age", true}, {"city", false},
    {"state", false}, {"country", false}, {"team", false}, {"status", true}, {"chip_time", false},
    {"gun_time", false}, {"splits", false},
}};

constexpr std::size_t kMaxFieldBytes = 256;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <class Int>
std::optional<Int> parse_int(std::string_view s) {
  Int v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Validates one record; returns the entry, or the first problem found.
std::variant<Entry, RowError> read_entry(const std::vector<std::string>& fields, const std::array<int, column_count>& at,
                                         std::size_t line) {
  auto get = [&](Column c) -> std::string_view { return at[c] < 0 ? std::string_view{} : trim(fields[at[c]]); };
  auto err = [&](Column c, std::string message) { return RowError{line, std::string(kColumns[c].name), std::move(message)}; };

  for (int c = 0; c < column_count; ++c) {
    auto v = get(static_cast<Column>(c));
    if (kColumns[c].required && v.empty()) return err(static_cast<Column>(c), "is required");
    if (v.size() > kMaxFieldBytes && c != splits) return err(static_cast<Column>(c), fmt::format("is longer than {} bytes", kMaxFieldBytes));
    if (!text::is_utf8_text(v)) return err(static_cast<Column>(c), "is not valid UTF-8");
  }

  Entry e;
  e.line = line;
  e.event_name = get(event_name);
  e.event_date = get(event_date);
  if (!sport::is_iso_date(e.event_date)) return err(event_date, fmt::format("'{}' is not a date (YYYY-MM-DD)", text::echo(e.event_date)));
  e.event_city = get(event_city);
  e.event_state = get(event_state);
  e.event_country = get(event_country);
  e.event_external_id = get(event_external_id);
  e.race_name = get(race_name);
  auto distance = parse_int<std::int32_t>(get(race_distance_m));
  if (!distance || *distance <= 0 || *distance > 1'000'000)
    return err(race_distance_m, fmt::format("'{}' is not a distance in metres", text::echo(get(race_distance_m))));
  e.race_distance_m = *distance;
  e.bib = get(bib);
  e.first_name = get(first_name);
  e.last_name = get(last_name);
  const std::string g = lower(get(gender));
  if (g != "m" && g != "f" && g != "x") return err(gender, fmt::format("'{}' is not M, F or X", text::echo(get(gender))));
  e.gender = static_cast<char>(std::toupper(g[0]));
  auto a = parse_int<int>(get(age));
  if (!a || *a < 1 || *a > 120) return err(age, fmt::format("'{}' is not an age (1-120)", text::echo(get(age))));
  e.age = *a;
  e.city = get(city);
  e.state = get(state);
  e.country = get(country);
  e.team = get(team);
  e.status = lower(get(status));
  if (e.status != "finished" && e.status != "dnf" && e.status != "dns" && e.status != "dq")
    return err(status, fmt::format("'{}' is not finished, dnf, dns or dq", text::echo(get(status))));

  if (auto chip = get(chip_time); !chip.empty()) {
    e.chip_time_ms = sport::parse_duration_ms(chip);
    if (!e.chip_time_ms) return err(chip_time, fmt::format("'{}' is not a time (H:MM:SS)", text::echo(chip)));
    if (e.status == "dnf" || e.status == "dns") return err(chip_time, fmt::format("is set for a {} entry", e.status));
  } else if (e.status == "finished") {
    return err(chip_time, "is required for a finished entry");
  }
  if (auto gun = get(gun_time); !gun.empty()) {
    e.gun_time_ms = sport::parse_duration_ms(gun);
    if (!e.gun_time_ms) return err(gun_time, fmt::format("'{}' is not a time (H:MM:SS)", text::echo(gun)));
  }

  std::string_view rest = get(splits);
  std::unordered_set<std::string> seen;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view part = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    if (part.empty()) continue;
    const auto at_sign = part.find('@'), eq = part.find('=');
    if (at_sign == std::string_view::npos || eq == std::string_view::npos || eq < at_sign || at_sign == 0)
      return err(splits, fmt::format("'{}' is not NAME@METRES=H:MM:SS", text::echo(part)));
    Split s;
    s.name = trim(part.substr(0, at_sign));
    auto metres = parse_int<std::int32_t>(trim(part.substr(at_sign + 1, eq - at_sign - 1)));
    auto time = sport::parse_duration_ms(trim(part.substr(eq + 1)));
    if (!metres || *metres <= 0 || *metres >= e.race_distance_m)
      return err(splits, fmt::format("split '{}' has no distance inside the race", text::echo(s.name)));
    if (!time) return err(splits, fmt::format("split '{}' has no valid time", text::echo(s.name)));
    if (lower(s.name) == "finish") return err(splits, "a split may not be named FINISH");
    if (!seen.insert(s.name).second) return err(splits, fmt::format("split '{}' appears twice", text::echo(s.name)));
    s.distance_m = *metres;
    s.time_ms = *time;
    e.splits.push_back(std::move(s));
  }
  return e;
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte-order mark is not part of the header
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  // skip blank lines between records
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  std::string field;
  bool quoted = false, was_quoted = false;
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (quoted) {
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';
          ++pos_;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line_;
        field += c;
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      break;
    } else {
      field += c;
    }
  }
  if (quoted) throw Error(ErrorCode::invalid_input, fmt::format("line {}: unterminated quoted field", record_line_));
  fields.push_back(std::move(field));
  return true;
}

InterchangeReader::InterchangeReader(std::string_view text, const CsvOptions& options) : reader_(text) {
  auto& fields = fields_;
  if (!reader_.next(fields)) throw Error(ErrorCode::invalid_input, "the file is empty: a header row is required");
  at_.assign(column_count, -1);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string name = lower(trim(fields[i]));
    auto it = std::find_if(kColumns.begin(), kColumns.end(), [&](const ColumnSpec& c) { return c.name == name; });
    if (it == kColumns.end()) {
      if (options.ignore_unknown_columns) continue;
      throw Error(ErrorCode::invalid_input,
                  fmt::format("line 1: unknown column '{}' (use --ignore-unknown-columns to skip it)", text::echo(fields[i])),
                  text::echo(fields[i], 64));
    }
    auto& slot = at_[static_cast<std::size_t>(it - kColumns.begin())];
    if (slot >= 0) throw Error(ErrorCode::invalid_input, fmt::format("line 1: column '{}' appears twice", name), name);  // a known column's name
    slot = static_cast<int>(i);
  }
  for (int c = 0; c < column_count; ++c)
    if (kColumns[c].required && at_[c] < 0)
      throw Error(ErrorCode::invalid_input, fmt::format("line 1: required column '{}' is missing", kColumns[c].name),
                  std::string(kColumns[c].name));
  width_ = fields.size();
}

bool InterchangeReader::next(ParsedFile& chunk, std::size_t max_rows) {
  chunk.entries.clear();
  chunk.errors.clear();
  chunk.rows_read = 0;
  std::array<int, column_count> at;
  std::copy(at_.begin(), at_.end(), at.begin());
  while (chunk.rows_read < max_rows && reader_.next(fields_)) {
    ++chunk.rows_read;
    if (fields_.size() != width_) {
      chunk.errors.push_back({reader_.line(), "", fmt::format("has {} fields, the header has {}", fields_.size(), width_)});
      continue;
    }
    auto result = read_entry(fields_, at, reader_.line());
    if (auto* e = std::get_if<Entry>(&result))
      chunk.entries.push_back(std::move(*e));
    else
      chunk.errors.push_back(std::move(std::get<RowError>(result)));
  }
  return chunk.rows_read > 0;
}

ParsedFile parse_interchange_csv(std::string_view text, const CsvOptions& options) {
  InterchangeReader reader(text, options);
  ParsedFile out;
  reader.next(out, std::numeric_limits<std::size_t>::max());
  return out;
}

}  // namespace racetiming::ingest
