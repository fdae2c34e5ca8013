#pragma once
// Rows as a compact Markdown table, for chat: times printed (results_time_ms becomes results_time
// "3:17:57", pace_ms_per_km becomes pace_per_km "4:41"), at most max_rows rows and a line saying how
// many more there are. Cell text is escaped so that it cannot break the table (| and line breaks).
#include <cstddef>
#include <string>

#include "racetiming/store/value.hpp"

namespace racetiming::format {

std::string rows_markdown(const ResultSet& rows, std::size_t max_rows = 20);

}  // namespace racetiming::format
