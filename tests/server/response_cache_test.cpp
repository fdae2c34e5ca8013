// The response cache over real HTTP: ETags and 304s on every cacheable read, answers kept under the
// partner's data version (a write makes the next answer new, at once on this daemon and within the
// version's time to live on another), partners never served each other's answers, a kept page served
// without reading its tables, and two daemons sharing answers and quotas through one Redis.
#include <boost/test/unit_test.hpp>

#include <thread>

#include <libdeflate.h>

#include "api_fixture.hpp"
#include "test_support.hpp"

using namespace racetiming;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<cache::ResponseCache> memory() { return cache::make_memory_cache(16u << 20); }

// A second daemon over the database of a first: nothing seeded, the first one's keys work here too.
struct Peer {
  racetiming::Engine engine;
  std::unique_ptr<racetimingd::app::Api> api;
  std::unique_ptr<racetimingd::http::Server> server;
  std::thread thread;

  Peer(const std::string& url, racetimingd::app::ApiOptions options)
      : engine(url, racetiming::EngineOptions{.pool_size = 4, .migrate = false}),
        api(std::make_unique<racetimingd::app::Api>(engine, std::move(options))) {
    racetimingd::http::ServerOptions o;
    o.port = 0;
    server = std::make_unique<racetimingd::http::Server>(o, [this](auto r, auto respond) { api->handle(std::move(r), std::move(respond)); });
    server->start();
    thread = std::thread([this] { server->run(); });
  }
  ~Peer() {
    server->stop();
    thread.join();
    api->join();
  }
  test::HttpReply get(const std::string& target, const std::string& key, std::map<std::string, std::string> headers = {}) {
    headers["X-API-Key"] = key;
    return test::http_get(server->port(), target, headers);
  }
};

void check_tags_and_versions(const std::string& url) {
  test::Daemon d(url, {}, {}, memory());
  const std::string page = "/api/v1/events?limit=5&sort=event_date";
  auto first = d.get(page, d.key_a);
  BOOST_TEST_REQUIRE(first.status == 200u);
  const std::string tag = first.headers["etag"];
  BOOST_TEST(tag.size() == 34u);  // a quoted 32-digit tag
  BOOST_TEST(first.headers["cache-control"] == "private, no-cache");
  auto again = d.get(page, d.key_a);
  BOOST_TEST(again.headers["etag"] == tag);
  BOOST_TEST(again.body == first.body);
  // the same parameters in another order are the same request
  BOOST_TEST(d.get("/api/v1/events?sort=event_date&limit=5", d.key_a).headers["etag"] == tag);

  for (const std::string& held : {tag, "W/" + tag, "\"other\", " + tag, std::string("*")}) {
    auto revalidated = d.get(page, d.key_a, {{"If-None-Match", held}});
    BOOST_TEST_CONTEXT(held) {
      BOOST_TEST(revalidated.status == 304u);
      BOOST_TEST(revalidated.body.empty());
      BOOST_TEST(revalidated.headers["etag"] == tag);
    }
  }
  BOOST_TEST(d.get(page, d.key_a, {{"If-None-Match", "\"someone-elses\""}}).status == 200u);

  // another partner asking the same path gets its own answer under its own tag
  auto other = d.get(page, d.key_b);
  BOOST_TEST(other.status == 200u);
  BOOST_TEST(other.headers["etag"] != tag);
  BOOST_TEST(other.body != first.body);
  BOOST_TEST(d.get(page, d.key_b, {{"If-None-Match", tag}}).status == 200u);

  // a write moves A's version: the same page is computed again, with the new event in it
  const std::string writer = d.full_key(d.a);
  auto created = d.send("POST", "/api/v1/events", writer,
                        R"({"event_name":"Cache Buster 5K","event_date":"1999-01-01","city":"Troy","state":"NY"})");
  BOOST_TEST_REQUIRE(created.status == 201u, created.body);
  auto after = d.get(page, d.key_a, {{"If-None-Match", tag}});
  BOOST_TEST(after.status == 200u);
  BOOST_TEST(after.headers["etag"] != tag);
  BOOST_TEST(after.body.find("Cache Buster 5K") != std::string::npos);
  // B's answers did not move
  BOOST_TEST(d.get(page, d.key_b, {{"If-None-Match", other.headers["etag"]}}).status == 304u);

  // a question's answer is kept too, by its body
  const std::string question = R"({"query":"How many runners finished the Boston Marathon under 3 hours?"})";
  auto asked = d.send("POST", "/api/v1/nl-query", writer, question);
  BOOST_TEST_REQUIRE(asked.status == 200u, asked.body);
  BOOST_TEST(d.send("POST", "/api/v1/nl-query", writer, question, {{"If-None-Match", asked.headers["etag"]}}).status == 304u);
  BOOST_TEST(d.send("POST", "/api/v1/nl-query", writer, R"({"query":"How many runners finished the Boston Marathon?"})",
                    {{"If-None-Match", asked.headers["etag"]}}).status == 200u);
  // a report's CSV and its JSON are different answers
  const auto race = test::first_id(d, "/api/v1/races?limit=1", d.key_a, "race_id");
  const std::string report = "/api/v1/reports/finishers?race_id=" + std::to_string(race);
  auto json = d.get(report, d.key_a), csv = d.get(report, d.key_a, {{"Accept", "text/csv"}});
  BOOST_TEST(json.status == 200u);
  BOOST_TEST(csv.status == 200u);
  BOOST_TEST(json.headers["etag"] != csv.headers["etag"]);
  BOOST_TEST(d.get(report, d.key_a, {{"Accept", "text/csv"}}).body == csv.body);
  BOOST_TEST(d.get(report, d.key_a, {{"Accept", "text/csv"}}).headers["content-type"] == csv.headers["content-type"]);
}

// A gzip body back to its bytes ("" when it is not one gzip member of exactly `size` bytes).
std::string gunzip(const std::string& body, std::size_t size) {
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> d(libdeflate_alloc_decompressor(),
                                                                                       &libdeflate_free_decompressor);
  std::string out(size, '\0');
  std::size_t got = 0;
  if (libdeflate_gzip_decompress(d.get(), body.data(), body.size(), out.data(), out.size(), &got) != LIBDEFLATE_SUCCESS)
    return {};
  out.resize(got);
  return out;
}

// A client that takes gzip gets the same answer compressed, under a tag of its own; one that does not
// (or refuses it with q=0) gets it as before; small answers and problems go out as they are.
void check_gzip(const std::string& url) {
  test::Daemon d(url, {}, {}, memory());
  const auto race = test::first_id(d, "/api/v1/races?limit=1", d.key_a, "race_id");
  const std::string page = "/api/v1/races/" + std::to_string(race) + "/results?limit=50";
  const auto gzip = [](const char* accept) { return std::map<std::string, std::string>{{"Accept-Encoding", accept}}; };
  auto plain = d.get(page, d.key_a);
  BOOST_TEST_REQUIRE(plain.status == 200u);
  BOOST_TEST_REQUIRE(plain.body.size() > 2000u);
  BOOST_TEST(plain.headers.count("content-encoding") == 0u);
  BOOST_TEST(plain.headers["vary"] == "Accept-Encoding");
  for (int kept = 0; kept < 2; ++kept) {  // made, then served from the cache
    auto zipped = d.get(page, d.key_a, gzip("gzip, deflate, br"));
    BOOST_TEST_REQUIRE(zipped.status == 200u);
    BOOST_TEST(zipped.headers["content-encoding"] == "gzip");
    BOOST_TEST(zipped.headers["vary"] == "Accept-Encoding");
    BOOST_TEST(zipped.headers["content-type"] == plain.headers["content-type"]);
    BOOST_TEST(zipped.body.size() * 3 < plain.body.size());
    BOOST_TEST(gunzip(zipped.body, plain.body.size()) == plain.body);
    BOOST_TEST(zipped.headers["etag"].size() == 34u);
    BOOST_TEST(zipped.headers["etag"] != plain.headers["etag"]);  // two representations, two tags
    BOOST_TEST(d.get(page, d.key_a, {{"Accept-Encoding", "gzip"}, {"If-None-Match", zipped.headers["etag"]}}).status == 304u);
    // the plain tag does not stand for the compressed bytes
    BOOST_TEST(d.get(page, d.key_a, {{"Accept-Encoding", "gzip"}, {"If-None-Match", plain.headers["etag"]}}).status == 200u);
  }
  for (const char* takes : {"GZIP;q=0.5", "x-gzip", "*", "br, *;q=0.1", " deflate , gzip ; q=1 "})
    BOOST_TEST(d.get(page, d.key_a, gzip(takes)).headers["content-encoding"] == "gzip", takes);
  for (const char* refuses : {"identity", "gzip;q=0", "gzip;q=0, *", "*;q=0", "br", "gzip;q=abc", ""}) {
    auto r = d.get(page, d.key_a, gzip(refuses));
    BOOST_TEST(r.headers.count("content-encoding") == 0u, refuses);
    BOOST_TEST(r.body == plain.body, refuses);
    BOOST_TEST(r.headers["etag"] == plain.headers["etag"], refuses);
  }
  // small: not worth it
  auto small = d.get("/api/v1/events?limit=1", d.key_a, gzip("gzip"));
  BOOST_TEST(small.status == 200u);
  BOOST_TEST(small.body.size() < 1024u);
  BOOST_TEST(small.headers.count("content-encoding") == 0u);
  // a problem goes out as it is
  auto missing = d.get("/api/v1/races/999999999/results", d.key_a, gzip("gzip"));
  BOOST_TEST(missing.status == 404u);
  BOOST_TEST(missing.headers.count("content-encoding") == 0u);
  BOOST_TEST(test::code_of(missing) == "not_found");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(response_cache)

BOOST_AUTO_TEST_CASE(gzip_on_sqlite) {
  test::TempDir dir;
  check_gzip(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(gzip_on_postgresql) { check_gzip(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_CASE(tags_and_versions_on_sqlite) {
  test::TempDir dir;
  check_tags_and_versions(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(tags_and_versions_on_postgresql) {
  check_tags_and_versions(test::ThrowawayPostgres::shared().create_database());
}

// A kept page is served without reading its tables: with the results table renamed away, the kept page
// still answers while a page never asked for fails.
BOOST_AUTO_TEST_CASE(a_kept_page_reads_no_table) {
  auto& pg = test::ThrowawayPostgres::shared();
  const std::string url = pg.create_database();
  test::Daemon d(url, {}, {}, memory());
  const auto race = test::first_id(d, "/api/v1/races?limit=1", d.key_a, "race_id");
  const std::string page = "/api/v1/races/" + std::to_string(race) + "/results?limit=50";
  auto first = d.get(page, d.key_a);
  BOOST_TEST_REQUIRE(first.status == 200u);
  const std::string database = url.substr(url.rfind('/') + 1);
  pg.superuser_sql(database, "ALTER TABLE ct_results RENAME TO ct_results_away");
  for (int i = 0; i < 20; ++i) {
    auto kept = d.get(page, d.key_a);
    BOOST_TEST(kept.status == 200u);
    BOOST_TEST(kept.body == first.body);
  }
  BOOST_TEST(d.get(page + "&offset=50", d.key_a).status >= 500u);  // not kept: it needs the table
  pg.superuser_sql(database, "ALTER TABLE ct_results_away RENAME TO ct_results");
}

// Two daemons on one PostgreSQL and one Redis: an answer kept by one is served by the other, a write
// through one is seen by the other's next answer, and a partner's quota is spent across both.
BOOST_AUTO_TEST_CASE(two_daemons_share_answers_and_quotas_through_redis) {
  auto& pg = test::ThrowawayPostgres::shared();
  const std::string url = pg.create_database();
  test::ThrowawayRedis redis;
  const auto shared_limits = [&] {
    racetimingd::app::RateLimitingOptions o;
    o.limiter = limits::make_redis_rate_limiter(limits::RedisOptions{.url = redis.url()});
    o.policy.configure("reads=40/1h");
    return o;
  };
  const auto shared_cache = [&] { return cache::make_redis_cache(cache::RedisCacheOptions{.url = redis.url()}); };
  test::Daemon one(url, {}, shared_limits(), shared_cache());
  racetimingd::app::ApiOptions peer_options;
  peer_options.rate_limits = shared_limits();
  peer_options.response_cache = shared_cache();
  Peer two(url, std::move(peer_options));

  const std::string page = "/api/v1/events?limit=50";
  auto first = one.get(page, one.key_a);
  BOOST_TEST_REQUIRE(first.status == 200u);
  const std::string database = url.substr(url.rfind('/') + 1);
  pg.superuser_sql(database, "ALTER TABLE ct_events RENAME TO ct_events_away");
  auto served = two.get(page, one.key_a);  // kept by the first daemon, in Redis
  pg.superuser_sql(database, "ALTER TABLE ct_events_away RENAME TO ct_events");
  BOOST_TEST(served.status == 200u);
  BOOST_TEST(served.body == first.body);
  BOOST_TEST(served.headers["etag"] == first.headers["etag"]);

  // a write through the second daemon; the first sees it once its remembered version is older than 250 ms
  test::HttpReply created = test::http_request(
      two.server->port(), "POST", "/api/v1/events",
      {{"X-API-Key", one.full_key(one.a)}, {"Content-Type", "application/json"}},
      R"({"event_name":"Seen Everywhere 10K","event_date":"1998-05-05","city":"Troy","state":"NY"})");
  BOOST_TEST_REQUIRE(created.status == 201u, created.body);
  std::this_thread::sleep_for(300ms);
  auto after = one.get(page, one.key_a, {{"If-None-Match", first.headers["etag"]}});
  BOOST_TEST(after.status == 200u);
  BOOST_TEST(after.body.find("Seen Everywhere 10K") != std::string::npos);

  // B's quota of 40 reads, spent through both daemons
  int allowed = 0;
  for (int i = 0; i < 44; ++i) {
    const auto r = i % 2 ? one.get("/api/v1/races?limit=1", one.key_b) : two.get("/api/v1/races?limit=1", one.key_b);
    allowed += r.status == 200u;
  }
  BOOST_TEST(allowed == 40);
}

BOOST_AUTO_TEST_SUITE_END()
