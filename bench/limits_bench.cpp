// What a request pays for its rate limit and for a kept answer: the in-process limiter's decision (one
// partner's route class; and the three checks made before authentication), the Redis limiter's (when
// RACETIMING_BENCH_REDIS_URL names a server: a loopback round trip), and a lookup of a kept 25 KB results
// page in the memory cache, with its entity tag computed. Run by bench/cache.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "racetiming/cache/response_cache.hpp"
#include "racetiming/limits/rate_limiter.hpp"

using namespace racetiming;

namespace {

const limits::RateLimit kGenerous{1'000'000'000, std::chrono::hours(1)};

std::vector<std::string> partner_keys() {
  std::vector<std::string> keys;
  for (int p = 1; p <= 13; ++p) keys.push_back("rl:reads:partner:" + std::to_string(p));
  return keys;
}

void run_one_check(benchmark::State& state, limits::RateLimiter& limiter) {
  const auto keys = partner_keys();
  std::size_t i = 0;
  for (auto _ : state) {
    auto d = limiter.decide(limits::RateCheck{keys[i++ % keys.size()], kGenerous, 1});
    benchmark::DoNotOptimize(d);
  }
}

void LocalDecision(benchmark::State& state) {
  auto limiter = limits::make_local_rate_limiter();
  run_one_check(state, *limiter);
}
BENCHMARK(LocalDecision)->Threads(1)->Threads(2)->UseRealTime();

// Before authentication: the client address's and the key prefix's failure quotas, asked together.
void LocalDecisionBeforeAuthentication(benchmark::State& state) {
  auto limiter = limits::make_local_rate_limiter();
  const std::string address = "rl:auth-failures:addr:192.0.2.10", prefix = "rl:auth-failures:key:rt_0123456789ab";
  const limits::RateCheck checks[] = {{address, {20, std::chrono::minutes(1)}, 0}, {prefix, {20, std::chrono::minutes(1)}, 0}};
  for (auto _ : state) {
    auto d = limiter->decide(checks);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(LocalDecisionBeforeAuthentication);

void RedisDecision(benchmark::State& state) {
  const char* url = std::getenv("RACETIMING_BENCH_REDIS_URL");
  if (!url) {
    state.SkipWithError("RACETIMING_BENCH_REDIS_URL is not set");
    return;
  }
  auto limiter = limits::make_redis_rate_limiter(limits::RedisOptions{.url = url});
  run_one_check(state, *limiter);
}
BENCHMARK(RedisDecision)->UseRealTime();

void MemoryCacheHit(benchmark::State& state) {
  auto cache = cache::make_memory_cache(64u << 20);
  const std::string key = "1|42|GET|/api/v1/races/7/results|limit=50&|";
  const std::string tag = cache::entity_tag(key);
  auto page = std::make_shared<cache::CachedResponse>();
  page->content_type = "application/json";
  page->body.assign(25'000, 'x');
  cache->put(tag, page);
  for (auto _ : state) {
    auto hit = cache->get(cache::entity_tag(key));
    std::string body = hit->body;  // what the daemon does with it: a copy into the response
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(MemoryCacheHit)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
