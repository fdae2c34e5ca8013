#define BOOST_TEST_MODULE seed
// The build may define BOOST_TEST_DYN_LINK on the command line as well; defining it twice would warn.
#ifndef BOOST_TEST_DYN_LINK
#define BOOST_TEST_DYN_LINK
#endif
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "racetiming/error.hpp"
#include "racetiming/ingest/entry.hpp"
#include "racetiming/seed/demo_seed.hpp"
#include "racetiming/store/database.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace {

using racetiming::ingest::Entry;
using racetiming::seed::Scale;

constexpr std::uint64_t kSeed = 42;
constexpr std::size_t kPartnerCount = 13;

bool same_entry(const Entry& a, const Entry& b) {
  auto fields = [](const Entry& e) {
    return std::tie(e.event_name, e.event_date, e.event_city, e.event_state, e.event_country, e.event_external_id,
                    e.race_name, e.race_distance_m, e.bib, e.first_name, e.last_name, e.gender, e.age, e.city,
                    e.state, e.country, e.team, e.status, e.chip_time_ms, e.gun_time_ms, e.line);
  };
  if (fields(a) != fields(b) || a.splits.size() != b.splits.size()) return false;
  for (std::size_t i = 0; i < a.splits.size(); ++i) {
    const auto& x = a.splits[i];
    const auto& y = b.splits[i];
    if (x.name != y.name || x.distance_m != y.distance_m || x.time_ms != y.time_ms) return false;
  }
  return true;
}

bool same_entries(const std::vector<Entry>& a, const std::vector<Entry>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_entry);
}

// Rows the importer writes to ct_results: a FINISH row per finisher or DQ with a time, plus the splits.
std::size_t result_rows(const std::vector<Entry>& entries) {
  std::size_t rows = 0;
  for (const Entry& e : entries) {
    if (e.chip_time_ms && (e.status == "finished" || e.status == "dq")) ++rows;
    if (e.status != "dns") rows += e.splits.size();
  }
  return rows;
}

bool is_iso_date_in_range(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  const int year = std::stoi(date.substr(0, 4));
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  return year >= 2019 && year <= 2025 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// What is wrong with one entry, or "" when it is valid.
std::string problem_with(const Entry& e) {
  if (e.event_name.empty() || e.race_name.empty() || e.bib.empty() || e.first_name.empty() || e.last_name.empty())
    return "a required field is empty";
  if (!is_iso_date_in_range(e.event_date)) return "event_date '" + e.event_date + "' is not a 2019-2025 date";
  if (e.event_country != "US" || e.event_state.empty() || e.event_city.empty()) return "event place is incomplete";
  if (!e.event_external_id.empty() || e.line != 0) return "event_external_id or line is set";
  if (e.gender != 'M' && e.gender != 'F' && e.gender != 'X') return "gender is not M, F or X";
  if (e.age < 10 || e.age > 84) return "age " + std::to_string(e.age) + " is outside 10-84";
  if (e.race_distance_m <= 0) return "race distance is not positive";
  if (e.status == "finished" || e.status == "dq") {
    if (!e.chip_time_ms || *e.chip_time_ms <= 0) return e.status + " without a chip time";
    if (!e.gun_time_ms || *e.gun_time_ms < *e.chip_time_ms) return "gun time missing or before chip time";
  } else if (e.status == "dnf") {
    if (e.chip_time_ms || e.gun_time_ms) return "dnf with a finish time";
    if (e.splits.empty() || e.splits.size() > 2) return "dnf without one or two splits";
  } else if (e.status == "dns") {
    if (e.chip_time_ms || e.gun_time_ms || !e.splits.empty()) return "dns with times";
  } else {
    return "status '" + e.status + "' is unknown";
  }
  std::set<std::string> names;
  std::int64_t previous_time = 0;
  for (const auto& split : e.splits) {
    if (split.distance_m <= 0 || split.distance_m >= e.race_distance_m) return "split " + split.name + " is outside the race";
    if (!names.insert(split.name).second) return "split " + split.name + " appears twice";
    if (split.time_ms <= previous_time) return "split times do not increase";
    if (e.chip_time_ms && split.time_ms >= *e.chip_time_ms) return "split " + split.name + " is after the finish";
    previous_time = split.time_ms;
  }
  return {};
}

std::vector<std::vector<Entry>> demo_data() {
  std::vector<std::vector<Entry>> partners;
  for (std::size_t i = 0; i < kPartnerCount; ++i)
    partners.push_back(racetiming::seed::generate_partner_entries(i, Scale::demo, kSeed));
  return partners;
}

double median_hours(std::vector<std::int64_t> times_ms) {
  BOOST_REQUIRE(!times_ms.empty());
  auto middle = times_ms.begin() + static_cast<std::ptrdiff_t>(times_ms.size() / 2);
  std::nth_element(times_ms.begin(), middle, times_ms.end());
  return static_cast<double>(*middle) / 3'600'000.0;
}

// A fresh directory under the system's temporary directory, removed with its contents at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("racetiming-seed-test-" + std::to_string(stamp) + "-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::int64_t count_rows(racetiming::Database& db, const std::string& table) {
  racetiming::AdminSession session(db);
  const auto rs = session.query({"SELECT count(*) FROM " + table, {}});
  return racetiming::as_int(rs.rows.at(0).at(0)).value_or(-1);
}

}  // namespace

BOOST_AUTO_TEST_CASE(thirteen_unique_partners_with_the_required_three_first) {
  const auto& partners = racetiming::seed::demo_partners();
  BOOST_TEST(partners.size() == kPartnerCount);
  std::set<std::string> names, slugs;
  for (const auto& p : partners) {
    names.insert(p.name);
    slugs.insert(p.slug);
    BOOST_TEST(!p.name.empty());
    BOOST_TEST((!p.slug.empty() && p.slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos));
  }
  BOOST_TEST(names.size() == kPartnerCount);
  BOOST_TEST(slugs.size() == kPartnerCount);
  BOOST_TEST(partners.at(0).name == "Big River Race Management");
  BOOST_TEST(partners.at(0).slug == "big-river");
  BOOST_TEST(partners.at(1).name == "Mid-Hudson Road Runners");
  BOOST_TEST(partners.at(1).slug == "mid-hudson");
  BOOST_TEST(partners.at(2).name == "RacePlace Events");
  BOOST_TEST(partners.at(2).slug == "raceplace");
}

BOOST_AUTO_TEST_CASE(generation_is_deterministic_per_seed) {
  const auto first = racetiming::seed::generate_partner_entries(1, Scale::demo, kSeed);
  const auto again = racetiming::seed::generate_partner_entries(1, Scale::demo, kSeed);
  const auto other_seed = racetiming::seed::generate_partner_entries(1, Scale::demo, kSeed + 1);
  BOOST_TEST(!first.empty());
  BOOST_TEST(same_entries(first, again));
  BOOST_TEST(!same_entries(first, other_seed));
  // another partner is other data
  BOOST_TEST(!same_entries(first, racetiming::seed::generate_partner_entries(2, Scale::demo, kSeed)));
}

BOOST_AUTO_TEST_CASE(partner_index_out_of_range_is_rejected) {
  BOOST_CHECK_THROW(racetiming::seed::generate_partner_entries(kPartnerCount, Scale::demo, kSeed), racetiming::Error);
}

BOOST_AUTO_TEST_CASE(demo_entries_are_valid) {
  const auto partners = demo_data();
  std::size_t total = 0, problems = 0;
  std::string first_problem;
  std::map<std::string, std::size_t> statuses;
  for (std::size_t p = 0; p < partners.size(); ++p) {
    std::set<std::string> bibs;  // per race: partner, event, date, race, bib
    for (const Entry& e : partners[p]) {
      ++total;
      ++statuses[e.status];
      std::string problem = problem_with(e);
      if (problem.empty() &&
          !bibs.insert(e.event_name + "|" + e.event_date + "|" + e.race_name + "|" + e.bib).second)
        problem = "bib repeated in its race";
      if (!problem.empty() && problems++ == 0)
        first_problem = "partner " + std::to_string(p) + ", " + e.event_name + " " + e.event_date + " " +
                        e.race_name + " bib " + e.bib + ": " + problem;
    }
  }
  BOOST_TEST_INFO("first problem: " << first_problem);
  BOOST_TEST(problems == 0u);
  BOOST_TEST(total >= 10'000u);
  BOOST_TEST(total <= 30'000u);
  // every status occurs, finishers dominate
  BOOST_TEST(statuses.size() == 4u);
  BOOST_TEST(statuses["finished"] > total * 88 / 100);
  BOOST_TEST(statuses["dq"] > 0u);
}

BOOST_AUTO_TEST_CASE(demo_events_are_realistic) {
  const auto partners = demo_data();
  for (std::size_t p = 0; p < partners.size(); ++p) {
    BOOST_TEST_CONTEXT("partner " << p) {
      std::map<std::string, std::set<std::string>> places_of_event;   // name -> "city, state"
      std::map<std::string, std::set<std::string>> races_of_edition;  // name|date -> race names
      std::set<std::string> years;
      for (const Entry& e : partners[p]) {
        places_of_event[e.event_name].insert(e.event_city + ", " + e.event_state);
        races_of_edition[e.event_name + "|" + e.event_date].insert(e.race_name);
        years.insert(e.event_date.substr(0, 4));
      }
      BOOST_TEST(places_of_event.size() >= 5u);
      BOOST_TEST(years.size() >= 6u);  // 2019-2025, the pandemic aside
      for (const auto& [name, places] : places_of_event) BOOST_TEST(places.size() == 1u, name);
      for (const auto& [edition, races] : races_of_edition) BOOST_TEST((races.size() >= 1 && races.size() <= 3), edition);
      // several editions of each recurring event
      BOOST_TEST(races_of_edition.size() >= 3 * places_of_event.size());
      BOOST_TEST(places_of_event.contains("Big River Marathon") == (p == 0));
      if (p != 0) BOOST_TEST(!places_of_event.contains("Boston Marathon"));
    }
  }
}

BOOST_AUTO_TEST_CASE(demo_finish_times_are_plausible) {
  std::map<std::int32_t, std::vector<std::int64_t>> finish_times;
  for (const auto& entries : demo_data())
    for (const Entry& e : entries)
      if (e.status == "finished") finish_times[e.race_distance_m].push_back(*e.chip_time_ms);
  const double marathon = median_hours(finish_times[42195]);
  const double half = median_hours(finish_times[21098]);
  const double five_k = median_hours(finish_times[5000]);
  BOOST_TEST_INFO("marathon median " << marathon << " h");
  BOOST_TEST((marathon > 3.5 && marathon < 5.5));
  BOOST_TEST_INFO("half marathon median " << half << " h");
  BOOST_TEST((half > 1.6 && half < 3.0));
  BOOST_TEST_INFO("5K median " << five_k * 60 << " min");
  BOOST_TEST((five_k * 60 > 20 && five_k * 60 < 45));
}

BOOST_AUTO_TEST_CASE(a_small_partner_at_prod_scale_is_sane) {
  // Green Mountain Race Services: a small partner, ~30k entries at prod scale.
  const auto entries = racetiming::seed::generate_partner_entries(5, Scale::prod, kSeed);
  BOOST_TEST(entries.size() >= 20'000u);
  BOOST_TEST(entries.size() <= 45'000u);
  const double rows_per_entry = static_cast<double>(result_rows(entries)) / static_cast<double>(entries.size());
  BOOST_TEST((rows_per_entry > 3.0 && rows_per_entry < 6.0), "result rows per entry " << rows_per_entry);
  // exact ties among finishers of a race, so shared places occur
  std::map<std::string, std::size_t> finishers_by_time;
  for (const Entry& e : entries)
    if (e.status == "finished")
      ++finishers_by_time[e.event_name + "|" + e.event_date + "|" + e.race_name + "|" + std::to_string(*e.chip_time_ms)];
  const auto ties = std::count_if(finishers_by_time.begin(), finishers_by_time.end(),
                                  [](const auto& kv) { return kv.second > 1; });
  BOOST_TEST(ties > 0);
}

BOOST_AUTO_TEST_CASE(prod_scale_reaches_the_production_totals) {
  // ~2 s of generation in an optimised build; one partner in memory at a time.
  std::size_t entries = 0, results = 0;
  for (std::size_t p = 0; p < kPartnerCount; ++p) {
    const auto partner_entries = racetiming::seed::generate_partner_entries(p, Scale::prod, kSeed);
    entries += partner_entries.size();
    results += result_rows(partner_entries);
  }
  BOOST_TEST_INFO("entries " << entries << ", results " << results);
  BOOST_TEST((entries >= 1'600'000u && entries <= 1'800'000u));
  BOOST_TEST_INFO("entries " << entries << ", results " << results);
  BOOST_TEST((results >= 7'500'000u && results <= 8'500'000u));
}

BOOST_AUTO_TEST_CASE(seed_demo_data_loads_everything_once) {
  std::size_t generated_entries = 0, generated_results = 0;
  for (const auto& entries : demo_data()) {
    generated_entries += entries.size();
    generated_results += result_rows(entries);
  }

  ScratchDir dir;  // declared first: the database closes before its directory goes
  auto db = racetiming::Database::open("sqlite:" + (dir.path() / "seed.db").string());
  db.migrate();

  std::vector<std::pair<std::size_t, std::size_t>> progress;
  racetiming::seed::SeedOptions options;
  options.progress = [&progress](std::size_t done, std::size_t total) { progress.emplace_back(done, total); };
  const auto first = racetiming::seed::seed_demo_data(db, options);
  BOOST_TEST(first.partners == kPartnerCount);
  BOOST_TEST(first.entries == generated_entries);
  BOOST_TEST(first.results == generated_results);
  BOOST_TEST(first.events > 0u);
  BOOST_TEST(first.races >= first.events);
  BOOST_TEST(count_rows(db, "timing_partners") == static_cast<std::int64_t>(kPartnerCount));
  BOOST_TEST(count_rows(db, "ct_events") == static_cast<std::int64_t>(first.events));
  BOOST_TEST(count_rows(db, "ct_races") == static_cast<std::int64_t>(first.races));
  BOOST_TEST(count_rows(db, "ct_participants") == static_cast<std::int64_t>(generated_entries));
  BOOST_TEST(count_rows(db, "ct_results") == static_cast<std::int64_t>(generated_results));

  BOOST_REQUIRE(!progress.empty());
  BOOST_TEST(progress.back().first == generated_entries);
  BOOST_TEST(progress.back().second == generated_entries);
  for (std::size_t i = 1; i < progress.size(); ++i) BOOST_TEST(progress[i].first > progress[i - 1].first);

  // A second run reuses the partners and changes nothing.
  const auto participants = count_rows(db, "ct_participants");
  const auto results = count_rows(db, "ct_results");
  const auto second = racetiming::seed::seed_demo_data(db);
  BOOST_TEST(second.partners == first.partners);
  BOOST_TEST(second.events == first.events);
  BOOST_TEST(second.races == first.races);
  BOOST_TEST(second.entries == first.entries);
  BOOST_TEST(second.results == first.results);
  BOOST_TEST(count_rows(db, "timing_partners") == static_cast<std::int64_t>(kPartnerCount));
  BOOST_TEST(count_rows(db, "ct_participants") == participants);
  BOOST_TEST(count_rows(db, "ct_results") == results);
}
