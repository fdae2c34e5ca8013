// Result rows carry each finish's age grade: by hand for two finishes (the issue's), and equal to the
// finishers report's (graded in SQL) for every finisher of a fixture race, on SQLite and PostgreSQL.
#include <boost/test/unit_test.hpp>

#include <map>

#include "racetiming/racetiming.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

const std::string kChecks =
    "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\n"
    "Check Marathon,2024-09-01,Marathon,42195,6,Flo,Sixty,F,60,finished,3:30:00\n"
    "Check Marathon,2024-09-01,Marathon,42195,7,Dee,Enn,F,60,dnf,\n"
    "Check 5K,2024-09-02,5K,5000,1,Gil,Fortyfive,M,45,finished,0:20:00\n"
    "Odd 800,2024-09-03,800m,800,1,Ed,Young,M,30,finished,0:02:15\n";

std::int64_t race_of(const Tenant& t, const std::string& event) {
  const auto events = t.events({.name_contains = event});
  BOOST_REQUIRE(events.items.size() == 1u);
  return t.races({.event_id = events.items[0].event_id}).items.at(0).race_id;
}

void check_grades(const std::string& url) {
  Engine engine(url);
  const auto partner = engine.add_partner("Graded", "graded");
  const auto t = engine.tenant(partner);
  t.import_csv(kChecks);
  t.import_file((test::shared_dir() / "fixtures" / "big-river.csv").string());

  // a woman of 60 running 3:30:00 in a marathon: 7796 s / 0.7965 = 9787.82 s, / 12600 s = 77.68%;
  // 12600 s * 0.7965 = 10035.9 s
  const auto marathon = t.results({.race_id = race_of(t, "Check Marathon")});
  std::map<std::string, Result> by_bib;
  for (const auto& r : marathon.items) by_bib[r.bib] = r;
  BOOST_REQUIRE(by_bib.count("6") == 1u);
  BOOST_TEST(by_bib["6"].age_grade.value_or(0) == 77.68);
  BOOST_TEST(by_bib["6"].age_graded_time_ms.value_or(0) == 10035900);
  if (by_bib.count("7")) BOOST_TEST(!by_bib["7"].age_grade.has_value());  // no finish, no grade
  // a man of 45 running 20:00 in a 5K: 769 / 0.9125 = 842.74 s, / 1200 s = 70.23%; 1200 s * 0.9125 = 18:15
  const auto gil = t.results({.race_id = race_of(t, "Check 5K")}).items.at(0);
  BOOST_TEST(gil.age_grade.value_or(0) == 70.23);
  BOOST_TEST(gil.age_graded_time_ms.value_or(0) == 1095000);
  BOOST_TEST(t.result(gil.result_id).age_grade.value_or(0) == 70.23);
  // a distance the table does not grade: none
  BOOST_TEST(!t.results({.race_id = race_of(t, "Odd 800")}).items.at(0).age_grade.has_value());

  // the page's JSON says the same, with the printed time
  const auto page = t.run(t.plan_page_json(ResultsQuery::Filter{.race_id = race_of(t, "Check 5K")}, PageRequest{}));
  BOOST_TEST(page.json.find(R"("age_grade":70.23,"age_graded_time_ms":1095000,"age_graded_time":"0:18:15")") != std::string::npos,
             page.json);

  // every finisher of a fixture race: the row's grade is the finishers report's, to the hundredth
  const auto boston = race_of(t, "Boston Marathon");
  const auto report = t.finishers(boston).table("finishers");
  std::map<std::int64_t, std::pair<std::optional<double>, std::optional<std::int64_t>>> reported;
  const auto pid = report.column("participant_id"), grade = report.column("age_grade"), graded = report.column("age_graded_time_ms");
  for (const auto& row : report.rows) reported[as_int(row[pid]).value_or(0)] = {as_real(row[grade]), as_int(row[graded])};
  std::size_t compared = 0;
  std::string cursor;
  do {
    const auto rows = t.results({.race_id = boston}, {.limit = 500, .cursor = cursor});
    for (const auto& r : rows.items) {
      const auto it = reported.find(r.participant_id);
      if (it == reported.end()) continue;  // not a finisher
      BOOST_TEST_CONTEXT("bib " << r.bib) {
        BOOST_TEST(r.age_grade.has_value() == it->second.first.has_value());
        BOOST_TEST(r.age_grade.value_or(-1) == it->second.first.value_or(-1));
        BOOST_TEST(r.age_graded_time_ms.value_or(-1) == it->second.second.value_or(-1));
      }
      ++compared;
    }
    cursor = rows.next_cursor;
  } while (!cursor.empty());
  BOOST_TEST(compared == reported.size());
  BOOST_TEST(compared > 100u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(age_graded_results)

BOOST_AUTO_TEST_CASE(on_sqlite) {
  test::TempDir dir;
  check_grades(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(on_postgresql) { check_grades(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_SUITE_END()
