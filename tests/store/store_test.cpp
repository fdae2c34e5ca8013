#define BOOST_TEST_MODULE store
#include <boost/test/unit_test.hpp>

#include <poll.h>

#include <chrono>
#include <thread>
#include <tuple>

#include "racetiming/admin/partners.hpp"
#include "racetiming/error.hpp"
#include "racetiming/detail/async_read.hpp"
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
  BOOST_TEST(db.migrate() == 13);
  BOOST_TEST(db.migrate() == 0);  // idempotent
  BOOST_TEST(db.schema_version() == 13);
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

namespace {

std::int64_t events_seen(Database& db, std::int64_t partner) {
  TenantSession s(db, partner);
  return as_int(s.query_and_commit({"SELECT count(*) FROM ct_events", {}}).rows.at(0).at(0)).value_or(-1);
}

// A fresh PostgreSQL database with partner A (two events) and B (one); returns {url, a, b}.
std::tuple<std::string, std::int64_t, std::int64_t> two_partners() {
  const std::string url = ThrowawayPostgres::shared().create_database();
  auto db = Database::open(url);
  db.migrate();
  const auto a = admin::add_partner(db, "Alpha Timing", "alpha");
  const auto b = admin::add_partner(db, "Beta Timing", "beta");
  add_event(db, a, "Alpha 5K");
  add_event(db, a, "Alpha 10K");
  add_event(db, b, "Beta Half");
  return {url, a, b};
}

Sql insert_event(std::int64_t partner, const std::string& name) {
  SqlWriter w(Dialect::postgresql);
  w << "INSERT INTO ct_events (timing_partner_id, event_name, event_date) VALUES (";
  w.bind(partner) << ", ";
  w.bind(name) << ", '2024-06-01') RETURNING event_id";
  return w.take();
}

// Drives a read the way an event loop would: wait for the socket, advance, until it is done.
ResultSet finish(AsyncRead& read) {
  while (!read.advance()) {
    pollfd fd{read.socket(), static_cast<short>(read.wants_write() ? POLLOUT : POLLIN), 0};
    BOOST_REQUIRE(::poll(&fd, 1, 5000) == 1);
  }
  return read.take()->materialize();
}

}  // namespace

// The acceptance test of row-level security: connected as racetiming_api itself (not through the owner),
// a plain count sees only the partner set with app.current_partner_id, and nothing with none set.
BOOST_AUTO_TEST_CASE(postgresql_row_level_security_scopes_the_runtime_role) {
  auto& pg = ThrowawayPostgres::shared();
  const auto [url, a, b] = two_partners();
  auto db = Database::open(url);

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
                           "'audit_log', 'idempotency_keys', 'data_versions', 'race_tallies') AND relrowsecurity AND "
                           "relforcerowsecurity", {}});
    BOOST_TEST(as_int(forced.rows[0][0]) == 12);
  }
  // A TenantSession on the owner's pool is scoped the same way: role racetiming_api and the partner.
  {
    TenantSession s(db, a);
    BOOST_TEST(as_int(s.query({"SELECT count(*) FROM ct_events", {}}).rows[0][0]) == 2);
    BOOST_TEST(as_text(s.query({"SELECT current_user", {}}).rows[0][0]) == "racetiming_api");
  }
  // Settings do not leak: the next owner borrower of the (single) connection sees no partner
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


// Role, partner, read-only default and statement timeout are session settings a connection keeps
// between borrowers, and only what differs is sent. Each session must still run exactly as its own,
// whatever the previous borrower left and however it ended.
BOOST_AUTO_TEST_CASE(postgresql_session_settings_follow_each_borrower) {
  const auto [url, a, b] = two_partners();
  DatabaseOptions one;
  one.pool_size = 1;
  auto single = Database::open(url, one);
  for (int i = 0; i < 3; ++i) {  // the same partner twice (nothing to send), then the other one
    BOOST_TEST(events_seen(single, a) == 2);
    BOOST_TEST(events_seen(single, a) == 2);
    BOOST_TEST(events_seen(single, b) == 1);
  }
  // a read whose statement runs alone (the settings already match) is still read-only
  BOOST_TEST(events_seen(single, a) == 2);
  {
    TenantSession s(single, a);
    BOOST_CHECK_THROW(s.query_and_commit(insert_event(a, "Sneaky")), Error);
  }
  // a writer after readers may write, and the readers after it see the write
  add_event(single, a, "Alpha Half");
  BOOST_TEST(events_seen(single, a) == 3);
  // a writer of B that rolls back: the server undid B's settings, so they must not be trusted
  {
    TenantSession s(single, b, Access::read_write);
    s.query(insert_event(b, "Never"));
  }
  BOOST_TEST(events_seen(single, b) == 1);
  BOOST_TEST(events_seen(single, a) == 3);
  // a statement timeout belongs to its session alone
  {
    TenantSession s(single, a, Access::read_only, std::chrono::milliseconds(50));
    try {
      s.query_and_commit({"SELECT pg_sleep(0.5)", {}});
      BOOST_FAIL("expected a timeout");
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::unavailable);
    }
  }
  {
    TenantSession s(single, a);
    BOOST_CHECK_NO_THROW(s.query_and_commit({"SELECT pg_sleep(0.1)", {}}));
  }
  // owner work after tenant work runs as the owner, read-write, with no partner set
  AdminSession s(single);
  auto rows = s.query({"SELECT current_user, current_setting('default_transaction_read_only'), "
                       "current_setting('app.current_partner_id', true), current_setting('statement_timeout')", {}});
  BOOST_TEST(as_text(rows.rows[0][0]) == "rt_owner");
  BOOST_TEST(as_text(rows.rows[0][1]) == "off");
  BOOST_TEST(as_text(rows.rows[0][2]) == "");
  BOOST_TEST(as_text(rows.rows[0][3]) == "0");
}

BOOST_AUTO_TEST_CASE(postgresql_async_read) {
  const auto [url, a, b] = two_partners();
  DatabaseOptions one;
  one.pool_size = 1;
  one.acquire_timeout = std::chrono::milliseconds(100);
  auto single = Database::open(url, one);
  const Sql count{"SELECT count(*) FROM ct_events", {}};
  auto counted = [&](std::int64_t partner) {
    auto read = AsyncRead::try_start(single, partner, count);
    BOOST_REQUIRE(read);
    return as_int(finish(*read).rows.at(0).at(0)).value_or(-1);
  };
  BOOST_TEST(counted(a) == 2);
  BOOST_TEST(counted(a) == 2);
  BOOST_TEST(counted(b) == 1);

  {  // a read holds its connection until it is taken: no second read starts, and a session waits
    auto held = AsyncRead::try_start(single, a, count);
    BOOST_REQUIRE(held);
    BOOST_TEST(!AsyncRead::try_start(single, b, count));
    BOOST_CHECK_THROW(TenantSession(single, b), Error);
    BOOST_TEST(as_int(finish(*held).rows.at(0).at(0)) == 2);
    BOOST_TEST(single.in_use() == 0u);
  }
  {  // a failing statement sent with a change of partner: an Error, and its transaction ends all the same
    BOOST_TEST(counted(b) == 1);
    auto bad = AsyncRead::try_start(single, a, {"SELECT no_such_column FROM ct_events", {}});
    BOOST_REQUIRE(bad);
    BOOST_CHECK_THROW(finish(*bad), Error);
  }
  BOOST_TEST(counted(b) == 1);
  BOOST_TEST(counted(a) == 2);
  {  // the async read is read-only too
    auto write = AsyncRead::try_start(single, a, insert_event(a, "Sneaky"));
    BOOST_REQUIRE(write);
    BOOST_CHECK_THROW(finish(*write), Error);
  }
  std::uint64_t serial = 0;
  {  // abandoned before its answer: not lent again as it is...
    auto gone = AsyncRead::try_start(single, a, {"SELECT pg_sleep(0.2)", {}});
    BOOST_REQUIRE(gone);
    serial = gone->connection_serial();
  }
  BOOST_TEST(!AsyncRead::try_start(single, a, count));
  BOOST_TEST(events_seen(single, b) == 1);  // ...but reopened by the next blocking borrower
  {  // under a new serial: a host that kept the old socket registered must not take it for this one
    auto next = AsyncRead::try_start(single, a, count);
    BOOST_REQUIRE(next);
    BOOST_TEST(next->connection_serial() != serial);
    const auto reopened = next->connection_serial();
    BOOST_TEST(as_int(finish(*next).rows.at(0).at(0)) == 2);
    auto again = AsyncRead::try_start(single, a, count);
    BOOST_REQUIRE(again);
    BOOST_TEST(again->connection_serial() == reopened);  // the same connection, read after read
    finish(*again);
  }
  BOOST_TEST(counted(a) == 2);
  BOOST_TEST(events_seen(single, a) == 2);

  {  // rows read in place: each column's type decides the cell's kind, as for a ResultSet
    auto typed = AsyncRead::try_start(
        single, a, {"SELECT 42::int8 AS i, true AS b, 1.5::float8 AS r, 'ab''c'::text AS t, NULL::text AS n, 7::int2 AS s", {}});
    BOOST_REQUIRE(typed);
    while (!typed->advance()) {
      pollfd fd{typed->socket(), static_cast<short>(typed->wants_write() ? POLLOUT : POLLIN), 0};
      BOOST_REQUIRE(::poll(&fd, 1, 5000) == 1);
    }
    const auto rows = typed->take();
    BOOST_TEST(single.in_use() == 0u);  // the view owns libpq's result, not the connection
    BOOST_TEST_REQUIRE(rows->row_count() == 1u);
    BOOST_TEST(rows->column_name(3) == "t");
    BOOST_TEST(std::get<std::int64_t>(rows->cell(0, 0)) == 42);
    BOOST_TEST(std::get<std::int64_t>(rows->cell(0, 1)) == 1);
    BOOST_TEST(std::get<double>(rows->cell(0, 2)) == 1.5);
    BOOST_TEST(std::get<std::string_view>(rows->cell(0, 3)) == "ab'c");
    BOOST_TEST(std::holds_alternative<std::monostate>(rows->cell(0, 4)));
    BOOST_TEST(std::get<std::int64_t>(rows->cell(0, 5)) == 7);
    const ResultSet kept = rows->materialize();
    BOOST_TEST(as_text(kept.at(0, "t")) == "ab'c");
    BOOST_TEST(is_null(kept.at(0, "n")));
  }

  TempDir dir;
  auto lite = Database::open(dir.sqlite_url());
  lite.migrate();
  BOOST_TEST(!AsyncRead::try_start(lite, 1, count));  // no socket to wait on: the caller uses a session
}
