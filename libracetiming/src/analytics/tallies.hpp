#pragma once
// Internal: the per-race tallies (migration 009, table race_tallies), which the database keeps for every
// write of an entry: per race, status and one dimension's value, the entries, how many have a finish
// time and those times' sum. Whole-race counts, shares, distinct values and averages read them instead
// of the race's entries. One place says how a value is stored: its text, '' for none.
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace racetiming::analytics::detail {

enum class TallyDimension : int { all = 0, gender = 1, age = 2, division = 3, state = 4, country = 5, team = 6 };

constexpr int tally_number(TallyDimension d) noexcept { return static_cast<int>(d); }

// The tally row t's value as the entry's column was: NULL for none.
inline std::string tally_value_sql(std::string_view t = "t") { return fmt::format("NULLIF({}.value, '')", t); }
// An age tally's value as an integer (NULL for none).
inline std::string tally_age_sql(std::string_view t = "t") { return fmt::format("CAST(NULLIF({}.value, '') AS INTEGER)", t); }

}  // namespace racetiming::analytics::detail
