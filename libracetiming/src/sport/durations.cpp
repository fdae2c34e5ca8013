#include "racetiming/sport/durations.hpp"

#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace racetiming::sport {
namespace {

// Reads 1+ digits (at most max_digits) starting at pos; advances pos.
std::optional<std::int64_t> digits(std::string_view s, std::size_t& pos, std::size_t min_digits, std::size_t max_digits) {
  std::size_t start = pos;
  std::int64_t v = 0;
  while (pos < s.size() && pos - start < max_digits && s[pos] >= '0' && s[pos] <= '9') v = v * 10 + (s[pos++] - '0');
  if (pos - start < min_digits) return std::nullopt;
  return v;
}

constexpr double kMetresPerMile = 1609.344;

}  // namespace

std::optional<std::int64_t> parse_duration_ms(std::string_view s) noexcept {
  std::size_t pos = 0;
  auto h = digits(s, pos, 1, 3);
  if (!h || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  auto m = digits(s, pos, 2, 2);
  if (!m || *m >= 60 || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  auto sec = digits(s, pos, 2, 2);
  if (!sec || *sec >= 60) return std::nullopt;
  std::int64_t ms = ((*h * 60 + *m) * 60 + *sec) * 1000;
  if (pos < s.size()) {
    if (s[pos++] != '.') return std::nullopt;
    std::size_t start = pos;
    auto frac = digits(s, pos, 1, 3);
    if (!frac) return std::nullopt;
    for (std::size_t n = pos - start; n < 3; ++n) *frac *= 10;
    ms += *frac;
  }
  if (pos != s.size()) return std::nullopt;
  return ms;
}

std::string format_duration(std::int64_t ms) {
  const bool negative = ms < 0;
  if (negative) ms = -ms;
  const std::int64_t tenths = (ms + 50) / 100;
  const std::int64_t whole = tenths / 10, t = tenths % 10;
  std::string out = fmt::format(FMT_COMPILE("{}{}:{:02}:{:02}"), negative ? "-" : "", whole / 3600, whole / 60 % 60, whole % 60);
  if (t) {
    out += '.';
    out += static_cast<char>('0' + t);
  }
  return out;
}

std::string format_duration_short(std::int64_t ms) {
  if (ms < 0 || ms >= 3'600'000) return format_duration(ms);
  const std::int64_t tenths = (ms + 50) / 100;
  const std::int64_t whole = tenths / 10, t = tenths % 10;
  if (whole >= 3600) return format_duration(ms);
  std::string out = fmt::format("{:02}:{:02}", whole / 60, whole % 60);
  if (t) out += fmt::format(".{}", t);
  return out;
}

std::int64_t pace_ms_per_km(std::int64_t time_ms, std::int64_t distance_m) noexcept {
  if (distance_m <= 0) return 0;
  return static_cast<std::int64_t>(std::llround(static_cast<double>(time_ms) * 1000.0 / static_cast<double>(distance_m)));
}

std::int64_t pace_ms_per_mile(std::int64_t time_ms, std::int64_t distance_m) noexcept {
  if (distance_m <= 0) return 0;
  return static_cast<std::int64_t>(
      std::llround(static_cast<double>(time_ms) * kMetresPerMile / static_cast<double>(distance_m)));
}

std::string format_pace(std::int64_t ms) {
  const std::int64_t s = (ms + 500) / 1000;
  return fmt::format(FMT_COMPILE("{}:{:02}"), s / 60, s % 60);
}

}  // namespace racetiming::sport
