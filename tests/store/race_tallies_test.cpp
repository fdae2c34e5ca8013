// The per-race tallies (migration 009) stay equal to the entries they count through every kind of
// write: imports (new rows and the upsert of a repeated import), REST-style creates, updates and
// deletes, a final reading that finishes an entry, a cascade from a deleted race, and plain SQL, on
// SQLite and PostgreSQL. The expected tallies are counted here from ct_participants, by a query of
// the test's own.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "racetiming/racetiming.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;
using racetiming::test::TempDir;
using racetiming::test::ThrowawayPostgres;

namespace {

std::vector<std::string> lines(Database& db, const std::string& sql) {
  AdminSession s(db);
  std::vector<std::string> out;
  for (const auto& row : s.query({sql, {}}).rows) {
    std::string line;
    for (const auto& v : row) line += (is_null(v) ? std::string("NULL") : as_text(v)) + "|";
    out.push_back(line);
  }
  return out;
}

// Each entry counted once per dimension, one SELECT per dimension.
std::string expected_sql() {
  std::string sql;
  const char* dims[] = {"''", "p.gender", "COALESCE(CAST(p.age AS TEXT), '')", "COALESCE(p.division, '')",
                        "COALESCE(p.state, '')", "COALESCE(p.country, '')", "COALESCE(p.team, '')"};
  for (int i = 0; i < 7; ++i)
    sql += std::string(i ? " UNION ALL " : "") + "SELECT p.timing_partner_id, p.race_id, " + std::to_string(i) +
           " AS dimension, p.status, " + dims[i] +
           " AS value, COUNT(*), COUNT(p.finish_time_ms), COALESCE(SUM(p.finish_time_ms), 0) FROM ct_participants p GROUP BY 1, 2, 3, 4, 5";
  return "SELECT * FROM (" + sql + ") x ORDER BY 1, 2, 3, 4, 5";
}

void check(Database& db, const std::string& step) {
  const auto want = lines(db, expected_sql());
  const auto have = lines(db, "SELECT timing_partner_id, race_id, dimension, status, value, entries, timed, time_sum_ms "
                              "FROM race_tallies ORDER BY 1, 2, 3, 4, 5");
  BOOST_TEST_CONTEXT(step) {
    BOOST_TEST(want.size() > 0u);
    BOOST_TEST(have == want, boost::test_tools::per_element());
  }
}

std::int64_t race_named(const Tenant& t, const std::string& event) {
  const auto events = t.events({.name_contains = event});
  BOOST_REQUIRE(!events.items.empty());
  return t.races({.event_id = events.items[0].event_id}).items.at(0).race_id;
}

// Every edition's median in the trends report (read at an offset of the finishers' time index, counted
// by the tallies) equals the middle of that race's finish times sorted here, for odd and even fields.
void check_medians(Database& db, const Tenant& t) {
  std::set<std::string> names;
  for (const auto& e : t.events({}, PageRequest{.limit = 500}).items) names.insert(e.event_name);
  int odd = 0, even = 0;
  for (const auto& name : names) {
    analytics::TrendsRequest request;
    request.event_name = name;
    const auto editions = t.trends(request).table("editions");
    for (std::size_t i = 0; i < editions.rows.size(); ++i) {
      const auto race = as_int(editions.at(i, "race_id")).value_or(0);
      std::vector<std::int64_t> times;
      for (const auto& line : lines(db, "SELECT finish_time_ms FROM ct_participants WHERE race_id = " + std::to_string(race) +
                                            " AND status = 'finished' AND finish_time_ms IS NOT NULL ORDER BY 1"))
        times.push_back(std::stoll(line));
      const std::optional<std::int64_t> reported = as_int(editions.at(i, "median_time_ms"));
      BOOST_TEST_CONTEXT(name << ", race " << race << ", " << times.size() << " finishers") {
        if (times.empty()) {
          BOOST_TEST(!reported.has_value());
          continue;
        }
        const std::size_t n = times.size();
        // the mean of the two middle times, halves rounded up; the one middle time of an odd field
        const std::int64_t middle = (times[(n - 1) / 2] + times[n / 2] + 1) / 2;
        BOOST_TEST(reported.value_or(-1) == middle);
        ++(n % 2 ? odd : even);
      }
    }
  }
  BOOST_TEST(odd > 0);
  BOOST_TEST(even > 0);
}

void check_tallies(const std::string& url) {
  Engine engine(url);
  Database& db = engine.database();
  const auto a = engine.add_partner("Tally A", "tally-a"), b = engine.add_partner("Tally B", "tally-b");
  const Tenant ta = engine.tenant(a), tb = engine.tenant(b);
  const auto fixtures = test::shared_dir() / "fixtures";
  ta.import_file((fixtures / "big-river.csv").string());
  tb.import_file((fixtures / "big-river.csv").string());
  check(db, "after two partners' imports");
  ta.import_file((fixtures / "big-river.csv").string());
  check(db, "after a repeated import (every entry upserted, none changed)");
  check_medians(db, ta);

  using service::Resource;
  const std::int64_t race = race_named(ta, "Boston Marathon");
  const auto entry = ta.create(Resource::participant, {{"race_id", race},
                                                       {"bib", std::string("T-1")},
                                                       {"first_name", std::string("Tess")},
                                                       {"last_name", std::string("Tally")},
                                                       {"gender", std::string("F")},
                                                       {"age", std::int64_t{41}},
                                                       {"state", std::string("VT")}});
  check(db, "after creating an entry");
  ta.create(Resource::result, {{"participant_id", entry.id}, {"results_time_ms", std::int64_t{12'345'678}}});
  check(db, "after its final reading");
  ta.update(Resource::participant, entry.id,
            {{"gender", std::string("M")}, {"age", std::int64_t{52}}, {"state", std::string("")}, {"team", std::string("Tally Club")}});
  check(db, "after changing its gender, age, state and team");
  ta.update(Resource::participant, entry.id, {{"first_name", std::string("Tom")}});
  check(db, "after a rename (no tallied column)");
  ta.update(Resource::participant, entry.id, {{"status", std::string("dq")}});
  check(db, "after a disqualification");
  ta.remove(Resource::participant, entry.id, true);
  check(db, "after deleting the entry");

  {  // plain SQL, as the owner: every seventh entry made a DNF, every fifth deleted
    AdminSession s(db);
    s.execute({"UPDATE ct_participants SET status = 'dnf', finish_time_ms = NULL WHERE participant_id % 7 = 0", {}});
    s.execute({"DELETE FROM ct_participants WHERE participant_id % 5 = 0", {}});
    s.commit();
  }
  check(db, "after plain SQL updates and deletes");

  ta.remove(Resource::race, race_named(ta, "Boston Marathon"), true);
  check(db, "after deleting a race with its entries (a cascade)");
  const auto left = lines(db, "SELECT COUNT(*) FROM race_tallies WHERE race_id NOT IN (SELECT race_id FROM ct_races)");
  BOOST_TEST(left.at(0) == "0|");

  // what the tallies are read for: the demographics report equals a count of the entries
  analytics::DemographicsRequest request;
  request.race_id = race_named(tb, "Boston Marathon");
  const auto report = tb.demographics(request);
  const auto totals = report.table("totals");
  const auto counted = lines(db, "SELECT COUNT(*) FROM ct_participants WHERE timing_partner_id = " + std::to_string(b) +
                                     " AND race_id = " + std::to_string(race_named(tb, "Boston Marathon")));
  BOOST_TEST(as_text(totals.at(0, "entries")) + "|" == counted.at(0));
}

}  // namespace

BOOST_AUTO_TEST_CASE(tallies_follow_every_write_on_sqlite) {
  TempDir dir;
  check_tallies(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(tallies_follow_every_write_on_postgresql) {
  check_tallies(ThrowawayPostgres::shared().create_database());
}
