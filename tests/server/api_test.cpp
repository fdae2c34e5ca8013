// The REST API end to end over real HTTP, on SQLite and on a throwaway PostgreSQL: every read route,
// the three tenancy modes, the tenant-isolation matrix, pagination, and the error codes.
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "racetiming/admin/api_keys.hpp"
#include "racetiming/auth/jwt.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/ingest/importer.hpp"
#include "test_support.hpp"

using namespace racetiming;
using test::http_get;
using test::HttpReply;
using test::Daemon;
using test::parse;
using test::code_of;
using test::first_id;

namespace {

void check_api(const std::string& url) {
  Daemon d(url);
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a);
  const std::string pb = "/api/v1/partners/" + std::to_string(d.b);

  // ids of A's and B's rows
  const auto a_event = first_id(d, pa + "/events?q=Boston", d.key_a, "event_id");
  const auto a_race = first_id(d, pa + "/races?event_id=" + std::to_string(a_event), d.key_a, "race_id");
  const auto a_part = first_id(d, pa + "/participants?race_id=" + std::to_string(a_race), d.key_a, "participant_id");
  const auto a_result = first_id(d, pa + "/results?race_id=" + std::to_string(a_race), d.key_a, "result_id");
  const auto b_event = first_id(d, pb + "/events?q=Hudson", d.key_b, "event_id");
  const auto b_race = first_id(d, pb + "/races?event_id=" + std::to_string(b_event), d.key_b, "race_id");
  const auto b_part = first_id(d, pb + "/participants?race_id=" + std::to_string(b_race), d.key_b, "participant_id");
  const auto b_result = first_id(d, pb + "/results?race_id=" + std::to_string(b_race), d.key_b, "result_id");

  auto routes = [](std::int64_t event, std::int64_t race, std::int64_t part, std::int64_t result) {
    const auto e = std::to_string(event), r = std::to_string(race);
    return std::vector<std::string>{"/events", "/events/" + e, "/events/" + e + "/races", "/events/" + e + "/participants",
                                    "/events/" + e + "/results", "/races", "/races/" + r, "/races/" + r + "/results",
                                    "/participants", "/participants/" + std::to_string(part), "/results",
                                    "/results/" + std::to_string(result)};
  };

  // every route answers A in all three tenancy modes
  for (const auto& route : routes(a_event, a_race, a_part, a_result)) {
    BOOST_TEST_CONTEXT(route) {
      auto by_path = d.get(pa + route, d.key_a);
      BOOST_TEST(by_path.status == 200u, by_path.body);
      BOOST_TEST(by_path.header_names.count("x-request-id") == 1u);
      BOOST_TEST(d.get("/api/v1" + route, d.key_a, {{"X-Timing-Partner-ID", std::to_string(d.a)}}).status == 200u);
      BOOST_TEST(d.get("/api/v1" + route, d.key_a, {{"Host", "big-river-api.example.test"}}).status == 200u);
      BOOST_TEST(d.get("/api/v1" + route, d.key_a).status == 200u);  // no tenant named: the key's own
    }
  }
  // the isolation matrix: A's key against B's path, header, host and ids never sees a byte of B
  for (const auto& route : routes(b_event, b_race, b_part, b_result)) {
    BOOST_TEST_CONTEXT(route) {
      auto by_path = d.get(pb + route, d.key_a);
      BOOST_TEST(by_path.status == 403u);
      BOOST_TEST(code_of(by_path) == "tenant_mismatch");
      BOOST_TEST(by_path.header_names.count("x-request-id") == 1u);  // problems carry it already: not twice
      auto by_header = d.get("/api/v1" + route, d.key_a, {{"X-Timing-Partner-ID", std::to_string(d.b)}});
      BOOST_TEST(by_header.status == 403u);
      auto by_host = d.get("/api/v1" + route, d.key_a, {{"Host", "mid-hudson-api.example.test"}});
      BOOST_TEST(by_host.status == 403u);
      // B's ids under A's own tenancy: not found, or an empty list (list filters by an id A does not have)
      auto ids = d.get(pa + route, d.key_a);
      BOOST_TEST((ids.status == 404u || ids.status == 200u));
      for (const auto& r : {by_path, by_header, by_host, ids}) {
        BOOST_TEST(r.body.find("Hudson Valley") == std::string::npos);
        BOOST_TEST(r.body.find("Rail Trail") == std::string::npos);
      }
    }
  }
  BOOST_TEST(d.get(pa + "/events/" + std::to_string(b_event), d.key_a).status == 404u);
  BOOST_TEST(code_of(d.get(pa + "/results/" + std::to_string(b_result), d.key_a)) == "not_found");

  // pagination: walk Boston's results 100 at a time through next_cursor and the Link header
  std::set<std::int64_t> seen;
  std::size_t rows = 0, graded = 0;
  std::string target = pa + "/races/" + std::to_string(a_race) + "/results?limit=100";
  for (int pages = 0; pages < 100 && !target.empty(); ++pages) {
    auto r = d.get(target, d.key_a);
    BOOST_REQUIRE(r.status == 200u);
    auto doc = parse(r.body);
    for (const auto& row : doc["data"].GetArray()) {
      seen.insert(row["result_id"].GetInt64());
      ++rows;
      BOOST_TEST(std::string(row["results_time"].GetString()).find(':') != std::string::npos);
      // a finish of the marathon is age-graded, its graded time printed too
      if (row["age_grade"].IsNumber()) {
        ++graded;
        BOOST_TEST(std::string(row["age_graded_time"].GetString()).find(':') != std::string::npos);
      }
    }
    if (doc["next_cursor"].IsNull()) {
      BOOST_TEST(r.headers.count("link") == 0u);
      target.clear();
    } else {
      const auto& link = r.headers.at("link");
      target = link.substr(1, link.find('>') - 1);
      BOOST_TEST(target.find("cursor=") != std::string::npos);
    }
  }
  BOOST_TEST(rows == seen.size());  // no row twice
  // every final row of the race (finishers and DQs): 1,383 in the fixture's Boston Marathon
  BOOST_TEST(rows == 1383u);
  BOOST_TEST(graded > rows / 2);

  // errors
  BOOST_TEST(d.get(pa + "/events", "").status == 401u);
  BOOST_TEST(code_of(d.get(pa + "/events", "rt_000000000000_" + std::string(48, '0'))) == "unauthenticated");
  auto bearer = d.get(pa + "/events", "", {{"Authorization", "Bearer abc"}});
  BOOST_TEST(bearer.status == 401u);
  BOOST_TEST(bearer.headers.at("www-authenticate").find("invalid_token") != std::string::npos);
  auto forbidden = d.get(pa + "/results", d.key_a_events_only);
  BOOST_TEST(forbidden.status == 403u);
  BOOST_TEST(code_of(forbidden) == "forbidden");
  auto bad_limit = d.get(pa + "/events?limit=0", d.key_a);
  BOOST_TEST(bad_limit.status == 400u);
  BOOST_TEST(code_of(bad_limit) == "invalid_parameter");
  BOOST_TEST(parse(bad_limit.body)["detail"].GetString() == std::string("limit must be a positive integer"));
  BOOST_TEST(code_of(d.get(pa + "/events?sort=price", d.key_a)) == "invalid_parameter");
  BOOST_TEST(code_of(d.get(pa + "/events?cursor=zzz", d.key_a)) == "invalid_parameter");
  BOOST_TEST(code_of(d.get(pa + "/results?max_time=soon", d.key_a)) == "invalid_parameter");
  BOOST_TEST(d.get(pa + "/results?max_time=3:00:00&race_id=" + std::to_string(a_race), d.key_a).status == 200u);
  BOOST_TEST(code_of(d.get("/api/v1/partners/abc/events", d.key_a)) == "invalid_parameter");
  BOOST_TEST(d.get("/api/v1/nothing-here", d.key_a).status == 404u);
  auto problem = d.get("/api/v1/nothing-here", d.key_a);
  BOOST_TEST(problem.headers.at("content-type") == "application/problem+json");
  // request ids: a sane one is echoed, anything else replaced
  BOOST_TEST(d.get("/healthz", "", {{"X-Request-ID", "abc-123"}}).headers.at("x-request-id") == "abc-123");
  BOOST_TEST(d.get("/healthz", "", {{"X-Request-ID", "bad id!"}}).headers.at("x-request-id") != "bad id!");
  BOOST_TEST(d.get("/readyz", "").status == 200u);

  // bearer tokens: exchanged for a key, scoped like it, refused when wrong
  auto exchanged = test::http_request(d.port, "POST", "/api/v1/auth/token", {{"X-API-Key", d.key_a}});
  BOOST_REQUIRE(exchanged.status == 200u);
  const std::string token = parse(exchanged.body)["access_token"].GetString();
  BOOST_TEST(d.get(pa + "/events", "", {{"Authorization", "Bearer " + token}}).status == 200u);
  BOOST_TEST(code_of(d.get(pb + "/events", "", {{"Authorization", "Bearer " + token}})) == "tenant_mismatch");
  auto bad_token = d.get(pa + "/events", "", {{"Authorization", "Bearer " + token + "x"}});
  BOOST_TEST(bad_token.status == 401u);
  BOOST_TEST(bad_token.headers.at("www-authenticate").find("invalid_token") != std::string::npos);
  BOOST_TEST(test::http_request(d.port, "POST", "/api/v1/auth/token", {{"X-API-Key", "rt_bad"}}).status == 401u);
  BOOST_TEST(d.get(pa + "/events", "", {{"Authorization", "Basic abc"}}).status == 401u);

  // revocation bites: a key revoked elsewhere (another daemon, written straight to the database) stops
  // its tokens, and the key itself though this daemon had it cached, within a second
  const auto doomed = admin::create_api_key(d.db, d.a);
  auto doomed_token = test::http_request(d.port, "POST", "/api/v1/auth/token", {{"X-API-Key", doomed.api_key}});
  BOOST_REQUIRE(doomed_token.status == 200u);
  const std::string doomed_bearer = "Bearer " + std::string(parse(doomed_token.body)["access_token"].GetString());
  BOOST_TEST(d.get(pa + "/events", "", {{"Authorization", doomed_bearer}}).status == 200u);
  BOOST_TEST(d.get(pa + "/events", doomed.api_key).status == 200u);
  admin::revoke_api_key(d.db, doomed.key_id);
  const auto revoked_at = std::chrono::steady_clock::now();
  unsigned token_status = 200, key_status = 200;
  while (std::chrono::steady_clock::now() - revoked_at < std::chrono::seconds(3) && (token_status != 401 || key_status != 401)) {
    token_status = d.get(pa + "/events", "", {{"Authorization", doomed_bearer}}).status;
    key_status = d.get(pa + "/events", doomed.api_key).status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto took = std::chrono::steady_clock::now() - revoked_at;
  BOOST_TEST(token_status == 401u);
  BOOST_TEST(key_status == 401u);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() < 1000);
  // one credential at a time: a token beside a key (valid or not) is refused, never "the valid one wins"
  auto both = d.get(pa + "/events", "rt_not_a_key", {{"Authorization", "Bearer " + token}});
  BOOST_TEST(both.status == 400u);
  BOOST_TEST(code_of(both) == "invalid_parameter");
  BOOST_TEST(d.get(pa + "/events", d.key_a, {{"Authorization", "Bearer " + token}}).status == 400u);
  // a JSON route takes JSON only
  const std::string asker = d.full_key(d.a);
  auto plain = d.send("POST", pa + "/nl-query", asker, R"({"query":"How many runners finished the Boston Marathon under 3 hours?"})", {{"Content-Type", "text/plain"}});
  BOOST_TEST(plain.status == 415u);
  BOOST_TEST(code_of(plain) == "unsupported_media_type");
  BOOST_TEST(d.send("POST", pa + "/nl-query", asker, R"({"query":"How many runners finished the Boston Marathon under 3 hours?"})",
                    {{"Content-Type", "application/x-www-form-urlencoded"}}).status == 415u);
  auto charset = d.send("POST", pa + "/nl-query", asker, R"({"query":"How many runners finished the Boston Marathon under 3 hours?"})",
                        {{"Content-Type", "Application/JSON; charset=utf-8"}});
  BOOST_TEST(charset.status == 200u, charset.body);
  // what every answer carries
  auto listed = d.get(pa + "/events", d.key_a);
  BOOST_TEST(listed.headers.at("x-content-type-options") == "nosniff");
  // a cacheable read may be kept by the browser, revalidated by its ETag; other credentialed answers not at all
  BOOST_TEST(listed.headers.at("cache-control") == "private, no-cache");
  BOOST_TEST(listed.headers.count("etag") == 1u);
  BOOST_TEST(d.get(pa + "/events/999999999", d.key_a).headers.at("cache-control") == "no-store");
  BOOST_TEST(d.send("DELETE", pa + "/events/999999999", d.full_key(d.a)).headers.at("cache-control") == "no-store");
  auto health = d.get("/healthz", "");
  BOOST_TEST(health.headers.at("x-content-type-options") == "nosniff");
  BOOST_TEST(health.headers.count("cache-control") == 0u);
  auto docs = d.get("/docs/", "");
  BOOST_TEST(docs.headers.at("content-security-policy").find("script-src 'self'") != std::string::npos);
  BOOST_TEST(docs.headers.at("x-frame-options") == "DENY");
  BOOST_TEST(d.get(pa + "/events", "").headers.count("content-security-policy") == 0u);

  // revoked through the Engine, at once
  const auto second = admin::create_api_key(d.db, d.a);
  auto second_token = test::http_request(d.port, "POST", "/api/v1/auth/token", {{"X-API-Key", second.api_key}});
  BOOST_REQUIRE(second_token.status == 200u);
  d.engine.revoke_key(second.key_id);
  BOOST_TEST(d.get(pa + "/events", "", {{"Authorization", "Bearer " + std::string(parse(second_token.body)["access_token"].GetString())}}).status == 401u);

  // metrics count what was served, by route pattern and status
  auto metrics = d.get("/metrics", "");
  BOOST_TEST(metrics.status == 200u);
  BOOST_TEST(metrics.body.find("racetiming_http_requests_total{route=\"/api/v1/partners/{partner_id}/events\","
                               "method=\"GET\",status=\"200\"}") != std::string::npos);
  BOOST_TEST(metrics.body.find("status=\"403\"") != std::string::npos);
  BOOST_TEST(metrics.body.find("racetiming_http_request_duration_seconds_bucket") != std::string::npos);
  BOOST_TEST(metrics.body.find("racetiming_db_pool_connections{state=\"in_use\"}") != std::string::npos);
  // On PostgreSQL, list and get reads under a cached key ran on the I/O threads (everything above passed
  // through them); SQLite has no socket to wait on, so its reads all ran on workers.
  const std::string counter = "\nracetiming_db_inline_reads_total ";
  const auto inline_at = metrics.body.find(counter);
  BOOST_REQUIRE(inline_at != std::string::npos);
  const auto inline_reads = std::stoll(metrics.body.substr(inline_at + counter.size()));
  if (d.db.dialect() == Dialect::postgresql) BOOST_TEST(inline_reads > 20);
  else BOOST_TEST(inline_reads == 0);
}

void check_event_writes(const std::string& url) {
  Daemon d(url);
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a);
  const std::string pb = "/api/v1/partners/" + std::to_string(d.b);
  const std::string writer = admin::create_api_key(d.db, d.a, {}, {"read:events", "write:events", "read:results"}).api_key;
  auto send = [&](const std::string& method, const std::string& target, const std::string& key, const std::string& body = {}) {
    return d.send(method, target, key, body);
  };

  auto created = send("POST", pa + "/events", writer, R"({"event_name":"Spring 5K","event_date":"2025-04-01","city":"Beacon"})");
  BOOST_REQUIRE(created.status == 201u);
  auto event = parse(created.body);
  const std::string id = std::to_string(event["event_id"].GetInt64());
  BOOST_TEST(created.headers.at("location") == pa + "/events/" + id);
  BOOST_TEST(std::string(event["status"].GetString()) == "scheduled");
  BOOST_TEST(d.get(created.headers.at("location"), writer).status == 200u);

  auto patched = parse(send("PATCH", pa + "/events/" + id, writer, R"({"status":"active"})").body);
  BOOST_TEST(std::string(patched["status"].GetString()) == "active");
  BOOST_TEST(std::string(patched["event_name"].GetString()) == "Spring 5K");
  auto replaced = parse(send("PUT", pa + "/events/" + id, writer, R"({"event_name":"Spring 5K II","event_date":"2025-04-02"})").body);
  BOOST_TEST(replaced["city"].IsNull());
  BOOST_TEST(std::string(replaced["status"].GetString()) == "scheduled");

  // bad bodies name what is wrong
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"event_name":"No Date"})", "event_date"}, {"not json", "body"}, {R"({"shoe":"x"})", "shoe"},
           {R"({"event_name":"X","event_date":"2025-13-01"})", "event_date"},
           {R"({"event_name":"X","event_date":"2025-01-01","status":"done"})", "status"},
           {R"({"event_name":5,"event_date":"2025-01-01"})", "event_name"}}) {
    auto r = send("POST", pa + "/events", writer, body);
    BOOST_TEST(r.status == 400u, body);
    BOOST_TEST(parse(r.body)["detail"].GetString() != std::string(), body);
    BOOST_TEST(std::string(parse(r.body)["detail"].GetString()).find(field) != std::string::npos, body);
  }
  // a key without write:events may not write; another partner's events are not there to write
  BOOST_TEST(code_of(send("POST", pa + "/events", d.key_a, R"({"event_name":"X","event_date":"2025-01-01"})")) == "forbidden");
  const auto b_event = std::to_string(first_id(d, pb + "/events", d.key_b, "event_id"));
  BOOST_TEST(send("PATCH", pa + "/events/" + b_event, writer, R"({"status":"active"})").status == 404u);
  BOOST_TEST(send("DELETE", pa + "/events/" + b_event + "?cascade=true", writer).status == 404u);
  BOOST_TEST(code_of(send("DELETE", pb + "/events/" + b_event, writer)) == "tenant_mismatch");
  BOOST_TEST(d.get(pb + "/events/" + b_event, d.key_b).status == 200u);  // untouched

  // an event with results goes only with cascade, and takes its races, entries and results along
  const auto boston = std::to_string(first_id(d, pa + "/events?q=Boston", writer, "event_id"));
  auto refused = send("DELETE", pa + "/events/" + boston, writer);
  BOOST_TEST(refused.status == 409u);
  BOOST_TEST(code_of(refused) == "conflict");
  BOOST_TEST(code_of(send("DELETE", pa + "/events/" + boston + "?cascade=maybe", writer)) == "invalid_parameter");
  BOOST_TEST(send("DELETE", pa + "/events/" + boston + "?cascade=true", writer).status == 204u);
  BOOST_TEST(d.get(pa + "/events/" + boston, writer).status == 404u);
  BOOST_TEST(parse(d.get(pa + "/results?event_id=" + boston, writer).body)["data"].Size() == 0u);
  BOOST_TEST(send("DELETE", pa + "/events/" + id, writer).status == 204u);
  BOOST_TEST(d.get(pa + "/events/" + id, writer).status == 404u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(event_writes_on_sqlite) {
  test::TempDir dir;
  check_event_writes(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(event_writes_on_postgresql) { check_event_writes(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_CASE(api_on_sqlite) {
  test::TempDir dir;
  check_api(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(api_on_postgresql) { check_api(test::ThrowawayPostgres::shared().create_database()); }

// The daemon binary itself, configured by a file: serves, and on SIGTERM stops accepting, drains and
// exits 0. A bad setting stops it at start with a non-zero status.
BOOST_AUTO_TEST_CASE(racetimingd_reads_its_config_and_exits_cleanly_on_sigterm) {
  test::TempDir dir;
  const int port = test::free_port();
  const auto config = (dir.path() / "racetimingd.toml").string();
  {
    std::ofstream out(config);
    out << "db = \"" << dir.sqlite_url() << "\"\nlisten = \"127.0.0.1:" << port << "\"\nquiet = true\n";
  }
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    execl(RACETIMINGD_PATH, RACETIMINGD_PATH, "--config", config.c_str(), nullptr);
    _exit(127);
  }
  bool served = false;
  for (int i = 0; i < 300 && !served; ++i) {  // up to 15 s: a loaded CI machine starts slowly
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      served = http_get(static_cast<unsigned short>(port), "/readyz").status == 200u;
    } catch (const std::exception&) {
    }
  }
  BOOST_TEST(served);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);

  auto bad = test::run_command({RACETIMINGD_PATH, "--db", "mysql://nowhere", "--listen", "127.0.0.1:1"});
  BOOST_TEST(bad.exit_code != 0);
  BOOST_TEST(bad.err.find("unsupported database URL") != std::string::npos, bad.err);
  auto bad_key = test::run_command({RACETIMINGD_PATH, "--db", dir.sqlite_url("k.db"), "--jwt-key", "k:short"});
  BOOST_TEST(bad_key.exit_code != 0);
  BOOST_TEST(bad_key.err.find("at least 32 bytes") != std::string::npos, bad_key.err);
  auto bad_replica = test::run_command({RACETIMINGD_PATH, "--db", dir.sqlite_url("r.db"), "--read-db", dir.sqlite_url("replica.db")});
  BOOST_TEST(bad_replica.exit_code != 0);
  BOOST_TEST(bad_replica.err.find("read replica needs PostgreSQL") != std::string::npos, bad_replica.err);
}
