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
  const int port = test::free_port();
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

// The adversarial suite: one table of attacks, each a raw request (so that duplicate and malformed
// headers can be sent) with the answer it must get, run against a daemon on SQLite and on PostgreSQL. On
// PostgreSQL the daemon has one pooled connection, so every request reuses the one the attacker's last
// request left. After the table: every refusal left an audit row, no audit row holds a credential, and
// an edited audit row is found. The attacks that need a daemon with limits on (independent per-partner
// limits, a spoofed X-Forwarded-For, the failed-authentication lockout) are in rate_limit_test.cpp.
namespace {

struct Reply {
  unsigned status = 0;
  std::string head, body;
  bool closed = false;
  int responses = 0;  // status lines received: a smuggled request would add one
};

Reply exchange(unsigned short port, const std::string& bytes) {
  const auto raw = test::raw_exchange(port, bytes, std::chrono::seconds(5));
  Reply r;
  r.closed = raw.closed_by_server;
  for (auto at = raw.received.find("HTTP/1.1 "); at != std::string::npos; at = raw.received.find("HTTP/1.1 ", at + 1)) ++r.responses;
  if (raw.received.starts_with("HTTP/1.1 ")) r.status = static_cast<unsigned>(std::stoi(raw.received.substr(9, 3)));
  const auto end = raw.received.find("\r\n\r\n");
  r.head = raw.received.substr(0, end);
  if (end != std::string::npos) r.body = raw.received.substr(end + 4);
  for (char& c : r.head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// A request as bytes: Host (unless given or `no_host`), Content-Length for a body (unless a framing
// header is given), Connection: close.
std::string request(const std::string& method, const std::string& target, const Headers& headers, const std::string& body = {},
                    bool no_host = false) {
  std::string out = method + " " + target + " HTTP/1.1\r\n";
  bool host = no_host, framed = false;
  for (const auto& [name, value] : headers) {
    out += name + ": " + value + "\r\n";
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    host = host || lower == "host";
    framed = framed || lower == "content-length" || lower == "transfer-encoding";
  }
  if (!host) out += "Host: localhost\r\n";
  if (!body.empty() && !framed) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return out + "Connection: close\r\n\r\n" + body;
}

struct Attack {
  std::string name;
  std::string bytes;
  unsigned status;
  std::string code;                                // "" : any body
  std::function<void(const Reply&)> also = nullptr;  // further checks
};

void run_suite(const std::string& url, racetiming::DatabaseOptions options) {
  test::Daemon d(url, options);
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a), pb = "/api/v1/partners/" + std::to_string(d.b);
  const std::string writer_a = d.full_key(d.a), writer_b = d.full_key(d.b);
  const auto token_of = [&](const std::string& key) {
    auto r = d.send("POST", "/api/v1/auth/token", key);
    BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
    return std::string(test::parse(r.body)["access_token"].GetString());
  };
  const std::string token_a = token_of(d.key_a), token_b = token_of(d.key_b);
  const std::string secret = test::jwt_config().keys.at(0).secret, retired = test::jwt_config().keys.at(1).secret;
  const auto doomed = admin::create_api_key(d.db, d.a);
  const std::string doomed_token = token_of(doomed.api_key);
  admin::revoke_api_key(d.db, doomed.key_id);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // revocation is seen within a second
  const std::string b_event = std::to_string(test::first_id(d, "/api/v1/events?limit=1", d.key_b, "event_id"));
  const std::string b_participant = std::to_string(test::first_id(d, "/api/v1/participants?limit=1", d.key_b, "participant_id"));
  const std::string b_result = std::to_string(test::first_id(d, "/api/v1/results?limit=1", d.key_b, "result_id"));
  const std::string b_event_before = d.get("/api/v1/events/" + b_event, d.key_b).body;
  // A's token with its partner claim changed to B's and the signature kept
  const auto payload_swapped = [&] {
    const auto dot1 = token_a.find('.'), dot2 = token_a.rfind('.');
    const auto forged = token([&](jwt_t* j) { jwt_del_grants(j, "tp"); jwt_add_grant_int(j, "tp", d.b); }, JWT_ALG_HS256, "current",
                              std::string(48, 'x'));
    const auto f1 = forged.find('.'), f2 = forged.rfind('.');
    return token_a.substr(0, dot1) + forged.substr(f1, f2 - f1) + token_a.substr(dot2);
  }();
  const Headers key_a{{"X-API-Key", d.key_a}};
  const Headers writer{{"X-API-Key", writer_a}, {"Content-Type", "application/json"}};
  const auto bearer = [](const std::string& t) { return Headers{{"Authorization", "Bearer " + t}}; };
  const auto no_leak = [](const Reply& r) {
    BOOST_TEST(r.body.find("Boston") == std::string::npos);
    BOOST_TEST(r.body.find("SQL") == std::string::npos);
  };
  const auto bounded = [](const Reply& r) { BOOST_TEST(r.body.size() < 2048u, r.body.size()); };
  const auto smuggled = [](const Reply& r) {
    BOOST_TEST(r.responses == 1);
    BOOST_TEST(r.closed);
  };
  const std::string nl = R"({"query":"How many runners finished the Boston Marathon under 3 hours?"})";
  const std::string csv_head = "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\r\n";
  const auto forged = [&](const std::function<void(jwt_t*)>& edit, jwt_alg_t alg, const std::string& kid, const std::string& with) {
    return request("GET", "/api/v1/events?limit=1", bearer(token(edit, alg, kid, with)));
  };
  const auto none = [](jwt_t*) {};

  const std::vector<Attack> attacks{
      // framing: each would be read as something else by a lenient server
      {"TE chunked, identity smuggles a request",
       request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Content-Type", "application/json"}, {"Transfer-Encoding", "chunked, identity"}},
               "GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n"),
       400, "", smuggled},
      {"TE gzip, identity", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Transfer-Encoding", "gzip, identity"}}, "x"), 400, "", smuggled},
      {"TE gzip, chunked", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Transfer-Encoding", "gzip, chunked"}}, "0\r\n\r\n"), 400, ""},
      {"TE twice", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}, "0\r\n\r\n"), 400, ""},
      {"TE and Content-Length", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}, "0\r\n\r\n"), 400, ""},
      {"Content-Length list", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Content-Length", "2, 2"}}, "{}"), 400, ""},
      {"Content-Length with a sign", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Content-Length", "+2"}}, "{}"), 400, ""},
      {"two Content-Lengths", request("POST", pa + "/nl-query", {{"X-API-Key", writer_a}, {"Content-Length", "2"}, {"Content-Length", "3"}}, "{} "), 400, ""},
      {"HTTP/1.1 without Host", request("GET", "/api/v1/events", key_a, "", true), 400, ""},
      {"two Hosts", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a}, {"Host", "big-river-api.example.test"}, {"Host", "mid-hudson-api.example.test"}}), 400, ""},
      {"two API keys", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a}, {"X-API-Key", d.key_b}}), 400, ""},
      {"two partner headers", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a}, {"X-Timing-Partner-ID", std::to_string(d.a)}, {"X-Timing-Partner-ID", std::to_string(d.b)}}), 400, ""},
      {"two Authorizations", request("GET", "/api/v1/events", {{"Authorization", "Bearer " + token_a}, {"Authorization", "Bearer " + token_b}}), 400, ""},
      {"a body over the limit", request("POST", pa + "/events", {{"X-API-Key", writer_a}, {"Content-Type", "application/json"}, {"Content-Length", "50000000"}}), 413, ""},
      // credentials
      {"no credential", request("GET", "/api/v1/events", {}), 401, "unauthenticated"},
      {"an unknown key", request("GET", "/api/v1/events", {{"X-API-Key", "rt_0123456789ab_" + std::string(48, '0')}}), 401, "unauthenticated"},
      {"a key with a byte added", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a + "0"}}), 401, "unauthenticated"},
      {"a key cut short", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a.substr(0, d.key_a.size() - 1)}}), 401, "unauthenticated"},
      {"an empty key", request("GET", "/api/v1/events", {{"X-API-Key", ""}}), 401, "unauthenticated"},
      {"a key in the query string", request("GET", "/api/v1/events?api_key=" + d.key_a, {}), 401, "unauthenticated"},
      {"Basic authorization", request("GET", "/api/v1/events", {{"Authorization", "Basic " + d.key_a}}), 401, "unauthenticated"},
      {"an empty bearer", request("GET", "/api/v1/events", {{"Authorization", "Bearer "}}), 401, "unauthenticated"},
      {"a token beside an invalid key", request("GET", "/api/v1/events", {{"Authorization", "Bearer " + token_a}, {"X-API-Key", "rt_nope"}}), 400, "invalid_parameter"},
      {"A's key with B's token", request("GET", "/api/v1/events", {{"Authorization", "Bearer " + token_b}, {"X-API-Key", d.key_a}}), 400, "invalid_parameter"},
      {"a token with alg none", forged(none, JWT_ALG_NONE, "current", ""), 401, "unauthenticated"},
      {"a token signed HS512 with the right secret", forged(none, JWT_ALG_HS512, "current", secret), 401, "unauthenticated"},
      {"a token with an unknown kid", forged(none, JWT_ALG_HS256, "elsewhere", secret), 401, "unauthenticated"},
      {"a token with no kid", forged(none, JWT_ALG_HS256, "", secret), 401, "unauthenticated"},
      {"a token of a retired kid", forged(none, JWT_ALG_HS256, "retired", retired), 401, "unauthenticated"},
      {"a kid naming another key's secret", forged(none, JWT_ALG_HS256, "retired", secret), 401, "unauthenticated"},
      {"a token signed with a guessed secret", forged(none, JWT_ALG_HS256, "current", std::string(48, 'x')), 401, "unauthenticated"},
      {"an expired token", forged([](jwt_t* j) { jwt_del_grants(j, "exp"); jwt_add_grant_int(j, "exp", std::time(nullptr) - 3600); }, JWT_ALG_HS256, "current", secret), 401, "unauthenticated"},
      {"a token for another audience", forged([](jwt_t* j) { jwt_del_grants(j, "aud"); jwt_add_grant(j, "aud", "other"); }, JWT_ALG_HS256, "current", secret), 401, "unauthenticated"},
      {"a token of another issuer", forged([](jwt_t* j) { jwt_del_grants(j, "iss"); jwt_add_grant(j, "iss", "someone"); }, JWT_ALG_HS256, "current", secret), 401, "unauthenticated"},
      {"A's token with B's partner pasted in", request("GET", "/api/v1/events", bearer(payload_swapped)), 401, "unauthenticated"},
      {"a revoked key", request("GET", "/api/v1/events", {{"X-API-Key", doomed.api_key}}), 401, "unauthenticated"},
      {"a revoked key's token", request("GET", "/api/v1/events", bearer(doomed_token)), 401, "unauthenticated"},
      // tenancy: A reaching for B
      {"A's key naming B in the header", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a}, {"X-Timing-Partner-ID", std::to_string(d.b)}}), 403, "tenant_mismatch"},
      {"A's token naming B in the header", request("GET", "/api/v1/events", {{"Authorization", "Bearer " + token_a}, {"X-Timing-Partner-ID", std::to_string(d.b)}}), 403, "tenant_mismatch"},
      {"A's key on B's path", request("GET", pb + "/events", key_a), 403, "tenant_mismatch", no_leak},
      {"A's key on B's host", request("GET", "/api/v1/events", {{"X-API-Key", d.key_a}, {"Host", "mid-hudson-api.example.test"}}), 403, "tenant_mismatch"},
      {"B's token on A's path", request("GET", pa + "/events", bearer(token_b)), 403, "tenant_mismatch", no_leak},
      {"A's key reads B's event by id", request("GET", pa + "/events/" + b_event, key_a), 404, "not_found"},
      {"A's key reads B's result by id", request("GET", "/api/v1/results/" + b_result, key_a), 404, "not_found"},
      {"A's key edits B's event", request("PATCH", pa + "/events/" + b_event, writer, R"({"event_name":"taken"})"), 404, "not_found"},
      {"A's key deletes B's participant", request("DELETE", pa + "/participants/" + b_participant, {{"X-API-Key", writer_a}}), 404, "not_found"},
      {"A's key files a result for B's participant", request("POST", pa + "/results", writer, R"({"participant_id":)" + b_participant + R"(,"results_time_ms":1000})"), 404, "not_found"},
      {"a write naming B's partner in the body", request("POST", pa + "/events", writer, R"({"event_name":"Mine","event_date":"2026-01-01","timing_partner_id":)" + std::to_string(d.b) + "}"), 400, "invalid_parameter"},
      // a parameter the route does not know filters nothing: A's own events, none of B's (New Paltz is B's)
      {"a list filtered by B's partner", request("GET", "/api/v1/events?timing_partner_id=" + std::to_string(d.b), key_a), 200, "",
       [](const Reply& r) { BOOST_TEST(r.body.find("New Paltz") == std::string::npos); }},
      {"a partner id that is not a number", request("GET", "/api/v1/partners/1%20OR%201=1/events", key_a), 400, "invalid_parameter"},
      {"a key without the permission reads results", request("GET", "/api/v1/results?limit=1", {{"X-API-Key", d.key_a_events_only}}), 403, "forbidden"},
      {"a read key writes", request("POST", pa + "/events", {{"X-API-Key", d.key_a}, {"Content-Type", "application/json"}}, R"({"event_name":"X","event_date":"2026-01-01"})"), 403, "forbidden"},
      {"a read key reads the audit trail", request("GET", "/api/v1/audit", key_a), 403, "forbidden"},
      // content
      {"JSON sent as text/plain", request("POST", pa + "/events", {{"X-API-Key", writer_a}, {"Content-Type", "text/plain"}}, R"({"event_name":"X","event_date":"2026-01-01"})"), 415, "unsupported_media_type"},
      {"a string that is not UTF-8", request("POST", pa + "/events", writer, "{\"event_name\":\"Bad \xff\xfe\",\"event_date\":\"2026-01-01\"}"), 400, "",
       [](const Reply& r) { BOOST_TEST(r.body.find("event_name") != std::string::npos); }},
      {"a string with NUL", request("POST", pa + "/events", writer, R"({"event_name":"Nul\u0000here","event_date":"2026-01-01"})"), 400, "invalid_parameter",
       [](const Reply& r) { BOOST_TEST(r.body.find("event_name") != std::string::npos); }},
      {"JSON that does not parse", request("POST", pa + "/events", writer, R"({"event_name":)"), 400, ""},
      {"an import echoing a 100 KB value", request("POST", pa + "/imports", {{"X-API-Key", writer_a}, {"Content-Type", "text/csv"}},
                                                  csv_head + "E,2026-01-01,5K,5000,1,Ann,Lee,Q" + std::string(100000, 'q') + ",30,finished,0:20:00\r\n"),
       400, "invalid_input", bounded},
      {"SQL in a filter", request("GET", "/api/v1/events?q=%27%20OR%201%3D1%20--", key_a), 200, "",
       [](const Reply& r) { BOOST_TEST(r.body.find("\"data\":[]") != std::string::npos); }},
      {"a forged cursor", request("GET", "/api/v1/events?cursor=dGltaW5nX3BhcnRuZXJfaWQfMg", key_a), 400, "invalid_parameter"},
      {"a page too large", request("GET", "/api/v1/results?limit=100000", key_a), 400, "invalid_parameter"},
      {"a question asking to delete", request("POST", pa + "/nl-query", writer, R"({"query":"Delete all results of the Boston Marathon"})"), 422, "nl_unsupported"},
      {"a question carrying SQL", request("POST", pa + "/nl-query", writer, R"({"query":"How many runners finished; DROP TABLE ct_results"})"), 422, "nl_unsupported"},
      {"a question about another partner's race", request("POST", pa + "/nl-query", writer, R"({"query":"How many runners finished the Hudson Valley Half Marathon?"})"), 422, "nl_unsupported"},
      // what every answer carries
      {"a refusal carries the security headers", request("GET", "/api/v1/events", {}), 401, "",
       [](const Reply& r) { BOOST_TEST(r.head.find("x-content-type-options: nosniff") != std::string::npos); }},
      {"an authenticated refusal is not kept", request("GET", pa + "/events/999999999", key_a), 404, "not_found",
       [](const Reply& r) { BOOST_TEST(r.head.find("cache-control: no-store") != std::string::npos); }},
      {"the docs page carries a CSP", request("GET", "/docs/", {}), 200, "",
       [](const Reply& r) { BOOST_TEST(r.head.find("content-security-policy:") != std::string::npos); }},
      // after all of A's requests on the pooled connection, B's reads show B's data only
      {"B after A on the same connection", request("GET", "/api/v1/events?limit=100", {{"X-API-Key", d.key_b}}), 200, "", no_leak},
  };
  BOOST_TEST(attacks.size() >= 60u);
  std::size_t refused = 0;
  for (const auto& attack : attacks) {
    BOOST_TEST_CONTEXT(attack.name) {
      const Reply r = exchange(d.port, attack.bytes);
      BOOST_TEST(r.status == attack.status, r.status << " " << r.body.substr(0, 300));
      if (!attack.code.empty()) BOOST_TEST(r.body.find("\"code\":\"" + attack.code + "\"") != std::string::npos, r.body.substr(0, 300));
      if (attack.also) attack.also(r);
      if (r.status == 401u || r.status == 403u || r.status == 404u) ++refused;
    }
  }
  // nothing changed: B's event reads as before
  BOOST_TEST(d.get("/api/v1/events/" + b_event, d.key_b).body == b_event_before);

  // every refusal that reached a route left an audit row; no row holds a credential; an edited row is found
  d.engine.flush_audit();
  const auto rows = [&] {
    AdminSession session(d.db);
    auto all_rows = session.query(Sql{"SELECT * FROM audit_log", {}});
    session.commit();
    return all_rows;
  }();
  std::size_t denials = 0;
  std::string all;
  for (const auto& row : rows.rows) {
    for (const auto& v : row) all += as_text(v) + "|";
    all += '\n';
  }
  for (const unsigned status : {401u, 403u, 404u})
    for (auto at = all.find("|" + std::to_string(status) + "|"); at != std::string::npos; at = all.find("|" + std::to_string(status) + "|", at + 1))
      ++denials;
  BOOST_TEST(denials >= refused, denials << " audit rows of refusals for " << refused << " refused attacks");
  for (const std::string& credential : {d.key_a, d.key_b, d.key_a_events_only, writer_a, writer_b, doomed.api_key})
    BOOST_TEST(all.find(credential.substr(16)) == std::string::npos);
  for (const std::string& jwt : {token_a, token_b, doomed_token}) BOOST_TEST(all.find(jwt.substr(jwt.rfind('.') + 1)) == std::string::npos);
  BOOST_TEST(d.engine.verify_audit().intact());
  {
    AdminSession editor(d.db);
    editor.execute(Sql{"UPDATE audit_log SET status = 200 WHERE audit_id = (SELECT MIN(audit_id) FROM audit_log WHERE status = 403)", {}});
    editor.commit();
  }
  BOOST_TEST(!d.engine.verify_audit().intact());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adversarial_suite)

BOOST_AUTO_TEST_CASE(attacks_on_sqlite) {
  test::TempDir dir;
  run_suite(dir.sqlite_url(), {});
}

BOOST_AUTO_TEST_CASE(attacks_on_postgresql_through_one_pooled_connection) {
  run_suite(test::ThrowawayPostgres::shared().create_database(), {.pool_size = 1});
}

BOOST_AUTO_TEST_SUITE_END()
