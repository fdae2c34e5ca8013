#include "racetiming/format/csv.hpp"

#include <fmt/format.h>

#include "racetiming/format/printed_columns.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"
#include "text/utf8.hpp"

namespace racetiming::format {
namespace {

void field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string rows_csv(const ResultSet& rows) {
  std::string out;
  // a printed time beside every *_time_ms column, as the JSON rows have
  std::vector<bool> timed(rows.columns.size());
  for (std::size_t c = 0; c < rows.columns.size(); ++c) {
    if (c) out += ',';
    field(out, rows.columns[c]);
    timed[c] = printed_form(rows.columns[c]) == Printed::duration;
    if (timed[c]) {
      out += ',';
      field(out, printed_name(rows.columns[c]));
    }
  }
  out += "\r\n";
  for (const auto& row : rows.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out += ',';
      field(out, as_text(row[c]));
      if (timed[c]) {
        out += ',';
        if (auto ms = as_int(row[c])) out += sport::format_duration(*ms);
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string report_csv(const Report& report, std::string_view table) {
  if (table.empty()) return rows_csv(report.tables.empty() ? report.races : report.tables.front().second);
  for (const auto& [name, rows] : report.tables)
    if (name == table) return rows_csv(rows);
  throw Error(ErrorCode::invalid_parameter, fmt::format("the {} report has no table '{}'", report.kind, text::echo(table, 64)), "table");
}

}  // namespace racetiming::format
