#include "racetiming/format/markdown.hpp"

#include <fmt/format.h>

#include "racetiming/sport/durations.hpp"

namespace racetiming::format {
namespace {

enum class Shown { as_is, time, pace };

void cell(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
}

}  // namespace

std::string rows_markdown(const ResultSet& rows, std::size_t max_rows) {
  std::string out;
  std::vector<Shown> shown(rows.columns.size(), Shown::as_is);
  out += '|';
  for (std::size_t c = 0; c < rows.columns.size(); ++c) {
    std::string_view name = rows.columns[c];
    if (name.ends_with("_time_ms")) {
      shown[c] = Shown::time;
      name.remove_suffix(3);
    } else if (name.starts_with("pace_ms_per_")) {
      shown[c] = Shown::pace;
      out += " pace_per_";
      cell(out, name.substr(12));
      out += " |";
      continue;
    }
    out += ' ';
    cell(out, name);
    out += " |";
  }
  out += "\n|";
  for (std::size_t c = 0; c < rows.columns.size(); ++c) out += "---|";
  out += '\n';
  const std::size_t n = std::min(max_rows, rows.rows.size());
  for (std::size_t r = 0; r < n; ++r) {
    out += '|';
    for (std::size_t c = 0; c < rows.columns.size(); ++c) {
      const Value& v = rows.rows[r][c];
      out += ' ';
      const auto ms = shown[c] == Shown::as_is ? std::nullopt : as_int(v);
      if (ms && shown[c] == Shown::time) out += sport::format_duration(*ms);
      else if (ms) out += sport::format_pace(*ms);
      else cell(out, as_text(v));
      out += " |";
    }
    out += '\n';
  }
  if (rows.rows.size() > n) out += fmt::format("\n…and {} more row{}.\n", rows.rows.size() - n, rows.rows.size() - n == 1 ? "" : "s");
  return out;
}

}  // namespace racetiming::format
