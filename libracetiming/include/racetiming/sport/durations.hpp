#pragma once
// Race times: parsing "H:MM:SS[.f]" and printing them back the way results sheets do.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace racetiming::sport {

// "H:MM:SS" or "H:MM:SS.f" (one to three fraction digits) to milliseconds; nullopt when malformed
// (minutes or seconds of 60 or more, missing parts, stray characters).
std::optional<std::int64_t> parse_duration_ms(std::string_view text) noexcept;

// "H:MM:SS", with tenths ("H:MM:SS.t") when the time has them.
std::string format_duration(std::int64_t ms);
// As format_duration, but "MM:SS" under an hour: the form summaries use.
std::string format_duration_short(std::int64_t ms);

// Milliseconds per kilometre and per mile for a time over a distance (metres > 0).
std::int64_t pace_ms_per_km(std::int64_t time_ms, std::int64_t distance_m) noexcept;
std::int64_t pace_ms_per_mile(std::int64_t time_ms, std::int64_t distance_m) noexcept;
// A pace per kilometre as the pace per mile (1.609344 km), truncated to the millisecond.
constexpr std::int64_t mile_pace_from_km(std::int64_t ms_per_km) noexcept { return ms_per_km * 1609344 / 1000000; }
// "M:SS" per unit, as a pace is printed.
std::string format_pace(std::int64_t ms_per_unit);

}  // namespace racetiming::sport
