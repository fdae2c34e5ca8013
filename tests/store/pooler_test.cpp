// Behind PgBouncer in transaction mode (one server connection shared by every client connection,
// transaction by transaction), tenancy holds only because each transaction sets its partner and role
// itself (SET LOCAL, ?pooler=transaction): the same steps without it go wrong (a prepared statement of
// another client, or another partner's rows), which this test shows first, then the library's way
// holding under concurrent readers and writers.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <optional>
#include <thread>

#include "racetiming/admin/partners.hpp"
#include "racetiming/store/database.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

void add_events(Database& db, std::int64_t partner, int n) {
  TenantSession s(db, partner, Access::read_write);
  for (int i = 0; i < n; ++i) {
    SqlWriter w(db.dialect());
    w << "INSERT INTO ct_events (timing_partner_id, event_name, event_date) VALUES (";
    w.bind(partner) << ", ";
    w.bind("Event " + std::to_string(i)) << ", ";
    w.bind(std::string("2024-05-01")) << ")";
    s.execute(w.take());
  }
  s.commit();
}

std::int64_t events_seen(std::optional<TenantSession>& s) {
  // no partner predicate: what row-level security lets the session see (not prepared: two client
  // connections preparing one name on the one server connection would collide before showing anything)
  return as_int(s->query_and_commit({"SELECT count(*) FROM ct_events", {}, false}).rows.at(0).at(0)).value_or(-1);
}

// Two connections of one pool, one server connection behind them: A reads, B reads, then A again on
// the connection that last set A. What does A see? (-1: the read failed.)
std::int64_t second_read_of_a(const std::string& url, std::int64_t a, std::int64_t b) try {
  auto db = Database::open(url, {.pool_size = 2});
  std::optional<TenantSession> first(std::in_place, db, a), other(std::in_place, db, b);
  events_seen(first);
  events_seen(other);  // on the other client connection: the server connection now holds B's settings
  first.reset();       // A's client connection is free again: the next session gets it
  std::optional<TenantSession> again(std::in_place, db, a);
  return events_seen(again);
} catch (const Error&) {
  return -1;
}

}  // namespace

BOOST_AUTO_TEST_CASE(tenancy_holds_through_pgbouncer_in_transaction_mode) {
  auto& pg = test::ThrowawayPostgres::shared();
  const std::string direct = pg.create_database();
  std::int64_t a = 0, b = 0;
  {
    auto db = Database::open(direct);
    db.migrate();
    a = admin::add_partner(db, "Pooled A", "pooled-a");
    b = admin::add_partner(db, "Pooled B", "pooled-b");
    add_events(db, a, 3);
    add_events(db, b, 5);
  }
  test::ThrowawayPgBouncer bouncer(direct.substr(direct.rfind('/') + 1));
  const std::string pooled = bouncer.url();
  const std::string session_level = pooled.substr(0, pooled.find('?'));

  // session-level settings and prepared statements belong to the server connection, which the other
  // client connection changed: the read fails, or sees B's rows. Why the pooler mode exists.
  BOOST_TEST(second_read_of_a(session_level, a, b) != 3);
  BOOST_TEST(second_read_of_a(pooled, a, b) == 3);

  // many sessions at once, reads and writes, through the one server connection
  auto db = Database::open(pooled, {.pool_size = 6});
  std::atomic<int> wrong{0}, written{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      const std::int64_t partner = t % 2 ? a : b;
      for (int i = 0; i < 60; ++i) {
        if (i % 20 == 0) {
          add_events(db, partner, 1);
          ++written;
        }
        TenantSession s(db, partner);
        const auto rows = s.query({"SELECT DISTINCT timing_partner_id FROM ct_events", {}});
        s.commit();
        if (rows.rows.size() != 1 || as_int(rows.rows[0][0]).value_or(0) != partner) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(written.load() == 18);
  std::optional<TenantSession> check(std::in_place, db, a);
  BOOST_TEST(events_seen(check) == 3 + 9);
}

BOOST_AUTO_TEST_CASE(pooler_parameter_is_checked) {
  BOOST_TEST((test::error_code_of([] { Database::open("postgresql://u@127.0.0.1:1/x?pooler=statement"); }) ==
              ErrorCode::invalid_parameter));
}
