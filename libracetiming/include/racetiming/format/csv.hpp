#pragma once
// Rows as RFC 4180 CSV: a header of column names, CRLF line ends, fields quoted when they hold a comma,
// a quote or a line break. Times get their printed column beside them, as in JSON.
#include <string>
#include <string_view>

#include "racetiming/report.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::format {

std::string rows_csv(const ResultSet& rows);
// A report's table as CSV: the named one, or its first (main) table. Error(invalid_parameter, "table")
// for a name the report lacks.
std::string report_csv(const Report& report, std::string_view table = {});

}  // namespace racetiming::format
