// The in-process limiter: GCRA state in 16 shards, each a map under its own mutex, so requests of
// different partners rarely wait on each other. A key whose TAT has passed is at its full quota, the
// same as a key never seen, so a sweep drops it: memory follows the keys active within a window.
#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "limits/gcra.hpp"
#include "racetiming/error.hpp"

namespace racetiming::limits {

namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

class LocalRateLimiter final : public RateLimiter {
 public:
  RateDecision decide(std::span<const RateCheck> checks) override {
    if (checks.empty()) return {};
    if (checks.size() > kMaxChecks) throw Error(ErrorCode::internal, "a rate decision takes at most 8 checks");
    const std::int64_t now = now_us();
    // Lock every shard involved, in index order (two requests locking the same shards cannot deadlock).
    std::array<std::size_t, 8> shard_of{};
    const std::size_t n = checks.size();
    for (std::size_t i = 0; i < n; ++i) shard_of[i] = StringHash{}(checks[i].key) % kShards;
    std::array<std::size_t, 8> order = shard_of;
    std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
    const auto unique_end = std::unique(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
    std::array<std::unique_lock<std::mutex>, 8> locks;
    for (auto it = order.begin(); it != unique_end; ++it) locks[static_cast<std::size_t>(it - order.begin())] = std::unique_lock(shards_[*it].mutex);

    std::array<std::int64_t, 8> next_tat{};
    for (std::size_t i = 0; i < n; ++i) {
      const detail::Gcra g(checks[i].limit);
      const std::int64_t tat = stored_tat(shards_[shard_of[i]], checks[i].key, now);
      next_tat[i] = g.next(tat, now, checks[i].cost);
      if (!g.allows(next_tat[i], now))
        return detail::refused_decision(checks[i].limit, std::max(tat, now) - now, next_tat[i] - now - g.tolerance_us, i);
      if (checks[i].cost == 0) next_tat[i] = std::max(tat, now);  // asked, not spent
    }
    for (std::size_t i = 0; i < n; ++i)
      if (checks[i].cost > 0) store(shards_[shard_of[i]], checks[i].key, next_tat[i], now);
    return detail::allowed_decision(checks[0].limit, detail::Gcra(checks[0].limit), next_tat[0] - now, 0);
  }

  bool remote() const noexcept override { return false; }

 private:
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxChecks = 8;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>> tats;
    std::size_t sweep_at = 4096;
  };

  static std::int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

  static std::int64_t stored_tat(const Shard& shard, std::string_view key, std::int64_t now) {
    const auto it = shard.tats.find(key);
    return it == shard.tats.end() ? now : it->second;
  }

  static void store(Shard& shard, std::string_view key, std::int64_t tat, std::int64_t now) {
    const auto it = shard.tats.find(key);
    if (it != shard.tats.end()) {
      it->second = tat;
      return;
    }
    shard.tats.emplace(std::string(key), tat);
    if (shard.tats.size() < shard.sweep_at) return;
    std::erase_if(shard.tats, [now](const auto& entry) { return entry.second <= now; });
    shard.sweep_at = std::max<std::size_t>(4096, shard.tats.size() * 2);
  }

  std::array<Shard, kShards> shards_;
};

}  // namespace

std::unique_ptr<RateLimiter> make_local_rate_limiter() { return std::make_unique<LocalRateLimiter>(); }

}  // namespace racetiming::limits
