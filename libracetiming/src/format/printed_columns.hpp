#pragma once
// The columns every row formatter prints in a reader's form: a `*_time_ms` column as H:MM:SS (under its
// name without `_ms`), `pace_ms_per_km` as M:SS. One rule for JSON, CSV and Markdown.
#include <string_view>

namespace racetiming::format {

enum class Printed { none, duration, pace };

inline Printed printed_form(std::string_view column) noexcept {
  if (column.ends_with("_time_ms")) return Printed::duration;
  if (column == "pace_ms_per_km") return Printed::pace;
  return Printed::none;
}

// The name a printed duration goes under: "results_time_ms" -> "results_time".
inline std::string_view printed_name(std::string_view column) noexcept { return column.substr(0, column.size() - 3); }

}  // namespace racetiming::format
