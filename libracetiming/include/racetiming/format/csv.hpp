#pragma once
// Rows as RFC 4180 CSV: a header of column names, CRLF line ends, fields quoted when they hold a comma,
// a quote or a line break. Times get their printed column beside them, as in JSON.
#include <string>

#include "racetiming/store/value.hpp"

namespace racetiming::format {

std::string rows_csv(const ResultSet& rows);

}  // namespace racetiming::format
