// An attacker's tour over real HTTP, on both databases: every route with an id in its path, called
// with another partner's credential, answers 404 (or refuses the body) and changes nothing; tokens
// forged with "none", another algorithm, an unknown or missing kid, or another partner's header are
// refused; and the daemon's own logs, run as a process, never hold a key, a secret or a token.
#include <boost/test/unit_test.hpp>

#include <jwt.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <thread>

#include "api_fixture.hpp"
#include "racetiming/admin/api_keys.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

// A's ids for each path parameter, as B will try them.
std::map<std::string, std::string> ids_of_a(test::Daemon& d, const std::string& key) {
  std::map<std::string, std::string> ids;
  ids["event_id"] = std::to_string(test::first_id(d, "/api/v1/events?limit=1", key, "event_id"));
  ids["race_id"] = std::to_string(test::first_id(d, "/api/v1/races?limit=1", key, "race_id"));
  ids["participant_id"] = std::to_string(test::first_id(d, "/api/v1/participants?limit=1", key, "participant_id"));
  ids["result_id"] = std::to_string(test::first_id(d, "/api/v1/results?limit=1", key, "result_id"));
  auto alias = d.send("POST", "/api/v1/event-aliases", key, R"({"alias":"the A race","event_name":"Boston Marathon"})");
  BOOST_REQUIRE_MESSAGE(alias.status == 201u, alias.body);
  ids["event_alias_id"] = std::to_string(test::parse(alias.body)["event_alias_id"].GetInt64());
  auto imported = d.send("POST", "/api/v1/imports", key,
                         "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\r\n"
                         "A Only 5K,2025-03-01,5K,5000,1,Ann,Lee,F,30,finished,0:20:00\r\n",
                         {{"Content-Type", "text/csv"}});
  BOOST_REQUIRE_MESSAGE(imported.status == 200u, imported.body);
  ids["sync_run_id"] = std::to_string(test::parse(imported.body)["sync_run_id"].GetInt64());
  ids["provider"] = "runsignup";
  ids["partner_id"] = std::to_string(d.a);
  return ids;
}

std::string fill(std::string pattern, const std::map<std::string, std::string>& ids) {
  for (const auto& [name, value] : ids) {
    const std::string slot = "{" + name + "}";
    for (auto at = pattern.find(slot); at != std::string::npos; at = pattern.find(slot)) pattern.replace(at, slot.size(), value);
  }
  return pattern;
}

void check_every_route_against_another_partner(const std::string& url) {
  test::Daemon d(url);
  const std::string a_key = d.full_key(d.a), b_key = d.full_key(d.b);
  const auto ids = ids_of_a(d, a_key);
  int tried = 0;
  for (const auto& route : d.api->router().routes()) {
    if (route.permission.empty() || route.pattern.find('{') == std::string::npos) continue;
    if (route.pattern.starts_with("/v1/")) continue;  // the chat API's model ids are not records
    // under /api/v1/partners/{partner_id} B names A's partner: refused before anything else
    const std::string target = fill(route.pattern, ids);
    const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : R"({"event_name":"taken"})";
    std::map<std::string, std::string> headers;
    if (!body.empty()) headers["Content-Type"] = "application/json";
    const auto before = d.get(fill(route.pattern, ids), a_key);
    const auto r = d.send(route.method, target, b_key, body, headers);
    BOOST_TEST_CONTEXT(route.method << " " << target) {
      ++tried;
      BOOST_TEST((r.status == 404u || r.status == 403u || r.status == 400u), r.status << " " << r.body);
      BOOST_TEST(r.body.find("Boston") == std::string::npos);  // nothing of A's in the refusal
      if (route.method != "GET") {  // nothing changed: the record reads as before (where it can be read)
        const auto after = d.get(target, a_key);
        BOOST_TEST(after.status == before.status);
        if (before.status == 200u) BOOST_TEST(after.body == before.body);
      }
    }
  }
  BOOST_TEST(tried >= 30);
}

// A token of partner 1 shaped as the daemon issues them, edited in one way: unedited, signed HS256
// with the fixture's "current" key, it is accepted (the control below).
std::string token(const std::function<void(jwt_t*)>& edit, jwt_alg_t alg, const std::string& kid, const std::string& secret) {
  jwt_t* raw = nullptr;
  jwt_new(&raw);
  std::unique_ptr<jwt_t, void (*)(jwt_t*)> j(raw, jwt_free);
  jwt_add_grant(j.get(), "iss", "racetiming");
  jwt_add_grant(j.get(), "aud", "racetiming-api");
  jwt_add_grant_int(j.get(), "tp", 1);
  jwt_add_grant(j.get(), "scope", "read:events");
  jwt_add_grant_int(j.get(), "iat", std::time(nullptr));
  jwt_add_grant_int(j.get(), "exp", std::time(nullptr) + 600);
  if (!kid.empty()) jwt_add_header(j.get(), "kid", kid.c_str());
  edit(j.get());
  jwt_set_alg(j.get(), alg, alg == JWT_ALG_NONE ? nullptr : reinterpret_cast<const unsigned char*>(secret.data()),
              alg == JWT_ALG_NONE ? 0 : static_cast<int>(secret.size()));
  std::unique_ptr<char, decltype(&std::free)> text(jwt_encode_str(j.get()), &std::free);
  return text ? std::string(text.get()) : std::string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adversarial)

BOOST_AUTO_TEST_CASE(every_id_route_refuses_another_partner_on_sqlite) {
  test::TempDir dir;
  check_every_route_against_another_partner(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(every_id_route_refuses_another_partner_on_postgresql) {
  check_every_route_against_another_partner(test::ThrowawayPostgres::shared().create_database());
}

BOOST_AUTO_TEST_CASE(forged_and_crossed_tokens_are_refused) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url());
  const std::string secret = test::jwt_config().keys.at(0).secret, retired = test::jwt_config().keys.at(1).secret;
  auto issued = d.send("POST", "/api/v1/auth/token", d.key_a);
  const std::string good = test::parse(issued.body)["access_token"].GetString();
  auto issued_b = d.send("POST", "/api/v1/auth/token", d.key_b);
  const std::string good_b = test::parse(issued_b.body)["access_token"].GetString();
  const auto with = [&](const std::string& t, std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + t;
    return d.get("/api/v1/events?limit=1", "", headers);
  };
  BOOST_TEST(with(good).status == 200u);
  BOOST_TEST_REQUIRE(d.a == 1);
  BOOST_TEST(with(token([](jwt_t*) {}, JWT_ALG_HS256, "current", secret)).status == 200u);  // the control
  for (const auto& [why, forged] : std::vector<std::pair<std::string, std::string>>{
           {"alg none", token([](jwt_t*) {}, JWT_ALG_NONE, "current", "")},
           {"HS512 with the right secret", token([](jwt_t*) {}, JWT_ALG_HS512, "current", secret)},
           {"an unknown kid", token([](jwt_t*) {}, JWT_ALG_HS256, "elsewhere", secret)},
           {"no kid", token([](jwt_t*) {}, JWT_ALG_HS256, "", secret)},
           {"a retired kid", token([](jwt_t*) {}, JWT_ALG_HS256, "retired", retired)},
           {"a kid naming another key's secret", token([](jwt_t*) {}, JWT_ALG_HS256, "retired", secret)},
           {"a guessed secret", token([](jwt_t*) {}, JWT_ALG_HS256, "current", std::string(48, 'x'))},
           {"expired an hour ago (past any clock leeway)", token([](jwt_t* j) { jwt_del_grants(j, "exp"); jwt_add_grant_int(j, "exp", std::time(nullptr) - 3600); },
                              JWT_ALG_HS256, "current", secret)},
           {"another audience", token([](jwt_t* j) { jwt_del_grants(j, "aud"); jwt_add_grant(j, "aud", "other"); },
                                      JWT_ALG_HS256, "current", secret)},
       }) {
    BOOST_TEST_CONTEXT(why) {
      const auto r = with(forged);
      BOOST_TEST(r.status == 401u);
      BOOST_TEST(test::code_of(r) == "unauthenticated");
    }
  }
  // A's token naming B's partner; A's key with B's token: refused, never "the valid one wins"
  BOOST_TEST(test::code_of(with(good, {{"X-Timing-Partner-ID", std::to_string(d.b)}})) == "tenant_mismatch");
  BOOST_TEST(d.get("/api/v1/events?limit=1", d.key_a, {{"Authorization", "Bearer " + good_b}}).status == 400u);
  BOOST_TEST(d.get("/api/v1/partners/" + std::to_string(d.a) + "/events", "", {{"Authorization", "Bearer " + good_b}}).status == 403u);
}

// The daemon as a process with its access log on: whatever credentials its clients send, in headers,
// query strings or bodies, none appears in what it writes.
BOOST_AUTO_TEST_CASE(logs_hold_no_credentials) {
  test::TempDir dir;
  std::string key, secret_part;
  {
    Engine engine(dir.sqlite_url());
    const auto partner = engine.add_partner("Logged", "logged");
    key = engine.create_key(partner).api_key;
    secret_part = key.substr(16);
  }
  const int port = 22000 + static_cast<int>(getpid() % 20000);
  const auto out = dir.path() / "daemon.out", err = dir.path() / "daemon.err";
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    freopen(out.c_str(), "w", stdout);
    freopen(err.c_str(), "w", stderr);
    const std::string db = dir.sqlite_url(), listen = "127.0.0.1:" + std::to_string(port);
    execl(RACETIMINGD_PATH, RACETIMINGD_PATH, "--db", db.c_str(), "--listen", listen.c_str(), "--jwt-key",
          ("k1:" + std::string(40, 's')).c_str(), nullptr);
    _exit(127);
  }
  const auto port16 = static_cast<unsigned short>(port);
  bool up = false;
  for (int i = 0; i < 150 && !up; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      up = test::http_get(port16, "/readyz").status == 200u;
    } catch (const std::exception&) {
    }
  }
  BOOST_REQUIRE(up);
  auto issued = test::http_request(port16, "POST", "/api/v1/auth/token", {{"X-API-Key", key}});
  const std::string jwt = test::parse(issued.body)["access_token"].GetString();
  test::http_get(port16, "/api/v1/events?api_key=" + key + "&token=" + jwt, {{"X-API-Key", key}});
  test::http_get(port16, "/api/v1/events", {{"X-API-Key", key + "x"}});
  test::http_get(port16, "/api/v1/events", {{"Authorization", "Bearer " + jwt}});
  test::http_get(port16, "/api/v1/events", {{"Authorization", "Bearer " + jwt + "tampered"}});
  test::http_request(port16, "POST", "/api/v1/auth/natural-language", {{"X-API-Key", key}, {"Content-Type", "application/json"}},
                     R"({"message":"I'm Nobody from Logged, my key is )" + key + R"("})");
  test::http_request(port16, "POST", "/api/v1/nl-query", {{"X-API-Key", key}, {"Content-Type", "application/json"}},
                     R"({"query":")" + key + R"("})");
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string logs = test::read_file(out) + test::read_file(err);
  BOOST_TEST(logs.find("/api/v1/events") != std::string::npos);  // the access log was on
  BOOST_TEST(logs.find(secret_part) == std::string::npos);
  BOOST_TEST(logs.find(jwt.substr(jwt.rfind('.') + 1)) == std::string::npos);  // not even the signature
  BOOST_TEST(logs.find("api_key=") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
