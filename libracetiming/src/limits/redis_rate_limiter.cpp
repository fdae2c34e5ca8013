// The shared limiter: the same GCRA steps as gcra.hpp, run inside Redis by one Lua script, so a
// decision over several keys is atomic across every daemon. Redis's own clock (TIME) is the clock.
#include <chrono>

#include "limits/gcra.hpp"
#include "net/redis_client.hpp"
#include "racetiming/error.hpp"

namespace racetiming::limits {

namespace {

// KEYS: one per check. ARGV: interval_us, tolerance_us, cost for each check, in order.
// Returns {allowed (1/0), the deciding check (1-based), its TAT ahead of now (us), retry (us)}.
// TATs are stored as integer text ('%.0f': a double's %.14g would round 16-digit microseconds).
constexpr std::string_view kScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tats = {}
for i = 1, #KEYS do
  local interval, tolerance, cost = tonumber(ARGV[3*i-2]), tonumber(ARGV[3*i-1]), tonumber(ARGV[3*i])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then tat = now end
  local need = tat + interval * math.max(cost, 1)
  if need - now > tolerance then
    return {0, i, tat - now, need - now - tolerance}
  end
  if cost > 0 then tats[i] = tat + interval * cost else tats[i] = tat end
end
for i = 1, #KEYS do
  if tonumber(ARGV[3*i]) > 0 then
    redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.floor((tats[i] - now) / 1000) + 1)
  end
end
return {1, 1, tats[1] - now, 0}
)lua";

class RedisRateLimiter final : public RateLimiter {
 public:
  explicit RedisRateLimiter(RedisOptions options)
      : options_(std::move(options)),
        client_(net::parse_redis_url(options_.url), options_.timeout, options_.retry_after, options_.report_failure),
        sha1_(net::script_sha1(kScript)) {}

  RateDecision decide(std::span<const RateCheck> checks) override {
    if (checks.empty()) return {};
    std::vector<std::string> keys, args;
    keys.reserve(checks.size());
    args.reserve(checks.size() * 3);
    for (const auto& c : checks) {
      const detail::Gcra g(c.limit);
      keys.push_back(options_.key_prefix + std::string(c.key));
      args.push_back(std::to_string(g.interval_us));
      args.push_back(std::to_string(g.tolerance_us));
      args.push_back(std::to_string(c.cost));
    }
    const std::vector<std::string_view> key_views(keys.begin(), keys.end()), arg_views(args.begin(), args.end());
    net::RedisReply reply;
    try {
      reply = client_.eval(kScript, sha1_, key_views, arg_views);
    } catch (const net::RedisUnavailable&) {  // reported by the client
      return by_policy(checks[0]);
    }
    if (reply.type != net::RedisReply::Type::array || reply.elements.size() != 4) {  // a Redis that runs no scripts
      if (options_.report_failure)
        options_.report_failure(reply.type == net::RedisReply::Type::error ? reply.text : "an unexpected reply from Redis");
      return by_policy(checks[0]);
    }
    const auto at = [&](std::size_t i) { return reply.elements[i].integer; };
    const auto index = static_cast<std::size_t>(std::clamp<long long>(at(1), 1, static_cast<long long>(checks.size())) - 1);
    const RateCheck& decisive = checks[index];
    if (at(0) == 0) return detail::refused_decision(decisive.limit, at(2), at(3), index);
    return detail::allowed_decision(decisive.limit, detail::Gcra(decisive.limit), at(2), index);
  }

  bool remote() const noexcept override { return true; }

 private:
  RateDecision by_policy(const RateCheck& check) const {
    if (options_.on_failure == FailurePolicy::closed)
      throw Error(ErrorCode::unavailable, "the rate limiter's store cannot be reached");
    RateDecision d;  // open: allowed, and the headers say the full quota
    d.quota = check.limit.quota;
    d.window = std::chrono::duration_cast<std::chrono::seconds>(check.limit.window);
    d.remaining = check.limit.quota;
    return d;
  }

  RedisOptions options_;
  net::RedisClient client_;
  std::string sha1_;
};

}  // namespace

std::unique_ptr<RateLimiter> make_redis_rate_limiter(RedisOptions options) {
  return std::make_unique<RedisRateLimiter>(std::move(options));
}

}  // namespace racetiming::limits
