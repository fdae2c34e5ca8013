#pragma once
// Internal: GCRA's arithmetic, in microseconds, shared by the in-process limiter and (written again in
// Lua, the same steps) the Redis one. A key stores its theoretical arrival time (TAT): when the quota is
// back in full. A request of cost c is allowed when max(TAT, now) + c*interval lies within `tolerance`
// (the window) of now.
#include <algorithm>
#include <cstdint>

#include "racetiming/limits/rate_limiter.hpp"

namespace racetiming::limits::detail {

struct Gcra {
  std::int64_t interval_us = 1;   // window / quota: one request's share of the window
  std::int64_t tolerance_us = 0;  // quota * interval: how far ahead of now the TAT may run

  explicit Gcra(const RateLimit& limit) {
    const std::int64_t window_us = std::chrono::duration_cast<std::chrono::microseconds>(limit.window).count();
    interval_us = std::max<std::int64_t>(1, window_us / std::max<std::uint32_t>(1, limit.quota));
    tolerance_us = interval_us * limit.quota;
  }

  // The TAT a request would leave (cost 0 is evaluated as 1, and is not meant to be stored).
  std::int64_t next(std::int64_t tat, std::int64_t now, std::uint32_t cost) const {
    return std::max(tat, now) + interval_us * std::max<std::uint32_t>(cost, 1);
  }
  bool allows(std::int64_t next_tat, std::int64_t now) const { return next_tat - now <= tolerance_us; }
};

// The decision of an allowed check, from how far its TAT now runs ahead of the clock.
inline RateDecision allowed_decision(const RateLimit& limit, const Gcra& g, std::int64_t ahead_us, std::size_t check) {
  RateDecision d;
  d.check = check;
  d.quota = limit.quota;
  d.window = std::chrono::duration_cast<std::chrono::seconds>(limit.window);
  d.remaining = static_cast<std::uint32_t>(std::max<std::int64_t>(0, (g.tolerance_us - ahead_us) / g.interval_us));
  d.reset = std::chrono::milliseconds((std::max<std::int64_t>(0, ahead_us) + 999) / 1000);
  return d;
}

// The decision of a refused check: `ahead_us` as now, `retry_us` until one request fits.
inline RateDecision refused_decision(const RateLimit& limit, std::int64_t ahead_us, std::int64_t retry_us, std::size_t check) {
  RateDecision d;
  d.check = check;
  d.allowed = false;
  d.quota = limit.quota;
  d.window = std::chrono::duration_cast<std::chrono::seconds>(limit.window);
  d.remaining = 0;
  d.retry_after = std::chrono::milliseconds((std::max<std::int64_t>(0, retry_us) + 999) / 1000);
  d.reset = std::chrono::milliseconds((std::max<std::int64_t>(0, ahead_us) + 999) / 1000);
  return d;
}

}  // namespace racetiming::limits::detail
