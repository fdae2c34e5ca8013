// EngineOptions::read_url against a real streaming replica: reads go to the replica and writes to the
// primary; a partner's own write reads back at once (its reads wait on the primary until the replica has
// replayed it) while other partners keep reading the replica. Replay is paused to tell the two apart: a
// paused replica does not see what the primary holds.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>

#include "racetiming/racetiming.hpp"
#include "test_support.hpp"

using namespace racetiming;
using service::Resource;

namespace {

// The Replica 5K with bibs 1..finishers, all finished (a whole file, so places are computed over all).
std::string replica_5k(int finishers) {
  std::string csv = "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\n";
  for (int bib = 1; bib <= finishers; ++bib)
    csv += "Replica 5K,2026-04-01,5K,5000," + std::to_string(bib) + ",Runner,No" + std::to_string(bib) + ",F,30,finished,0:" +
           std::to_string(20 + bib) + ":00\n";
  return csv;
}

// Waits until the replica has replayed everything the primary has written so far (the insert position,
// less a page header it may point past: see engine/read_routing.cpp).
void wait_for_replay(const test::ThrowawayPostgres& primary, const test::ThrowawayPostgres& replica) {
  const std::string position = primary.superuser_query(
      "postgres",
      "SELECT p - CASE WHEN (p - '0/0'::pg_lsn) % 16777216 = 40 THEN 40 WHEN (p - '0/0'::pg_lsn) % 8192 = 24 THEN 24 ELSE 0 END "
      "FROM pg_current_wal_insert_lsn() p");
  for (int i = 0; i < 200; ++i) {
    if (replica.superuser_query("postgres", "SELECT pg_last_wal_replay_lsn() >= '" + position + "'::pg_lsn") == "t") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_FAIL("the replica did not replay the primary's WAL up to " + position + " within 10 s");
}

std::size_t event_count(const Tenant& tenant) { return tenant.events({}, {.limit = 1000}).items.size(); }

std::int64_t finishers(const Tenant& tenant) {
  const auto answer = tenant.ask("How many runners finished the Replica 5K?", {.today = "2026-11-25"});
  BOOST_REQUIRE(answer.has_value());
  return as_int(answer->rows.rows.at(0).at(0)).value_or(-1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(read_replica)

BOOST_AUTO_TEST_CASE(reads_go_to_the_replica_writes_to_the_primary) {
  auto primary = test::ThrowawayPostgres::own();
  const std::string url = primary->create_database();
  const std::string database = url.substr(url.rfind('/') + 1);
  Engine other_process(url);  // migrates; stands for a second daemon or the CLI writing to the same primary
  const auto a = other_process.add_partner("Alpha Timing", "alpha");
  const auto b = other_process.add_partner("Beta Timing", "beta");
  other_process.tenant(a).import_csv(replica_5k(2));
  other_process.tenant(b).import_csv(replica_5k(2));

  auto replica = primary->standby();
  wait_for_replay(*primary, *replica);
  EngineOptions options;
  options.migrate = false;
  options.read_url = replica->url("rt_owner", database);
  Engine engine(url, options);
  BOOST_TEST(engine.ping());
  const Tenant alpha = engine.tenant(a), beta = engine.tenant(b);
  BOOST_TEST(event_count(alpha) == 1u);
  const auto version_before = alpha.data_version();

  // replay paused: what another process writes is on the primary only, and reads do not see it
  replica->superuser_sql("postgres", "SELECT pg_wal_replay_pause()");
  other_process.tenant(a).create(Resource::event, {{"event_name", std::string("Primary Only 10K")}, {"event_date", std::string("2026-05-01")}});
  other_process.tenant(a).import_csv(replica_5k(3));
  other_process.tenant(b).create(Resource::event, {{"event_name", std::string("Primary Only 10K")}, {"event_date", std::string("2026-05-01")}});
  other_process.tenant(b).import_csv(replica_5k(3));
  BOOST_TEST(event_count(alpha) == 1u);
  BOOST_TEST(finishers(alpha) == 2);
  BOOST_TEST(alpha.data_version() == version_before);  // the version is the replica's too

  // a write through the engine goes to the primary (the replica would refuse it: it is read-only) ...
  const auto mine = alpha.create(Resource::event, {{"event_name", std::string("Our Own 5K")}, {"event_date", std::string("2026-06-01")}});
  BOOST_TEST(primary->superuser_query(database, "SELECT count(*) FROM ct_events WHERE timing_partner_id = " + std::to_string(a)) == "3");
  BOOST_TEST(replica->superuser_query(database, "SELECT count(*) FROM ct_events WHERE timing_partner_id = " + std::to_string(a)) == "1");
  // ... and the partner reads it back at once, from the primary, with everything the primary holds
  BOOST_TEST(alpha.event(mine.id).event_name == "Our Own 5K");
  BOOST_TEST(event_count(alpha) == 3u);
  alpha.import_csv(replica_5k(4));
  BOOST_TEST(finishers(alpha) == 4);
  BOOST_TEST(alpha.data_version() > version_before);
  // another partner still reads the paused replica
  BOOST_TEST(event_count(beta) == 1u);
  BOOST_TEST(finishers(beta) == 2);

  // once the replica has replayed the write, the partner's reads go back to it
  replica->superuser_sql("postgres", "SELECT pg_wal_replay_resume()");
  wait_for_replay(*primary, *replica);
  BOOST_TEST(event_count(alpha) == 3u);
  BOOST_TEST(event_count(beta) == 2u);
  replica->superuser_sql("postgres", "SELECT pg_wal_replay_pause()");
  other_process.tenant(a).create(Resource::event, {{"event_name", std::string("Later 5K")}, {"event_date", std::string("2026-07-01")}});
  BOOST_TEST(event_count(alpha) == 3u);  // the replica's, not the primary's 4
  replica->superuser_sql("postgres", "SELECT pg_wal_replay_resume()");
  wait_for_replay(*primary, *replica);
  BOOST_TEST(event_count(alpha) == 4u);
}

BOOST_AUTO_TEST_CASE(a_replica_needs_postgresql) {
  test::TempDir dir;
  EngineOptions options;
  options.read_url = "sqlite:" + (dir.path() / "replica.db").string();
  BOOST_TEST(test::error_code_of([&] { Engine("sqlite:" + (dir.path() / "main.db").string(), options); }) ==
             ErrorCode::invalid_parameter);
  options.read_url = "mysql://nowhere/db";
  BOOST_TEST(test::error_code_of([&] { Engine("sqlite:" + (dir.path() / "main.db").string(), options); }) ==
             ErrorCode::invalid_parameter);
}

BOOST_AUTO_TEST_SUITE_END()
