// The audit trail below the API: rows written off the caller's thread in batches and kept through a clean
// shutdown, one chain per partner that two writers at once cannot fork, a partner listing only its own
// rows, and verify naming the row that was edited, inserted or removed (also through the CLI, exit 8),
// on SQLite and on a throwaway PostgreSQL, where the runtime role cannot change a row.
#define BOOST_TEST_MODULE audit
#include <boost/test/unit_test.hpp>

#include <thread>

#include "racetiming/racetiming.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

EngineOptions audited() {
  EngineOptions o;
  o.audit.enabled = true;
  o.audit.report_failure = [](const std::string& cause) { BOOST_TEST_MESSAGE("audit write failed: " << cause); };
  return o;
}

audit::AuditEvent event(std::optional<std::int64_t> partner, int status, std::string route = "/api/v1/races/{race_id}") {
  audit::AuditEvent e;
  e.partner_id = partner;
  e.key_id = partner ? std::optional<std::int64_t>(100 + *partner) : std::nullopt;
  e.method = "GET";
  e.route = std::move(route);
  e.status = status;
  e.request_id = "req-" + std::to_string(status);
  e.duration_ms = 1.25;
  e.client_address = "192.0.2.7";
  return e;
}

// Runs SQL as the database's owner, below the library (what an attacker with the database would do).
void owner_sql(Engine& engine, const std::string& sql) {
  AdminSession session(engine.database());
  session.execute(Sql{sql, {}});
  session.commit();
}

std::vector<std::int64_t> ids_of(Engine& engine, std::int64_t partner) {
  AdminSession session(engine.database());
  const auto rows = session.query(Sql{"SELECT audit_id FROM audit_log WHERE timing_partner_id = " + std::to_string(partner) +
                                         " ORDER BY audit_id",
                                     {}});
  session.commit();
  std::vector<std::int64_t> ids;
  for (const auto& r : rows.rows) ids.push_back(as_int(r[0]).value_or(0));
  return ids;
}

void check_trail(const std::string& url) {
  std::int64_t a = 0, b = 0;
  {
    Engine engine(url, audited());
    a = engine.add_partner("Audit A", "audit-a");
    b = engine.add_partner("Audit B", "audit-b");
    for (int i = 0; i < 1200; ++i) engine.record_audit(event(i % 3 == 0 ? b : a, 200 + i % 5));
    engine.record_audit(event(std::nullopt, 401, "/api/v1/events"));
    // no flush: the Engine's end writes what is queued
  }
  Engine engine(url, audited());
  const auto report = engine.verify_audit();
  BOOST_TEST(report.rows == 1201);
  BOOST_TEST(report.intact());

  // a partner reads its own rows only, newest first, a page at a time
  const auto first = engine.tenant(a).audit_entries({.limit = 10});
  BOOST_TEST_REQUIRE(first.size() == 10u);
  BOOST_TEST(first[0].audit_id > first[9].audit_id);
  for (const auto& r : first) {
    BOOST_TEST(r.partner_id == a);
    BOOST_TEST(r.key_id == 100 + a);
    BOOST_TEST(r.route == "/api/v1/races/{race_id}");
    BOOST_TEST(r.client_address == "192.0.2.7");
    BOOST_TEST(r.duration_ms == 1.25);
    BOOST_TEST(r.occurred_at.size() == 24u);  // 2026-12-05T01:55:20.123Z
    BOOST_TEST(r.hash.size() == 64u);
  }
  const auto next = engine.tenant(a).audit_entries({.limit = 10, .before_id = first[9].audit_id});
  BOOST_TEST(next.front().audit_id < first[9].audit_id);
  BOOST_TEST(engine.tenant(b).audit_entries({.limit = 1000}).size() == 400u);
  // read:audit is needed
  TenantContext reader;
  reader.partner_id = a;
  reader.permissions = {"read:results"};
  BOOST_TEST((test::error_code_of([&] { engine.tenant(reader).audit_entries(); }) == ErrorCode::forbidden));

  // tampering is found and named
  const auto ids = ids_of(engine, a);
  BOOST_TEST_REQUIRE(ids.size() == 800u);
  const auto edited = ids[100];
  owner_sql(engine, "UPDATE audit_log SET status = status + 1000 WHERE audit_id = " + std::to_string(edited));
  auto broken = engine.verify_audit(a);
  BOOST_TEST_REQUIRE(broken.findings.size() == 1u);
  BOOST_TEST(broken.findings[0].audit_id == edited);
  BOOST_TEST(broken.findings[0].problem == "edited");
  BOOST_TEST(broken.findings[0].detail.find(std::to_string(edited)) != std::string::npos);
  BOOST_TEST(engine.verify_audit(b).intact());  // other chains are whole

  const auto removed_before = ids[300];
  owner_sql(engine, "DELETE FROM audit_log WHERE audit_id = " + std::to_string(ids[299]));
  broken = engine.verify_audit(a);
  BOOST_TEST_REQUIRE(broken.findings.size() == 2u);
  BOOST_TEST(broken.findings[1].audit_id == removed_before);
  BOOST_TEST(broken.findings[1].problem == "removed before");

  // a forged row put between two rows, with a well-formed hash of its own: the row after it names it
  const auto [before, after] = std::pair(ids[500], ids[501]);
  {
    AdminSession session(engine.database());
    const auto rows = session.query(Sql{"SELECT hash FROM audit_log WHERE audit_id = " + std::to_string(before), {}});
    session.commit();
    const std::string prev = as_text(rows.rows.at(0).at(0));
    // the rows after `before` move up by 10000 ids, leaving room for the forgery right after it
    owner_sql(engine, "UPDATE audit_log SET audit_id = audit_id + 100000 WHERE timing_partner_id = " + std::to_string(a) +
                          " AND audit_id >= " + std::to_string(after));
    owner_sql(engine, "INSERT INTO audit_log (audit_id, timing_partner_id, occurred_at, method, path, status, request_id, "
                      "duration_ms, client_address, prev_hash, hash) VALUES (" + std::to_string(after) + ", " +
                          std::to_string(a) + ", '2026-01-01T00:00:00.000Z', 'DELETE', '/api/v1/events/{event_id}', 204, "
                          "'forged', 1, '203.0.113.1', '" + prev + "', '" + std::string(64, 'f') + "')");
  }
  broken = engine.verify_audit(a);
  bool named = false;
  for (const auto& f : broken.findings) named = named || (f.problem == "inserted" && f.audit_id == after);
  BOOST_TEST(named, "findings: " << format::chain_report_json(broken));

  // the CLI says the same and exits 8
  const std::string cli = RACETIMING_CLI_PATH;
  auto run = test::run_command({cli, "--db", url, "audit", "verify", "--partner", std::to_string(a)});
  BOOST_TEST(run.exit_code == 8);
  BOOST_TEST(run.out.find("row " + std::to_string(edited) + " of partner") != std::string::npos, run.out);
  run = test::run_command({cli, "--db", url, "audit", "verify", "--partner", std::to_string(b)});
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find("intact: 400 rows") != std::string::npos, run.out);
}

}  // namespace

BOOST_AUTO_TEST_CASE(trail_on_sqlite) {
  test::TempDir dir;
  check_trail(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(trail_on_postgresql) { check_trail(test::ThrowawayPostgres::shared().create_database()); }

// Two daemons writing one partner's chain at once: the advisory lock keeps it one chain.
BOOST_AUTO_TEST_CASE(two_writers_keep_one_chain) {
  const std::string url = test::ThrowawayPostgres::shared().create_database();
  std::int64_t partner = 0;
  {
    Engine setup(url);
    partner = setup.add_partner("Busy", "busy");
  }
  {
    Engine one(url, audited()), two(url, audited());
    std::thread first([&] { for (int i = 0; i < 3000; ++i) one.record_audit(event(partner, 200)); });
    std::thread second([&] { for (int i = 0; i < 3000; ++i) two.record_audit(event(partner, 404)); });
    first.join();
    second.join();
    one.flush_audit();
    two.flush_audit();
  }
  Engine engine(url);
  const auto report = engine.verify_audit();
  BOOST_TEST(report.rows == 6000);
  BOOST_TEST(report.intact(), format::chain_report_json(report));
}

// The runtime role may add rows and read its partner's, never change or remove one.
BOOST_AUTO_TEST_CASE(runtime_role_cannot_change_rows) {
  auto& pg = test::ThrowawayPostgres::shared();
  const std::string url = pg.create_database();
  std::int64_t partner = 0;
  {
    Engine engine(url, audited());
    partner = engine.add_partner("Locked", "locked");
    engine.record_audit(event(partner, 200));
  }
  const std::string database = url.substr(url.rfind('/') + 1);
  for (const std::string statement : {"UPDATE audit_log SET status = 500", "DELETE FROM audit_log", "TRUNCATE audit_log"}) {
    BOOST_TEST_CONTEXT(statement) {
      BOOST_CHECK_THROW(pg.superuser_sql(database, "SET ROLE racetiming_api; SET app.current_partner_id = '" +
                                                       std::to_string(partner) + "'; " + statement),
                        std::exception);
    }
  }
  Engine engine(url);
  BOOST_TEST(engine.verify_audit().rows == 1);
}
