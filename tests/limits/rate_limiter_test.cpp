// Rate limits: the parser and the policy, then the same GCRA behaviour from the in-process limiter and
// from the Redis one (a throwaway redis-server), then what only Redis has: a quota shared by two
// limiters (two daemons), atomic under concurrent decisions, and failing open or closed.
#define BOOST_TEST_MODULE limits
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "racetiming/limits/rate_limiter.hpp"
#include "test_support.hpp"

using namespace racetiming;
using namespace racetiming::limits;
using namespace std::chrono_literals;
using racetiming::test::error_code_of;

namespace {

RateLimit per_hour(std::uint32_t quota) { return RateLimit{quota, std::chrono::hours(1)}; }

test::ThrowawayRedis& redis() {
  static test::ThrowawayRedis server;
  return server;
}

std::unique_ptr<RateLimiter> redis_limiter(FailurePolicy policy = FailurePolicy::open, std::string prefix = "t:") {
  return make_redis_rate_limiter(
      RedisOptions{.url = redis().url(), .on_failure = policy, .timeout = 200ms, .retry_after = 100ms, .key_prefix = prefix});
}

// A fresh key per test, so the Redis tests do not see each other's state.
std::string fresh_key(std::string_view name) {
  static std::atomic<int> n{0};
  return std::string(name) + ":" + std::to_string(++n) + ":" + std::to_string(::getpid());
}

// What every limiter must do, whichever holds the state.
void check_gcra(RateLimiter& limiter) {
  const std::string key = fresh_key("burst");
  const RateLimit limit = per_hour(5);
  for (std::uint32_t i = 0; i < 5; ++i) {
    const auto d = limiter.decide(RateCheck{key, limit});
    BOOST_TEST_CONTEXT("request " << i + 1) {
      BOOST_TEST(d.allowed);
      BOOST_TEST(d.quota == 5u);
      BOOST_TEST(d.window.count() == 3600);
      BOOST_TEST(d.remaining == 4 - i);
    }
  }
  const auto refused = limiter.decide(RateCheck{key, limit});
  BOOST_TEST(!refused.allowed);
  BOOST_TEST(refused.remaining == 0u);
  // one request's share of the hour is 12 minutes: the next one fits in about that
  BOOST_TEST(refused.retry_after > 11min);
  BOOST_TEST(refused.retry_after <= 12min);
  BOOST_TEST(refused.reset > 59min);

  // another key is untouched
  BOOST_TEST(limiter.decide(RateCheck{fresh_key("other"), limit}).remaining == 4u);

  // asking (cost 0) spends nothing
  const std::string asked = fresh_key("peek");
  for (int i = 0; i < 3; ++i) BOOST_TEST(limiter.decide(RateCheck{asked, per_hour(1), 0}).allowed);
  BOOST_TEST(limiter.decide(RateCheck{asked, per_hour(1), 1}).allowed);
  BOOST_TEST(!limiter.decide(RateCheck{asked, per_hour(1), 0}).allowed);

  // all or nothing: when the second check refuses, the first spends nothing, and the decision is the second's
  const std::string roomy = fresh_key("roomy"), full = fresh_key("full");
  BOOST_TEST(limiter.decide(RateCheck{full, per_hour(1)}).allowed);
  const RateCheck both[] = {{roomy, per_hour(10), 1}, {full, per_hour(1), 1}};
  const auto d = limiter.decide(both);
  BOOST_TEST(!d.allowed);
  BOOST_TEST(d.check == 1u);
  BOOST_TEST(d.quota == 1u);
  BOOST_TEST(limiter.decide(RateCheck{roomy, per_hour(10), 0}).remaining == 10u);  // nothing was taken

  // the quota comes back with time: 4 per second is one every 250 ms
  const std::string quick = fresh_key("quick");
  const RateLimit four_per_second{4, 1000ms};
  for (int i = 0; i < 4; ++i) BOOST_TEST(limiter.decide(RateCheck{quick, four_per_second}).allowed);
  BOOST_TEST(!limiter.decide(RateCheck{quick, four_per_second}).allowed);
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(limiter.decide(RateCheck{quick, four_per_second}).allowed);
  BOOST_TEST(!limiter.decide(RateCheck{quick, four_per_second}).allowed);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(limits_parse_from_count_and_window) {
  const auto a = parse_rate_limit("600/1m");
  BOOST_TEST_REQUIRE(a.has_value());
  BOOST_TEST(a->quota == 600u);
  BOOST_TEST(a->window.count() == 60'000);
  BOOST_TEST(parse_rate_limit("20/s")->window.count() == 1000);
  BOOST_TEST(parse_rate_limit("5000/2h")->window.count() == 7'200'000);
  BOOST_TEST(!parse_rate_limit("off").has_value());
  for (const char* bad : {"", "600", "0/1m", "10/1d", "x/1m", "10/0m", "10/", "/1m", "-5/1m", "10/1.5m", "99999999999/1s"})
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST((error_code_of([&] { parse_rate_limit(bad); }) == ErrorCode::invalid_parameter)); }
}

BOOST_AUTO_TEST_CASE(partner_overrides_beat_defaults) {
  RatePolicy p = RatePolicy::defaults();
  BOOST_TEST(p.limit("reads")->quota == 6000u);
  BOOST_TEST(!p.limit("no-such-class").has_value());
  p.configure("reads=100/1m");
  p.configure("7:reads=1000/1m");
  p.configure("big-river:writes=off");
  p.configure("big-river:nl-query=5/1s");
  p.resolve_partners([](const std::string& slug) -> std::optional<std::int64_t> {
    return slug == "big-river" ? std::optional<std::int64_t>(3) : std::nullopt;
  });
  BOOST_TEST(p.limit("reads", 1)->quota == 100u);
  BOOST_TEST(p.limit("reads", 7)->quota == 1000u);
  BOOST_TEST(p.limit("nl-query", 3)->quota == 5u);
  BOOST_TEST(!p.limit("writes", 3).has_value());  // off for that partner
  BOOST_TEST(p.limit("writes", 4)->quota == 600u);
  p.configure("7:reads=2000/1m");  // a second setting replaces the first
  BOOST_TEST(p.limit("reads", 7)->quota == 2000u);

  RatePolicy unknown;
  unknown.configure("nobody:reads=1/1s");
  BOOST_TEST((error_code_of([&] { unknown.resolve_partners([](const std::string&) { return std::nullopt; }); }) ==
              ErrorCode::invalid_parameter));
  for (const char* bad : {"reads", "=1/1s", ":reads=1/1s", "x:=1/1s", "reads=fast"})
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST((error_code_of([&] { RatePolicy().configure(bad); }) == ErrorCode::invalid_parameter)); }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(in_process)

BOOST_AUTO_TEST_CASE(gcra) {
  auto limiter = make_local_rate_limiter();
  BOOST_TEST(!limiter->remote());
  check_gcra(*limiter);
}

BOOST_AUTO_TEST_CASE(concurrent_decisions_spend_the_quota_exactly) {
  auto limiter = make_local_rate_limiter();
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (limiter->decide(RateCheck{"shared", per_hour(777)}).allowed) ++allowed;
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(allowed.load() == 777);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(in_redis)

BOOST_AUTO_TEST_CASE(gcra) {
  auto limiter = redis_limiter();
  BOOST_TEST(limiter->remote());
  check_gcra(*limiter);
}

BOOST_AUTO_TEST_CASE(two_limiters_share_one_quota_atomically) {
  // two daemons: two limiters, two connection pools, one Redis
  auto first = redis_limiter(), second = redis_limiter();
  const std::string key = fresh_key("shared");
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto& limiter = t % 2 ? *first : *second;
      for (int i = 0; i < 60; ++i)
        if (limiter.decide(RateCheck{key, per_hour(101)}).allowed) ++allowed;
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(allowed.load() == 101);
  BOOST_TEST(!first->decide(RateCheck{key, per_hour(101), 0}).allowed);
}

BOOST_AUTO_TEST_CASE(limiters_with_other_prefixes_do_not_share) {
  auto a = redis_limiter(FailurePolicy::open, "deployment-a:"), b = redis_limiter(FailurePolicy::open, "deployment-b:");
  const std::string key = fresh_key("prefixed");
  BOOST_TEST(a->decide(RateCheck{key, per_hour(1)}).allowed);
  BOOST_TEST(b->decide(RateCheck{key, per_hour(1)}).allowed);
}

BOOST_AUTO_TEST_CASE(failing_open_or_closed_then_recovering) {
  test::ThrowawayRedis own;  // this test stops its Redis: not the shared one
  std::vector<std::string> reported;
  std::mutex reported_mutex;
  const auto make = [&](FailurePolicy policy) {
    RedisOptions o{.url = own.url(), .on_failure = policy, .timeout = 200ms, .retry_after = 100ms, .key_prefix = "t:"};
    o.report_failure = [&](const std::string& cause) {
      std::lock_guard lock(reported_mutex);
      reported.push_back(cause);
    };
    return make_redis_rate_limiter(std::move(o));
  };
  auto open = make(FailurePolicy::open), closed = make(FailurePolicy::closed);
  BOOST_TEST(open->decide(RateCheck{"k", per_hour(1)}).allowed);
  BOOST_TEST(!open->decide(RateCheck{"k", per_hour(1)}).allowed);
  BOOST_TEST(!closed->decide(RateCheck{"k", per_hour(1)}).allowed);

  own.stop();
  const auto d = open->decide(RateCheck{"k", per_hour(1)});
  BOOST_TEST(d.allowed);  // open: Redis down lets requests through, showing the full quota
  BOOST_TEST(d.remaining == 1u);
  BOOST_TEST((error_code_of([&] { closed->decide(RateCheck{"k", per_hour(1)}); }) == ErrorCode::unavailable));
  {
    std::lock_guard lock(reported_mutex);
    BOOST_TEST(reported.size() == 2u);  // one report each, with a cause and no key
    for (const auto& cause : reported) BOOST_TEST(cause.find("rt_") == std::string::npos);
  }
  // within retry_after the limiter does not try again (no connect timeout per request)
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) open->decide(RateCheck{"k", per_hour(1)});
  BOOST_TEST((std::chrono::steady_clock::now() - start) < 50ms);

  own.start();  // an empty Redis (no persistence): the quota starts again
  std::this_thread::sleep_for(150ms);
  BOOST_TEST(closed->decide(RateCheck{"k", per_hour(1)}).allowed);
  BOOST_TEST(!open->decide(RateCheck{"k", per_hour(1)}).allowed);  // recovered: limits apply again
}

BOOST_AUTO_TEST_CASE(bad_urls_are_refused_up_front) {
  for (const char* bad : {"", "http://127.0.0.1:6379", "redis://", "redis://host:6379/x", "redis://host:6379/-1"})
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST((error_code_of([&] { make_redis_rate_limiter(RedisOptions{.url = bad}); }) == ErrorCode::invalid_parameter));
    }
}

BOOST_AUTO_TEST_SUITE_END()
