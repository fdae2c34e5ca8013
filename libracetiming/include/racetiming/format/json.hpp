#pragma once
// Rows as JSON, the way the API shows them: one object per row, column names as keys, and beside every
// time in milliseconds its printed form (results_time_ms -> results_time "3:17:57"; pace_ms_per_km ->
// pace_per_km "4:41" and pace_per_mile "7:32").
#include <string>

#include "racetiming/query/page.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::format {

// {"data": [...], "next_cursor": "..." | null}
std::string page_json(const Page& page);
// The object of one row.
std::string row_json(const ResultSet& rows, std::size_t row);

}  // namespace racetiming::format
