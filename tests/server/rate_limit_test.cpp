// Rate limits over real HTTP: a partner's route class has its own quota, partners and classes do not
// share, failed authentication is limited per client address and per key prefix, X-Forwarded-For is
// believed only from a trusted proxy, and with Redis two daemons spend from one quota.
#include <boost/test/unit_test.hpp>

#include "api_fixture.hpp"
#include "test_support.hpp"

using namespace racetiming;
using racetimingd::app::RateLimitingOptions;

namespace {

RateLimitingOptions limited(std::initializer_list<std::string_view> specs, std::vector<std::string> trusted = {}) {
  RateLimitingOptions o;
  o.limiter = limits::make_local_rate_limiter();
  o.policy = limits::RatePolicy::defaults();
  for (auto spec : specs) o.policy.configure(spec);
  o.trusted_proxies = std::move(trusted);
  return o;
}

constexpr const char* kWrongKey = "rt_0123456789ab_000000000000000000000000000000000000000000000000";

void check_partner_quotas(const std::string& url) {
  test::Daemon d(url, {}, limited({"reads=4/1h", "writes=2/1h", "nl-query=1/1h"}));
  const std::string target = "/api/v1/events?limit=1";
  for (int i = 0; i < 4; ++i) {
    auto r = d.get(target, d.key_a);
    BOOST_TEST_CONTEXT("read " << i + 1) {
      BOOST_TEST(r.status == 200u);
      BOOST_TEST(r.headers["ratelimit-policy"] == "\"reads\";q=4;w=3600");
      BOOST_TEST(r.headers["ratelimit"].starts_with("\"reads\";r=" + std::to_string(3 - i) + ";t="));
    }
  }
  auto refused = d.get(target, d.key_a);
  BOOST_TEST(refused.status == 429u);
  BOOST_TEST(test::code_of(refused) == "rate_limited");
  BOOST_TEST(refused.headers["content-type"] == "application/problem+json");
  BOOST_TEST(std::stoi(refused.headers["retry-after"]) >= 899);  // an hour over 4: 15 minutes apart
  BOOST_TEST(refused.headers["ratelimit"].starts_with("\"reads\";r=0;"));
  BOOST_TEST(d.get("/api/v1/events/999999", d.key_a).status == 429u);  // every read route spends from "reads"

  BOOST_TEST(d.get(target, d.key_b).status == 200u);  // B's quota is B's own
  // other classes of A are untouched: a write (a 404 is an answer too), a question
  auto write = d.send("DELETE", "/api/v1/events/999999", d.full_key(d.a));
  BOOST_TEST(write.status == 404u);
  BOOST_TEST(write.headers["ratelimit-policy"] == "\"writes\";q=2;w=3600");
  // (this question once rendered a statement the SQL guard refused: a 403 instead of its count)
  auto asked = d.send("POST", "/api/v1/nl-query", d.full_key(d.a), R"({"query":"how many events are there"})");
  BOOST_TEST(asked.status == 200u, asked.body);
  BOOST_TEST(asked.body.find(R"("results":[{"count":7}])") != std::string::npos, asked.body);
  BOOST_TEST(asked.headers["ratelimit-policy"] == "\"nl-query\";q=1;w=3600");
  BOOST_TEST(d.send("POST", "/api/v1/nl-query", d.full_key(d.a), R"({"query":"how many races are there"})").status == 429u);
  // public operations routes are never limited (a load balancer's health checks)
  for (int i = 0; i < 10; ++i) BOOST_TEST(test::http_get(d.port, "/healthz").status == 200u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limits)

BOOST_AUTO_TEST_CASE(partner_quotas_on_sqlite) {
  test::TempDir dir;
  check_partner_quotas(dir.sqlite_url());
}

// PostgreSQL answers reads on the I/O threads: the quota is spent there too, once.
BOOST_AUTO_TEST_CASE(partner_quotas_on_postgresql) { check_partner_quotas(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_CASE(per_partner_overrides) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url(), {}, limited({"reads=3/1h", "1:reads=1/1h"}));
  BOOST_TEST_REQUIRE(d.a == 1);  // the fixture's A is partner 1
  BOOST_TEST(d.get("/api/v1/races?limit=1", d.key_a).status == 200u);
  BOOST_TEST(d.get("/api/v1/races?limit=1", d.key_a).status == 429u);
  for (int i = 0; i < 3; ++i) BOOST_TEST(d.get("/api/v1/races?limit=1", d.key_b).status == 200u);
  BOOST_TEST(d.get("/api/v1/races?limit=1", d.key_b).status == 429u);
}

BOOST_AUTO_TEST_CASE(overrides_by_slug_resolve_to_partners) {
  test::TempDir dir;
  auto o = limited({"reads=2/1h", "mid-hudson:reads=off"});
  test::Daemon d(dir.sqlite_url(), {}, {});  // only to read the partners' ids from
  o.policy.resolve_partners([&](const std::string& slug) -> std::optional<std::int64_t> {
    auto p = d.engine.find_partner(slug);
    return p ? std::optional<std::int64_t>(p->timing_partner_id) : std::nullopt;
  });
  BOOST_TEST(!o.policy.limit("reads", d.b).has_value());
  BOOST_TEST(o.policy.limit("reads", d.a)->quota == 2u);
}

BOOST_AUTO_TEST_CASE(failed_authentication_locks_the_address) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url(), {}, limited({"auth-failures=3/1h"}));
  for (int i = 0; i < 3; ++i) {
    // spoofed X-Forwarded-For from an untrusted peer changes nothing: the peer's address counts
    auto r = d.get("/api/v1/events", kWrongKey, {{"X-Forwarded-For", "192.0.2." + std::to_string(i)}});
    BOOST_TEST(r.status == 401u);
  }
  auto r = d.get("/api/v1/events", "rt_ffffffffffff_" + std::string(48, '0'), {{"X-Forwarded-For", "192.0.2.99"}});
  BOOST_TEST(r.status == 429u);
  BOOST_TEST(test::code_of(r) == "rate_limited");
  BOOST_TEST(r.headers["ratelimit-policy"] == "\"auth-failures\";q=3;w=3600");
  // a bearer token that does not verify counts as well, and is refused before it is checked
  BOOST_TEST(d.get("/api/v1/events", "", {{"Authorization", "Bearer not.a.token"}}).status == 429u);
  // the lock is on guessing from this address: a valid key from it waits too (it cannot be told apart
  // from a guess without checking it, which is the work the lock saves)
  BOOST_TEST(d.get("/api/v1/events", d.key_a).status == 429u);
}

BOOST_AUTO_TEST_CASE(failed_authentication_locks_the_key_prefix_across_addresses) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url(), {}, limited({"auth-failures=3/1h"}, {"127.0.0.1"}));
  // behind a trusted proxy each request comes from another client, all guessing one key's secret
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(d.get("/api/v1/events", kWrongKey, {{"X-Forwarded-For", "198.51.100." + std::to_string(i)}}).status == 401u);
  BOOST_TEST(d.get("/api/v1/events", kWrongKey, {{"X-Forwarded-For", "198.51.100.50"}}).status == 429u);
  // another key from a fresh address is not locked
  BOOST_TEST(d.get("/api/v1/events?limit=1", d.key_a, {{"X-Forwarded-For", "198.51.100.60"}}).status == 200u);
}

BOOST_AUTO_TEST_CASE(forwarded_for_is_believed_only_from_trusted_proxies) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url(), {}, limited({"auth-failures=2/1h"}, {"127.0.0.0/8", "10.0.0.0/8"}));
  // the client 203.0.113.7 fails twice (through two proxies: the nearest untrusted hop is the client)
  for (int i = 0; i < 2; ++i)
    BOOST_TEST(d.get("/api/v1/events", "rt_" + std::to_string(100000000000 + i) + "_x", {{"X-Forwarded-For", "203.0.113.7, 10.1.2.3"}})
                   .status == 401u);
  // it is locked, whatever it claims to the left of what the proxy saw
  BOOST_TEST(d.get("/api/v1/events", d.key_a, {{"X-Forwarded-For", "192.0.2.1, 203.0.113.7"}}).status == 429u);
  // another client through the same proxy is not
  BOOST_TEST(d.get("/api/v1/events?limit=1", d.key_a, {{"X-Forwarded-For", "203.0.113.8"}}).status == 200u);
}

BOOST_AUTO_TEST_CASE(token_exchange_is_limited_per_address) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url(), {}, limited({"auth=2/1h"}));
  for (int i = 0; i < 2; ++i) {
    auto r = d.send("POST", "/api/v1/auth/token", d.key_a);
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.headers["ratelimit-policy"] == "\"auth\";q=2;w=3600");
  }
  BOOST_TEST(d.send("POST", "/api/v1/auth/token", d.key_a).status == 429u);
}

BOOST_AUTO_TEST_CASE(two_daemons_share_a_quota_through_redis) {
  test::ThrowawayRedis redis;
  const auto shared = [&] {
    auto o = limited({"reads=5/1h"});
    o.limiter = limits::make_redis_rate_limiter(limits::RedisOptions{.url = redis.url()});
    return o;
  };
  test::TempDir one_dir, two_dir;
  test::Daemon one(one_dir.sqlite_url(), {}, shared()), two(two_dir.sqlite_url(), {}, shared());
  BOOST_TEST_REQUIRE(one.a == two.a);  // the same partner, as two daemons over one database see it
  int allowed = 0;
  for (int i = 0; i < 8; ++i) {
    auto& d = i % 2 ? one : two;
    auto r = d.get("/api/v1/events?limit=1", d.key_a);
    if (r.status == 200u) ++allowed;
    else BOOST_TEST(r.status == 429u);
  }
  BOOST_TEST(allowed == 5);
}

BOOST_AUTO_TEST_CASE(redis_down_fails_as_configured) {
  test::ThrowawayRedis redis;
  const auto with = [&](limits::FailurePolicy policy) {
    auto o = limited({"reads=5/1h"});
    o.limiter = limits::make_redis_rate_limiter(limits::RedisOptions{.url = redis.url(), .on_failure = policy});
    return o;
  };
  test::TempDir open_dir, closed_dir;
  test::Daemon open(open_dir.sqlite_url(), {}, with(limits::FailurePolicy::open)),
      closed(closed_dir.sqlite_url(), {}, with(limits::FailurePolicy::closed));
  redis.stop();
  BOOST_TEST(open.get("/api/v1/events?limit=1", open.key_a).status == 200u);
  auto r = closed.get("/api/v1/events?limit=1", closed.key_a);
  BOOST_TEST(r.status == 503u);
  BOOST_TEST(test::code_of(r) == "unavailable");
  BOOST_TEST(r.headers["retry-after"] == "1");
  BOOST_TEST(r.body.find("127.0.0.1") == std::string::npos);  // no address of Redis in the answer
}

BOOST_AUTO_TEST_SUITE_END()
