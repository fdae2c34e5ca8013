// Answers read from what the write paths keep beside the readings: finisher counts from places (last
// place plus the finishers who share it) and statistics from each entry's copy of its finish time. A tiny
// race built for the edge cases (a tie for last place, a DQ with a time, a DNF, a DNS) is imported, then
// changed by a second import, and every answer is checked against numbers worked out by hand.
#include <boost/test/unit_test.hpp>

#include "racetiming/admin/partners.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/nl/engine.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

const std::string kHeader =
    "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time,gun_time,splits\n";

std::string mill(const std::string& date) {
  const std::string e = "Mill 5K," + date + ",5K,5000,";
  return e + "1,Ann,Lee,F,34,finished,0:20:00,,\n" +  //
         e + "2,Bea,Kim,F,36,finished,0:21:00,,\n" +  //
         e + "3,Cal,Day,M,41,finished,0:24:00,,\n" +  //
         e + "4,Dot,Eng,F,52,dnf,,,1M@1609=0:07:00\n" + e + "5,Eve,Fox,F,29,dns,,,\n" +
         e + "6,Fin,Gray,M,30,dq,0:19:00,,\n" +  //
         e + "7,Gus,Hale,M,30,finished,0:24:00,,\n";  // tied with Cal for last place
}

std::int64_t number(nl::NlEngine& engine, const TenantContext& ctx, const std::string& q, std::size_t column = 0) {
  const auto answer = engine.ask(ctx, q, nl::AskContext{.today = "2026-11-25"});
  BOOST_REQUIRE_MESSAGE(answer.rows.rows.size() == 1u, q);
  return as_int(answer.rows.rows.at(0).at(column)).value_or(-1);
}

void check_derived_reads(const std::string& url) {
  auto db = Database::open(url);
  db.migrate();
  TenantContext ctx;
  ctx.partner_id = admin::add_partner(db, "Tiny Timing", "tiny");
  ingest::import_interchange_csv(db, ctx.partner_id, kHeader + mill("2023-06-03") + mill("2024-06-01"));
  nl::NlEngine engine(db);

  // places 1, 2, 3, 3: last place 3 shared by two, so four finishers (the DQ has a time and no place)
  BOOST_TEST(number(engine, ctx, "How many runners finished the Mill 5K in 2024?") == 4);
  BOOST_TEST(number(engine, ctx, "How many finishers did the Mill 5K have in 2023 and 2024 combined?") == 8);
  BOOST_TEST(number(engine, ctx, "How many more finishers did the Mill 5K have in 2024 than in 2023?") == 0);
  BOOST_TEST(number(engine, ctx, "How many finishers did we have in 2022?") == 0);  // no race that year
  const auto trend = engine.ask(ctx, "How many finishers did the Mill 5K have each year?", nl::AskContext{.today = "2026-11-25"});
  BOOST_REQUIRE(trend.rows.rows.size() == 2u);
  BOOST_TEST(as_int(trend.rows.rows[0][1]) == 4);
  BOOST_TEST(as_int(trend.rows.rows[1][1]) == 4);
  // statistics of finishers from the entries' finish times: the DQ's time is not a finisher's
  BOOST_TEST(number(engine, ctx, "What was the average finish time of women at the Mill 5K in 2024?") == 1'230'000);
  BOOST_TEST(number(engine, ctx, "What was the average finish time of men at the Mill 5K in 2024?") == 1'440'000);
  BOOST_TEST(number(engine, ctx, "How many runners qualified for Boston at the Mill 5K in 2024?") == 0);  // not a marathon

  // the 2024 edition again: Ann disqualified, Gus faster (no longer tied), a new finisher tied for last
  std::string v2 = mill("2024-06-01");
  v2.replace(v2.find("finished,0:20:00"), 16, "dq,0:20:00");
  v2.replace(v2.find("Hale,M,30,finished,0:24:00"), 26, "Hale,M,30,finished,0:22:00");
  v2 += "Mill 5K,2024-06-01,5K,5000,8,Hal,Ide,M,44,finished,0:24:00,,\n";
  ingest::import_interchange_csv(db, ctx.partner_id, kHeader + v2);
  // places: Bea 1, Gus 2, Cal 3, Hal 3
  BOOST_TEST(number(engine, ctx, "How many runners finished the Mill 5K in 2024?") == 4);
  BOOST_TEST(number(engine, ctx, "How many more finishers did the Mill 5K have in 2024 than in 2023?") == 0);
  BOOST_TEST(number(engine, ctx, "What was the average finish time of women at the Mill 5K in 2024?") == 1'260'000);
  BOOST_TEST(number(engine, ctx, "What was the average finish time of men at the Mill 5K in 2024?") == 1'400'000);
  BOOST_TEST(number(engine, ctx, "How many men finished the Mill 5K in 2024?") == 3);
  BOOST_TEST(test::stale_finish_times(db, ctx.partner_id) == 0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(derived_reads_on_sqlite) {
  test::TempDir dir;
  check_derived_reads(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(derived_reads_on_postgresql) {
  check_derived_reads(test::ThrowawayPostgres::shared().create_database());
}
