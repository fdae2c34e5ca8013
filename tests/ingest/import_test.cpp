// Importing the shared fixtures into SQLite and PostgreSQL: counts, divisions and places checked against
// an independent reading of the CSV, idempotent re-import, all-or-nothing on a bad row, tenant separation.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "racetiming/admin/partners.hpp"
#include "racetiming/error.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;
using racetiming::test::ThrowawayPostgres;

namespace {

// What a row of the fixture should become, worked out here without the library's code.
struct Expected {
  std::string status, division;
  long time_ms = -1;
  long overall = 0, gender = 0, division_place = 0;
  int results = 0;  // rows in ct_results
};

long parse_time(const std::string& t) {
  if (t.empty()) return -1;
  int h = 0, m = 0, s = 0, tenth = 0;
  const int n = std::sscanf(t.c_str(), "%d:%d:%d.%1d", &h, &m, &s, &tenth);
  return ((h * 60L + m) * 60 + s) * 1000 + (n == 4 ? tenth * 100 : 0);
}

std::vector<std::string> split(std::string line, char sep) {
  if (!line.empty() && line.back() == '\r') line.pop_back();  // the fixtures have CRLF line ends
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

// key: "event_date|race_name|bib"
std::map<std::string, Expected> expected_from(const std::string& csv) {
  std::stringstream in(csv);
  std::string line;
  std::getline(in, line);
  const auto header = split(line, ',');
  auto col = [&](const std::string& name) { return std::find(header.begin(), header.end(), name) - header.begin(); };
  std::map<std::string, Expected> out;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> races;  // race -> (key, gender)
  while (std::getline(in, line)) {
    const auto f = split(line, ',');
    Expected e;
    e.status = f[col("status")];
    const int age = std::stoi(f[col("age")]);
    const std::string g = f[col("gender")];
    const int low = age / 5 * 5;
    e.division = g + (age < 15 ? "01-14" : age >= 80 ? "80+" : fmt::format("{}-{}", low, low + 4));
    if (e.status == "finished" || e.status == "dq") e.time_ms = parse_time(f[col("chip_time")]);
    const std::string splits = f[col("splits")];
    e.results = (e.time_ms >= 0 ? 1 : 0) + (splits.empty() || e.status == "dns" ? 0 : static_cast<int>(split(splits, ';').size()));
    const std::string race = f[col("event_date")] + "|" + f[col("race_name")];
    const std::string key = race + "|" + f[col("bib")];
    out[key] = e;
    races[race].push_back({key, g});
  }
  // competition ranking: one more than the number of finishers strictly faster
  for (auto& [race, members] : races) {
    for (auto& [key, gender] : members) {
      Expected& me = out[key];
      if (me.status != "finished") continue;
      me.overall = me.gender = me.division_place = 1;
      for (auto& [other_key, other_gender] : members) {
        const Expected& o = out[other_key];
        if (o.status != "finished" || o.time_ms >= me.time_ms) continue;
        ++me.overall;
        if (other_gender == gender) ++me.gender;
        if (o.division == me.division) ++me.division_place;
      }
    }
  }
  return out;
}

// Every entry of a partner with its final result, in a stable order, as text.
std::vector<std::string> dump(Database& db, std::int64_t partner) {
  TenantSession s(db, partner);
  SqlWriter w(db.dialect());
  w << "SELECT e.event_date, ra.race_name, p.bib, p.status, p.division, r.results_time_ms, r.overall_place, "
       "r.gender_place, r.division_place, r.pace_ms_per_km, "
       "(SELECT COUNT(*) FROM ct_results x WHERE x.participant_id = p.participant_id) AS results "
       "FROM ct_participants p JOIN ct_races ra ON ra.race_id = p.race_id JOIN ct_events e ON e.event_id = p.event_id "
       "LEFT JOIN ct_results r ON r.participant_id = p.participant_id AND r.is_final "
       "WHERE p.timing_partner_id = ";
  w.bind(partner);
  w << " ORDER BY e.event_date, ra.race_name, p.bib";
  std::vector<std::string> out;
  for (const auto& row : s.query(w.take()).rows) {
    std::string line;
    for (const auto& v : row) line += as_text(v) + "|";
    out.push_back(line);
  }
  return out;
}

std::int64_t count(Database& db, std::int64_t partner, const std::string& table) {
  TenantSession s(db, partner);
  SqlWriter w(db.dialect());
  w << "SELECT COUNT(*) FROM " << table << " WHERE timing_partner_id = ";
  w.bind(partner);
  return as_int(s.query(w.take()).rows.at(0).at(0)).value_or(-1);
}

void check_against_expected(Database& db, std::int64_t partner, const std::string& csv) {
  const auto expected = expected_from(csv);
  TenantSession s(db, partner);
  SqlWriter w(db.dialect());
  w << "SELECT e.event_date, ra.race_name, p.bib, p.status, p.division, r.results_time_ms, r.overall_place, "
       "r.gender_place, r.division_place, (SELECT COUNT(*) FROM ct_results x WHERE x.participant_id = p.participant_id) "
       "FROM ct_participants p JOIN ct_races ra ON ra.race_id = p.race_id JOIN ct_events e ON e.event_id = p.event_id "
       "LEFT JOIN ct_results r ON r.participant_id = p.participant_id AND r.is_final WHERE p.timing_partner_id = ";
  w.bind(partner);
  auto rows = s.query(w.take()).rows;
  BOOST_TEST(rows.size() == expected.size());
  std::size_t mismatches = 0, ties = 0;
  std::map<std::string, int> places_seen;
  for (const auto& row : rows) {
    const std::string key = as_text(row[0]) + "|" + as_text(row[1]) + "|" + as_text(row[2]);
    auto it = expected.find(key);
    if (it == expected.end()) {
      ++mismatches;
      continue;
    }
    const Expected& e = it->second;
    const bool ok = as_text(row[3]) == e.status && as_text(row[4]) == e.division &&
                    (e.time_ms < 0 ? is_null(row[5]) : as_int(row[5]) == e.time_ms) &&
                    (e.overall ? as_int(row[6]) == e.overall : is_null(row[6])) &&
                    (e.gender ? as_int(row[7]) == e.gender : is_null(row[7])) &&
                    (e.division_place ? as_int(row[8]) == e.division_place : is_null(row[8])) &&
                    as_int(row[9]) == e.results;
    if (!ok && mismatches++ < 3) {
      std::string got;
      for (const auto& v : row) got += as_text(v) + "|";
      BOOST_TEST_MESSAGE("mismatch at " << key << " got " << got << " expected " << e.status << " " << e.division << " " << e.time_ms << " " << e.overall << "/" << e.gender << "/" << e.division_place << " results " << e.results);
    }
    if (e.overall && ++places_seen[as_text(row[0]) + as_text(row[1]) + "#" + std::to_string(e.overall)] == 2) ++ties;
  }
  BOOST_TEST(mismatches == 0u);
  BOOST_TEST(ties > 0u);  // the fixtures carry exact ties, so shared places were exercised
}

struct ImportCase {
  Database db;
  std::int64_t big_river = 0, mid_hudson = 0;
  std::string big_csv, mid_csv;

  explicit ImportCase(const std::string& url) : db(Database::open(url)) {
    db.migrate();
    big_river = admin::add_partner(db, "Big River Race Management", "big-river");
    mid_hudson = admin::add_partner(db, "Mid-Hudson Road Runners", "mid-hudson");
    big_csv = test::read_file(test::shared_dir() / "fixtures" / "big-river.csv");
    mid_csv = test::read_file(test::shared_dir() / "fixtures" / "mid-hudson.csv");
  }
};

std::vector<std::string> import_and_check(const std::string& url) {
  ImportCase c(url);
  auto r = ingest::import_interchange_csv(c.db, c.big_river, c.big_csv);
  BOOST_TEST(r.rows_read == 10470u);
  BOOST_TEST(r.created == 10470u);
  BOOST_TEST(r.errors.empty());
  BOOST_TEST(r.events == 7u);
  auto m = ingest::import_interchange_csv(c.db, c.mid_hudson, c.mid_csv);
  BOOST_TEST(m.created == 3300u);

  check_against_expected(c.db, c.big_river, c.big_csv);
  check_against_expected(c.db, c.mid_hudson, c.mid_csv);
  BOOST_TEST(test::stale_finish_times(c.db, c.big_river) == 0);
  BOOST_TEST(test::stale_finish_times(c.db, c.mid_hudson) == 0);
  BOOST_TEST(count(c.db, c.big_river, "ct_events") == 7);
  BOOST_TEST(count(c.db, c.mid_hudson, "ct_events") == 4);
  BOOST_TEST(count(c.db, c.big_river, "ct_participants") == 10470);
  BOOST_TEST(count(c.db, c.mid_hudson, "ct_participants") == 3300);

  // a second import of the same file changes nothing
  const auto before = dump(c.db, c.big_river);
  auto again = ingest::import_interchange_csv(c.db, c.big_river, c.big_csv);
  BOOST_TEST(again.created == 0u);
  BOOST_TEST(again.updated == 0u);
  BOOST_TEST(again.unchanged == 10470u);
  BOOST_TEST(dump(c.db, c.big_river) == before);
  BOOST_TEST(count(c.db, c.big_river, "sync_runs") == 2);
  return before;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fixtures_import_identically_into_sqlite_and_postgresql) {
  test::TempDir dir;
  const auto sqlite_rows = import_and_check(dir.sqlite_url());
  const auto pg_rows = import_and_check(ThrowawayPostgres::shared().create_database());
  BOOST_TEST(sqlite_rows.size() == 10470u);
  BOOST_TEST((sqlite_rows == pg_rows));
}

namespace {

// Two editions of every big-river event (the second ten years on, its events renamed): 20,940 rows, so
// the importer's chunks of 20,000 rows cut the last race in two.
std::string two_editions() {
  const std::string csv = test::read_file(test::shared_dir() / "fixtures" / "big-river.csv");
  std::stringstream in(csv);
  std::string line, header, out, later;
  std::getline(in, header);
  while (std::getline(in, line)) {
    out += line + "\n";
    const auto first_comma = line.find(',');
    std::string moved = line.substr(0, first_comma) + " II," + std::to_string(std::stoi(line.substr(first_comma + 1, 4)) + 10) +
                        line.substr(first_comma + 5);
    later += moved + "\n";
  }
  return header + "\n" + out + later;
}

void check_chunked_import(const std::string& url) {
  auto db = Database::open(url);
  db.migrate();
  const auto partner = admin::add_partner(db, "Chunks", "chunks");
  const std::string csv = two_editions();
  auto report = ingest::import_interchange_csv(db, partner, csv);
  BOOST_TEST(report.created == 20940u);
  BOOST_TEST(report.races == 26u);
  check_against_expected(db, partner, csv);  // places of the race cut in two included
  // a bad row in the second chunk refuses the whole file: nothing of the first chunk stays
  const auto other = admin::add_partner(db, "Chunks 2", "chunks-2");
  std::string bad = csv;
  bad.replace(bad.rfind(",finished,"), 10, ",finishd,");
  BOOST_CHECK_THROW(ingest::import_interchange_csv(db, other, bad), Error);
  BOOST_TEST(count(db, other, "ct_participants") == 0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_file_larger_than_a_chunk_imports_whole_on_sqlite) {
  test::TempDir dir;
  check_chunked_import(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(a_file_larger_than_a_chunk_imports_whole_on_postgresql) {
  check_chunked_import(ThrowawayPostgres::shared().create_database());
}

namespace {

std::string with_bad_row(const std::string& csv, std::size_t line_no) {
  std::stringstream in(csv);
  std::string line, out;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (n == line_no) {
      auto f = split(line, ',');
      f[10] = "Q";  // gender
      line = fmt::format("{}", fmt::join(f, ","));
    }
    out += line + "\n";
  }
  return out;
}

void check_bad_row(const std::string& url) {
  ImportCase c(url);
  const std::string bad = with_bad_row(c.mid_csv, 57);
  try {
    ingest::import_interchange_csv(c.db, c.mid_hudson, bad);
    BOOST_FAIL("a bad row must abort the import");
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::invalid_input);
    BOOST_TEST(std::string(e.what()).find("line 57: gender") != std::string::npos, e.what());
  }
  BOOST_TEST(count(c.db, c.mid_hudson, "ct_participants") == 0);
  BOOST_TEST(count(c.db, c.mid_hudson, "ct_events") == 0);
  {
    TenantSession s(c.db, c.mid_hudson);
    auto runs = s.query({"SELECT status, records_failed, error FROM sync_runs", {}});
    BOOST_REQUIRE(runs.rows.size() == 1u);
    BOOST_TEST(as_text(runs.rows[0][0]) == "failed");
    BOOST_TEST(as_int(runs.rows[0][1]) == 1);
  }
  ingest::ImportOptions skip;
  skip.on_error = ingest::OnError::skip;
  auto r = ingest::import_interchange_csv(c.db, c.mid_hudson, bad, skip);
  BOOST_TEST(r.skipped == 1u);
  BOOST_TEST(r.created == 3299u);
  BOOST_REQUIRE(r.errors.size() == 1u);
  BOOST_TEST(r.errors[0].line == 57u);
  BOOST_TEST(count(c.db, c.mid_hudson, "ct_participants") == 3299);
  // the other partner saw none of it
  BOOST_TEST(count(c.db, c.big_river, "ct_participants") == 0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_bad_row_imports_nothing_unless_skipped_sqlite) {
  test::TempDir dir;
  check_bad_row(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(a_bad_row_imports_nothing_unless_skipped_postgresql) {
  check_bad_row(ThrowawayPostgres::shared().create_database());
}

BOOST_AUTO_TEST_CASE(changed_rows_are_updated_and_places_follow) {
  test::TempDir dir;
  auto db = Database::open(dir.sqlite_url());
  db.migrate();
  const auto p = admin::add_partner(db, "Tiny Timing", "tiny");
  const std::string header = "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time,gun_time,splits\n";
  const std::string v1 = header +
                         "Mill 5K,2024-06-01,5K,5000,1,Ann,Lee,F,34,finished,0:20:00,,\n"
                         "Mill 5K,2024-06-01,5K,5000,2,Bea,Kim,F,36,finished,0:21:00,,\n"
                         "Mill 5K,2024-06-01,5K,5000,3,Cal,Day,M,41,finished,0:21:00,,\n"
                         "Mill 5K,2024-06-01,5K,5000,4,Dot,Eng,F,52,dnf,,,1M@1609=0:07:00\n"
                         "Mill 5K,2024-06-01,5K,5000,5,Eve,Fox,F,29,dns,,,\n"
                         "Mill 5K,2024-06-01,5K,5000,6,Fin,Gray,M,30,dq,0:19:00,,\n"
                         "Mill 5K,2024-06-01,5K,5000,7,Gus,Hale,M,30,finished,0:22:00,,\n";
  ingest::import_interchange_csv(db, p, v1);
  auto places = [&] {
    TenantSession s(db, p);
    std::map<std::string, std::string> out;
    for (const auto& row : s.query({"SELECT p.bib, r.overall_place, r.gender_place FROM ct_participants p LEFT JOIN ct_results r "
                                    "ON r.participant_id = p.participant_id AND r.is_final", {}})
                               .rows)
      out[as_text(row[0])] = as_text(row[1]) + "/" + as_text(row[2]);
    return out;
  };
  auto a = places();
  BOOST_TEST(a["1"] == "1/1");
  BOOST_TEST(a["2"] == "2/2");
  BOOST_TEST(a["3"] == "2/1");  // tie with bib 2: both second, next is fourth
  BOOST_TEST(a["7"] == "4/2");
  BOOST_TEST(a["4"] == "/");  // dnf: no finish row
  BOOST_TEST(a["6"] == "/");  // dq: time kept, no place

  // bib 1 is disqualified after the fact: everyone moves up, and the import says one entry changed
  std::string v2 = v1;
  v2.replace(v2.find("finished,0:20:00"), 16, "dq,0:20:00");
  auto r = ingest::import_interchange_csv(db, p, v2);
  BOOST_TEST(r.updated == 1u);
  BOOST_TEST(r.unchanged == 6u);
  auto b = places();
  BOOST_TEST(b["1"] == "/");
  BOOST_TEST(b["2"] == "1/1");
  BOOST_TEST(b["3"] == "1/1");
  BOOST_TEST(b["7"] == "3/2");

  // a corrected time and a finisher turned DNF (no final reading): each entry's finish time follows
  std::string v3 = v2;
  v3.replace(v3.find("finished,0:21:00"), 16, "finished,0:19:30");
  v3.replace(v3.find("finished,0:22:00,,"), 18, "dnf,,,");
  r = ingest::import_interchange_csv(db, p, v3);
  BOOST_TEST(r.updated == 2u);
  BOOST_TEST(test::stale_finish_times(db, p) == 0);
  TenantSession s(db, p);
  std::map<std::string, std::string> finish;
  for (const auto& row : s.query({"SELECT bib, finish_time_ms FROM ct_participants", {}}).rows)
    finish[as_text(row[0])] = as_text(row[1]);
  BOOST_TEST(finish["1"] == "1200000");  // a DQ's time was read
  BOOST_TEST(finish["2"] == "1170000");
  BOOST_TEST(finish["7"] == "");
  BOOST_TEST(finish["4"] == "");
}
