// The audit trail over real HTTP: a row per call and per refusal, with the route's template and never a
// credential or a query string; GET /audit shows a partner its own rows only, with read:audit.
#include <boost/test/unit_test.hpp>

#include "api_fixture.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

void check_audit(const std::string& url) {
  test::Daemon d(url);
  const std::string auditor = d.full_key(d.a);
  BOOST_TEST(d.get("/api/v1/events?limit=1", d.key_a).status == 200u);
  BOOST_TEST(d.get("/api/v1/events/987654321", d.key_a).status == 404u);
  BOOST_TEST(d.get("/api/v1/results?limit=1", d.key_a_events_only).status == 403u);
  BOOST_TEST(d.get("/api/v1/events?limit=1&api_key=" + d.key_b, "rt_0123456789ab_" + std::string(48, '0')).status == 401u);
  auto token = d.send("POST", "/api/v1/auth/token", d.key_a);
  BOOST_TEST_REQUIRE(token.status == 200u);
  const std::string jwt = test::parse(token.body)["access_token"].GetString();
  BOOST_TEST(d.get("/api/v1/races?limit=1", "", {{"Authorization", "Bearer " + jwt}}).status == 200u);
  d.engine.add_user(d.a, "Josh Adams");
  auto login = d.send("POST", "/api/v1/auth/natural-language", d.key_a, R"({"message":"I'm Josh from Big River Race Management"})");
  BOOST_TEST(login.status == 200u, login.body);
  d.engine.flush_audit();

  auto listed = d.get("/api/v1/audit?limit=1000", auditor);
  BOOST_TEST_REQUIRE(listed.status == 200u, listed.body);
  const auto page = test::parse(listed.body);
  std::multiset<std::string> seen;
  for (const auto& row : page["data"].GetArray())
    seen.insert(std::string(row["method"].GetString()) + " " + row["route"].GetString() + " " + std::to_string(row["status"].GetInt()));
  BOOST_TEST(seen.count("GET /api/v1/events 200") == 1u);
  BOOST_TEST(seen.count("GET /api/v1/events/{event_id} 404") == 1u);
  BOOST_TEST(seen.count("GET /api/v1/results 403") == 1u);
  BOOST_TEST(seen.count("GET /api/v1/races 200") == 1u);  // through the token: the key behind it is named
  BOOST_TEST(seen.count("POST /api/v1/auth/token 200") == 1u);  // the exchange names the key it proved
  BOOST_TEST(seen.count("POST /api/v1/auth/natural-language 200") == 1u);  // and the login the user it proved
  BOOST_TEST(seen.count("GET /api/v1/events 401") == 0u);  // no partner was proven: not A's row
  BOOST_TEST(page["next_before_id"].IsNull());

  // B sees none of A's rows; a key without read:audit sees nothing
  auto other = test::parse(d.get("/api/v1/audit", d.full_key(d.b)).body);
  for (const auto& row : other["data"].GetArray()) BOOST_TEST(std::string(row["route"].GetString()) != "/api/v1/events/{event_id}");
  BOOST_TEST(d.get("/api/v1/audit", d.key_a_events_only).status == 403u);
  BOOST_TEST(d.get("/api/v1/audit?limit=0", auditor).status == 400u);
  BOOST_TEST(test::parse(d.get("/api/v1/audit?limit=2", auditor).body)["next_before_id"].IsInt64());

  // every stored row, of every partner and of none: no credential, no query string
  d.engine.flush_audit();
  AdminSession session(d.db);
  const auto rows = session.query(Sql{"SELECT * FROM audit_log", {}});
  session.commit();
  std::string all;
  for (const auto& r : rows.rows)
    for (const auto& v : r) all += as_text(v) + "|";
  for (const std::string& secret : {d.key_a, d.key_b, d.key_a_events_only, auditor, jwt})
    BOOST_TEST(all.find(secret.substr(16)) == std::string::npos);  // not even a key's secret part
  BOOST_TEST(all.find("api_key") == std::string::npos);
  BOOST_TEST(all.find('?') == std::string::npos);
  BOOST_TEST(all.find("GET|/api/v1/events|401") != std::string::npos);  // the refused attempt, with no partner
  BOOST_TEST(d.engine.verify_audit().intact());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_trail)

BOOST_AUTO_TEST_CASE(audit_on_sqlite) {
  test::TempDir dir;
  check_audit(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(audit_on_postgresql) { check_audit(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_SUITE_END()
