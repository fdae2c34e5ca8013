#pragma once
// Calendar dates as the data model keeps them: ISO "YYYY-MM-DD" text.
#include <string_view>

namespace racetiming::sport {

// A real calendar date (leap years included) between 1900 and 2200.
bool is_iso_date(std::string_view text) noexcept;

}  // namespace racetiming::sport
