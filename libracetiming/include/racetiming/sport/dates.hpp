#pragma once
// Calendar dates as the data model keeps them: ISO "YYYY-MM-DD" text.
#include <chrono>
#include <ctime>
#include <string>
#include <string_view>

namespace racetiming::sport {

// A real calendar date (leap years included) between 1900 and 2200.
bool is_iso_date(std::string_view text) noexcept;

// The UTC date of a moment, "2026-12-05"; today_utc() is now's.
std::string iso_date_utc(std::time_t moment);
std::string today_utc();
// The UTC time of a moment to the millisecond, "2026-12-05T01:55:20.123Z" (the audit trail's stamps).
std::string iso_timestamp_utc(std::chrono::system_clock::time_point moment);

}  // namespace racetiming::sport
