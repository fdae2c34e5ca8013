#pragma once
// Rate limits: how many requests a key (a partner's route class, a client address) may make in a window.
// The algorithm is GCRA (the generic cell rate algorithm): one stored number per key, the "theoretical
// arrival time", so a decision is one read and one write, and a quota may be spent at once (a burst of
// the whole quota) or spread over the window. Two limiters decide alike: one in process (the default),
// and one in Redis, shared by every daemon that names the same server (one Lua script per decision, so
// the read and the write are atomic).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/error.hpp"

namespace racetiming::limits {

// `quota` requests per `window`; all of them may come at once, then one more each window/quota.
struct RateLimit {
  std::uint32_t quota = 0;
  std::chrono::milliseconds window{0};
};

// "600/1m", "20/1s", "5000/1h", or "off" (nullopt: no limit). Error(invalid_parameter) otherwise.
std::optional<RateLimit> parse_rate_limit(std::string_view text);

// The answer for one key: whether the request may go on, and what the RateLimit header fields say.
struct RateDecision {
  bool allowed = true;
  std::uint32_t quota = 0;      // the policy's quota
  std::chrono::seconds window{0};
  std::uint32_t remaining = 0;  // requests still allowed now, after this one
  std::chrono::milliseconds retry_after{0};  // when refused: how long until one request is allowed
  std::chrono::milliseconds reset{0};        // until the whole quota is available again
  std::size_t check = 0;                     // which check of the decision this is (its index)
};

// One key's check within a decision. cost 0 asks without spending ("would one more be allowed?").
struct RateCheck {
  std::string_view key;
  RateLimit limit;
  std::uint32_t cost = 1;
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // All checks at once: when every one allows, each spends its cost; when any refuses, none spends, and
  // the decision is the first refusing check's. When all allow, the decision is the first check's.
  virtual RateDecision decide(std::span<const RateCheck> checks) = 0;
  RateDecision decide(const RateCheck& check) { return decide(std::span<const RateCheck>(&check, 1)); }
  // Whether a decision may wait on a network (a host then decides off its event loop).
  virtual bool remote() const noexcept = 0;
};

// In this process: GCRA state in a sharded map, entries dropped once their key is back to a full quota,
// so memory follows the keys active within a window.
std::unique_ptr<RateLimiter> make_local_rate_limiter();

// What a Redis limiter answers when Redis cannot: allow (open) or refuse with Error(unavailable) (closed).
enum class FailurePolicy { open, closed };

struct RedisOptions {
  std::string url;  // redis://[:password@]host:port[/db]
  FailurePolicy on_failure = FailurePolicy::open;
  std::chrono::milliseconds timeout{200};      // connect, and each command
  std::chrono::milliseconds retry_after{1000};  // after a failure, how long to answer by the policy without trying
  std::string key_prefix = "rt:";
  // Told the cause each time Redis fails (at most once per retry_after): a host logs it. Never a key.
  std::function<void(const std::string& cause)> report_failure = {};
};

// Shared by every process that names the same Redis: the time is Redis's own (TIME inside the script),
// so daemons on different hosts agree without synchronised clocks. Error(invalid_parameter) for a bad
// URL; the server need not be up yet.
std::unique_ptr<RateLimiter> make_redis_rate_limiter(RedisOptions options);

// A request refused by a limit: Error(rate_limited), with the decision (its retry_after, its policy) for
// the host's answer.
class RateLimited : public Error {
 public:
  RateLimited(std::string policy, RateDecision decision)
      : Error(ErrorCode::rate_limited, "too many requests: retry after the time Retry-After gives"),
        policy_(std::move(policy)), decision_(decision) {}
  const std::string& policy() const noexcept { return policy_; }
  const RateDecision& decision() const noexcept { return decision_; }

 private:
  std::string policy_;
  RateDecision decision_;
};

// Limits by route class ("reads", "writes", "nl-query", "imports", "auth", ...), with per-partner
// overrides.
class RatePolicy {
 public:
  // "reads=600/1m" (the default for every partner) or "PARTNER:reads=6000/1m" (PARTNER: an id, or a slug
  // that resolve_partners turns into one). Error(invalid_parameter) names what is wrong.
  void configure(std::string_view spec);
  void set(std::string route_class, std::optional<RateLimit> limit);
  // Overrides name partners by slug in configuration; ids are what requests carry. Error(invalid_parameter)
  // for a slug that `id_of` does not know.
  void resolve_partners(const std::function<std::optional<std::int64_t>(const std::string& slug)>& id_of);
  // The limit of a class for a partner (0: none known): the partner's own, else the default; nullopt
  // when the class is not limited.
  std::optional<RateLimit> limit(std::string_view route_class, std::int64_t partner_id = 0) const;
  // The daemon's defaults: generous for people, tight for guessing keys.
  static RatePolicy defaults();

 private:
  struct Override {
    std::string partner;  // as configured
    std::int64_t partner_id = 0;
    std::string route_class;
    std::optional<RateLimit> limit;
  };
  std::map<std::string, std::optional<RateLimit>, std::less<>> defaults_;
  std::vector<Override> overrides_;  // few: a linear scan beats a map
};

}  // namespace racetiming::limits
