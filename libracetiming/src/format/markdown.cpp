#include "racetiming/format/markdown.hpp"

#include <fmt/format.h>

#include "racetiming/format/printed_columns.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::format {
namespace {

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
  std::vector<Printed> shown(rows.columns.size(), Printed::none);
  out += '|';
  for (std::size_t c = 0; c < rows.columns.size(); ++c) {
    std::string_view name = rows.columns[c];
    shown[c] = printed_form(name);
    if (shown[c] == Printed::duration) name = printed_name(name);
    if (shown[c] == Printed::pace) name = "pace_per_km";
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
      const auto ms = shown[c] == Printed::none ? std::nullopt : as_int(v);
      if (ms && shown[c] == Printed::duration) out += sport::format_duration(*ms);
      else if (ms && shown[c] == Printed::pace) out += sport::format_pace(*ms);
      else if (ms && shown[c] == Printed::flag) out += *ms ? "yes" : "no";
      else cell(out, as_text(v));
      out += " |";
    }
    out += '\n';
  }
  if (rows.rows.size() > n) out += fmt::format("\n…and {} more row{}.\n", rows.rows.size() - n, rows.rows.size() - n == 1 ? "" : "s");
  return out;
}

}  // namespace racetiming::format
