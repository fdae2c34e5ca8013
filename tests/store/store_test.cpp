#define BOOST_TEST_MODULE store
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

#include "racetiming/admin/partners.hpp"
#include "racetiming/error.hpp"
#include "racetiming/store/database.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;
using racetiming::test::TempDir;
using racetiming::test::ThrowawayPostgres;

namespace {

std::int64_t count(Database& db, const std::string& sql) {
  AdminSession s(db);
  return as_int(s.query({sql, {}}).rows.at(0).at(0)).value_or(-1);
}

// Inserts one event for the partner inside a tenant session.
void add_event(Database& db, std::int64_t partner, const std::string& name) {
  TenantSession s(db, partner, Access::read_write);
  SqlWriter w(db.dialect());
  w << "INSERT INTO ct_events (timing_partner_id, event_name, event_date) VALUES (";
  w.bind(partner) << ", ";
  w.bind(name) << ", ";
  w.bind(std::string("2024-05-01")) << ")";
  s.execute(w.take());
  s.commit();
}

void check_migrate_and_sessions(const std::string& url) {
  auto db = Database::open(url);
  BOOST_TEST(db.schema_version() == 0);
  BOOST_TEST(db.migrate() == 3);
  BOOST_TEST(db.migrate() == 0);  // idempotent
  BOOST_TEST(db.schema_version() == 3);
  BOOST_TEST(db.ping());

  const auto a = admin::add_partner(db, "Alpha Timing", "alpha");
  const auto b = admin::add_partner(db, "Beta Timing", "beta");
  add_event(db, a, "Alpha 5K");

  {  // an uncommitted session leaves nothing behind
    TenantSession s(db, a, Access::read_write);
    SqlWriter w(db.dialect());
    w << "INSERT INTO ct_events (timing_partner_id, event_name, event_date) VALUES (";
    w.bind(a) << ", 'Rolled Back', '2024-01-01')";
    s.execute(w.take());
  }
  BOOST_TEST(count(db, "SELECT COUNT(*) FROM ct_events") == 1);

  {  // read-only sessions refuse writes on both dialects
    TenantSession s(db, a);
    SqlWriter w(db.dialect());
    w << "INSERT INTO ct_events (timing_partner_id, event_name, event_date) VALUES (";
    w.bind(a) << ", 'Nope', '2024-01-01')";
    BOOST_CHECK_THROW(s.execute(w.take()), Error);
  }
  BOOST_TEST(count(db, "SELECT COUNT(*) FROM ct_events") == 1);
  // and the connection is usable again afterwards (the pool reuses it)
  add_event(db, b, "Beta 10K");
  BOOST_TEST(count(db, "SELECT COUNT(*) FROM ct_events") == 2);
  BOOST_CHECK_THROW(TenantSession(db, 0), Error);
}

}  // namespace

BOOST_AUTO_TEST_CASE(bad_urls_are_invalid_parameters) {
  try {
    Database::open("mysql://x");
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_parameter);
    BOOST_TEST(e.parameter() == "db");
  }
  BOOST_CHECK_THROW(Database::open("sqlite:"), Error);
  try {
    Database::open("sqlite:/nonexistent-dir/x/y.db");
    BOOST_FAIL("expected an error");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::unavailable);
  }
}

BOOST_AUTO_TEST_CASE(sqlite_migrate_and_sessions) {
  TempDir dir;
  check_migrate_and_sessions(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(postgresql_migrate_and_sessions) {
  check_migrate_and_sessions(ThrowawayPostgres::shared().create_database());
}

BOOST_AUTO_TEST_CASE(pool_exhaustion_fails_fast) {
  TempDir dir;
  DatabaseOptions options;
  options.pool_size = 1;
  options.acquire_timeout = std::chrono::milliseconds(100);
  auto db = Database::open(dir.sqlite_url(), options);
  db.migrate();
  TenantSession held(db, 1);
  BOOST_TEST(db.in_use() == 1u);
  const auto start = std::chrono::steady_clock::now();
  try {
    TenantSession second(db, 1);
    BOOST_FAIL("expected unavailable");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::unavailable);
  }
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(2)));
}

// The acceptance test of row-level security: connected as racetiming_api itself (not through the owner),
// a plain count sees only the partner set with app.current_partner_id, and nothing with none set.
BOOST_AUTO_TEST_CASE(postgresql_row_level_security_scopes_the_runtime_role) {
  auto& pg = ThrowawayPostgres::shared();
  const std::string url = pg.create_database();
  auto db = Database::open(url);
  db.migrate();
  const auto a = admin::add_partner(db, "Alpha Timing", "alpha");
  const auto b = admin::add_partner(db, "Beta Timing", "beta");
  add_event(db, a, "Alpha 5K");
  add_event(db, a, "Alpha 10K");
  add_event(db, b, "Beta Half");

  const std::string dbname = url.substr(url.rfind('/') + 1);
  pg.superuser_sql(dbname, "ALTER ROLE racetiming_api LOGIN");
  auto api = Database::open(pg.url("racetiming_api", dbname), {1, std::chrono::milliseconds(2000)});
  auto& conn_db = api;
  {
    // no partner set: nothing is visible
    AdminSession s(conn_db);
    BOOST_TEST(as_int(s.query({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 0);
    BOOST_TEST(as_int(s.query({"SELECT count(*) FROM ct_results", {}}).rows[0][0]) == 0);
  }
  {
    AdminSession s(conn_db);
    s.query({"SELECT set_config('app.current_partner_id', $1, true)", {std::to_string(a)}});
    BOOST_TEST(as_int(s.query({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 2);
    // writing a row of another partner is refused by the policy's WITH CHECK
    SqlWriter w(Dialect::postgresql);
    w << "INSERT INTO ct_events (timing_partner_id, event_name, event_date) VALUES (";
    w.bind(b) << ", 'Sneaky', '2024-01-01')";
    BOOST_CHECK_THROW(s.execute(w.take()), Error);
  }
  {
    AdminSession s(conn_db);
    s.query({"SELECT set_config('app.current_partner_id', $1, true)", {std::to_string(b)}});
    BOOST_TEST(as_int(s.query({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 1);
  }
  {
    // the role's attributes are what the design promises
    AdminSession s(conn_db);
    auto rs = s.query({"SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'racetiming_api'", {}});
    BOOST_TEST(as_int(rs.rows[0][0]) == 0);
    BOOST_TEST(as_int(rs.rows[0][1]) == 0);
    auto owned = s.query({"SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                          "WHERE r.rolname = 'racetiming_api'", {}});
    BOOST_TEST(as_int(owned.rows[0][0]) == 0);
    auto forced = s.query({"SELECT count(*) FROM pg_class WHERE relname IN ('ct_events', 'ct_races', "
                           "'ct_participants', 'ct_results', 'api_keys', 'api_users', 'integrations', 'sync_runs', "
                           "'audit_log', 'idempotency_keys', 'data_versions') AND relrowsecurity AND relforcerowsecurity", {}});
    BOOST_TEST(as_int(forced.rows[0][0]) == 11);
  }
  // A TenantSession on the owner's pool is scoped the same way: SET LOCAL ROLE + SET LOCAL partner.
  {
    TenantSession s(db, a);
    BOOST_TEST(as_int(s.query({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 2);
    BOOST_TEST(as_text(s.query({"SELECT current_user", {}}).rows[0][0]) == "racetiming_api");
  }
  // SET LOCAL does not leak: the next borrower of the (single) connection sees no partner
  {
    DatabaseOptions one;
    one.pool_size = 1;
    auto single = Database::open(url, one);
    { TenantSession s(single, a); }
    {
      // the one-round-trip read: opening, statement and COMMIT in one pipeline, scoped all the same
      TenantSession s(single, b);
      BOOST_TEST(as_int(s.query_and_commit({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 1);
    }
    {
      // a statement that fails inside the pipeline: an error, the COMMIT never runs, the connection recovers
      TenantSession s(single, a);
      BOOST_CHECK_THROW(s.query_and_commit({"SELECT no_such_column FROM ct_events", {}}), Error);
    }
    {
      TenantSession s(single, a);
      s.query({"SELECT 1", {}});
      BOOST_CHECK_THROW(s.query({"SELECT 1/0", {}}), Error);  // mid-transaction: rolled back at scope exit
    }
    {
      TenantSession s(single, a);
      BOOST_TEST(as_int(s.query_and_commit({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 2);
    }
    AdminSession s(single);
    BOOST_TEST(as_text(s.query({"SELECT COALESCE(current_setting('app.current_partner_id', true), '')", {}}).rows[0][0]) ==
               "");
    BOOST_TEST(as_text(s.query({"SELECT current_user", {}}).rows[0][0]) == "rt_owner");
  }
}
