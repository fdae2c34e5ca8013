#pragma once
// The columns every row formatter prints in a reader's form: a `*_time_ms` column as H:MM:SS (under its
// name without `_ms`), `pace_ms_per_km` as M:SS. One rule for JSON, CSV, Markdown and the Python module.
#include <string_view>

namespace racetiming::format {

// `tie` (a report's yes/no) is a flag: JSON shows true or false, Python a bool.
enum class Printed { none, duration, pace, flag };

inline Printed printed_form(std::string_view column) noexcept {
  if (column == "time_ms" || column.ends_with("_time_ms")) return Printed::duration;
  if (column == "pace_ms_per_km") return Printed::pace;
  if (column == "tie") return Printed::flag;
  return Printed::none;
}

// The name a printed duration goes under: "results_time_ms" -> "results_time".
inline std::string_view printed_name(std::string_view column) noexcept { return column.substr(0, column.size() - 3); }

}  // namespace racetiming::format
