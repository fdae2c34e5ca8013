// A Plan rendered to SQL by composition: the measure's select list, over the population's rows (final
// readings of finishers, or entries by status), scoped to the races the plan reads, grouped or compared.
// Values are always bound; the partner binds first and every tenant table is scoped to it. Texts differ
// by dialect only where SQLite and PostgreSQL spell a date part differently.
#include "nl/render.hpp"

#include <algorithm>

#include "nl/rules.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "analytics/measures.hpp"
#include "analytics/tallies.hpp"
#include "nl/text.hpp"

namespace racetiming::nl {
namespace {

// A template being filled: the text so far, with the partner bound once as the first placeholder.
class Slots {
 public:
  // The partner is placeholder 1; the text refers to it by tp() wherever a table is scoped.
  Slots(Dialect d, std::int64_t partner) : d_(d) { params_.emplace_back(partner); }
  std::string tp() const { return d_ == Dialect::postgresql ? "$1" : "?1"; }
  Dialect dialect() const { return d_; }

  Slots& operator<<(std::string_view text) {
    text_ += text;
    return *this;
  }
  // Text before what is written so far (placeholders are numbered by value, not by position).
  void prepend(std::string_view text) { text_.insert(0, text); }
  // A typed slot: its value bound, its placeholder written.
  Slots& slot(Value v) {
    params_.push_back(std::move(v));
    text_ += d_ == Dialect::postgresql ? fmt::format("${}", params_.size()) : fmt::format("?{}", params_.size());
    return *this;
  }
  Slots& text_slot(const std::string& v) { return slot(Value(std::in_place_type<std::string>, v)); }
  // A value bound now, its placeholder returned to be written (as often as needed) later.
  std::string bind_int(std::int64_t v) {
    params_.emplace_back(std::in_place_type<std::int64_t>, v);
    return d_ == Dialect::postgresql ? fmt::format("${}", params_.size()) : fmt::format("?{}", params_.size());
  }
  Slots& int_slot(std::int64_t v) { return slot(Value(std::in_place_type<std::int64_t>, v)); }
  Slots& bind(Value v) { return slot(std::move(v)); }  // as SqlWriter: the shared measures write through either

  std::string month_of(std::string_view column) const {
    return d_ == Dialect::postgresql ? fmt::format("CAST(EXTRACT(MONTH FROM {}) AS INTEGER)", column)
                                     : fmt::format("CAST(substr({}, 6, 2) AS INTEGER)", column);
  }

  // Finishers read from their entries alone (times_from_entries, first_rows_from_entries): the chip time
  // is then the entry's copy.
  void read_times_from_entries() { entry_times_ = true; }
  bool entry_times() const { return entry_times_; }
  std::string_view chip_time() const { return entry_times_ ? "p.finish_time_ms" : "r.results_time_ms"; }

  // planned for its values each time (see Sql::reuse_plan): a race of 50 and one of 20,000 want different plans
  Sql take() { return Sql{std::move(text_), std::move(params_), false}; }

 private:
  Dialect d_;
  std::string text_;
  std::vector<Value> params_;
  bool entry_times_ = false;
};

// ---- the population's rows ---------------------------------------------------------------------------

struct Joins {
  bool entry = true, race = false, event = false;
  bool by_overall_place = false;  // the rows are bounded by overall place ("the top 100")
};

// What the select list, the filters and the grouping read besides the base table.
Joins joins_for(const Plan& p, bool rows) {
  Joins j;
  const auto g = p.grouping;
  // years are read off the race ids (year_of_race), so only event names and ids need the events table
  j.event = rows || g == Grouping::event || g == Grouping::race;  // a race is named with its event
  j.race = rows || g == Grouping::race || p.measure == Measure::bq_count;
  const bool on_entry = p.who.on_entry() || p.condition.on_entry() || p.population != Population::finishers;
  // the event too: results carry it, but the statement names its column on the entry (p.event_id)
  const bool entry_fields = p.field == Field::age || p.field == Field::event || p.field == Field::team || p.field == Field::state ||
                            p.field == Field::city || p.field == Field::country;
  const bool entry_groups = g == Grouping::gender || g == Grouping::division || g == Grouping::age_band ||
                            g == Grouping::state || g == Grouping::city || g == Grouping::team || !p.compare_genders.empty();
  j.entry = rows || on_entry || entry_fields || entry_groups || p.measure == Measure::bq_count ||
            p.measure == Measure::extreme;
  j.by_overall_place = p.who.max_place && !p.place_among_gender;
  return j;
}

// Final readings of finishers: without the entry, a finisher is a final reading that holds a place
// (every write path keeps places for exactly the finished entries with a time), so counting them needs
// no join at all.
void finishers_from(Slots& s, Joins j) {
  const auto tp = s.tp();
  s << " FROM ct_results r";
  if (j.entry) s << fmt::format(" JOIN ct_participants p ON p.participant_id = r.participant_id AND p.timing_partner_id = {0}", tp);
  if (j.race) s << fmt::format(" JOIN ct_races ra ON ra.race_id = r.race_id AND ra.timing_partner_id = {0}", tp);
  if (j.event) s << fmt::format(" JOIN ct_events e ON e.event_id = r.event_id AND e.timing_partner_id = {0}", tp);
  s << fmt::format(" WHERE r.timing_partner_id = {0} AND r.is_final", tp);
  // a place implies a time; with the entry joined, its status says finished. Bounded by overall place,
  // the rows are read off the placed readings' index in place order (the top 100: 100 readings).
  if (!j.entry || j.by_overall_place) s << " AND r.overall_place IS NOT NULL";
  if (j.entry) s << (j.by_overall_place ? " AND p.status = 'finished'" : " AND r.results_time_ms IS NOT NULL AND p.status = 'finished'");
}

// Entries by the population's statuses; finishers read from their entries are those with a finish time.
void entries_from(Slots& s, const Plan& p, Joins j) {
  const auto tp = s.tp();
  s << " FROM ct_participants p";
  if (j.race) s << fmt::format(" JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = {0}", tp);
  if (j.event) s << fmt::format(" JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = {0}", tp);
  s << fmt::format(" WHERE p.timing_partner_id = {0}", tp);
  if (p.population == Population::starters) s << " AND p.status IN ('finished', 'dnf', 'dq')";
  if (p.population == Population::status) (s << " AND p.status = ").text_slot(*p.who.status);
  if (p.population == Population::finishers) s << " AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL";
}

bool results_based(const Plan& p) { return p.population == Population::finishers; }

// Whether a finishers' plan reads nothing of a final reading but its chip time (no places, gun times or
// paces, nor bounds on them): then its entries can answer it, through the finish time each keeps (migration 006).
bool reads_only_chip_time(const Plan& p) {
  auto paced = [](const Filters& f) { return f.min_pace_ms || f.max_pace_ms; };
  return results_based(p) && p.field != Field::gun_time && p.field != Field::pace && !p.who.max_place &&
         !p.condition.max_place && !paced(p.who) && !paced(p.condition);
}

// An aggregate of finishers that reads entry fields and their chip time reads the entries alone: a
// whole-race statistic by gender, age or division is one index of the race's entries instead of a join
// of 31,000 readings. One that reads no entry field keeps to the narrower index of placed readings.
bool times_from_entries(const Plan& p) { return reads_only_chip_time(p) && joins_for(p, false).entry; }

// Whether the population's rows are final readings (r) rather than entries (p).
bool rows_are_readings(const Slots& s, const Plan& p) { return results_based(p) && !s.entry_times(); }

// The race of a population's row: the reading's, or the entry's.
std::string_view race_column(const Slots& s, const Plan& p) { return rows_are_readings(s, p) ? "r.race_id" : "p.race_id"; }

// The edition year of each row, from its race id: the catalog knows each scoped race's year, so no join to
// the events table is needed (on whole editions that join costs as much as the count).
std::string year_of_race(Slots& s, const Plan& p, std::string_view column = {}) {
  if (column.empty()) column = race_column(s, p);
  std::vector<std::pair<int, std::vector<std::int64_t>>> years;
  for (const ScopedRace& sr : scope_races(p)) {
    const int y = sr.event->year();
    auto it = std::find_if(years.begin(), years.end(), [&](const auto& e) { return e.first == y; });
    if (it == years.end()) it = years.insert(years.end(), {y, {}});
    it->second.push_back(sr.race->race_id);
  }
  if (years.empty()) return "CAST(NULL AS INTEGER)";
  std::string out = "CASE";
  for (const auto& [year, races] : years) {
    out += fmt::format(" WHEN {} IN (", column);
    for (std::size_t i = 0; i < races.size(); ++i) out += (i ? ", " : "") + s.bind_int(races[i]);
    out += fmt::format(") THEN CAST({} AS INTEGER)", s.bind_int(year));
  }
  return out + " END";
}

// The races read: by their ids (the results index leads with the race).
void scope(Slots& s, const Plan& p) {
  const auto races = scope_races(p);
  const std::string_view column = race_column(s, p);
  const bool results = rows_are_readings(s, p);
  if (races.empty()) {  // nothing matches, said in SQL
    s << fmt::format(" AND {} IS NULL", column);
    return;
  }
  if (races.size() == 1) {
    s << fmt::format(" AND {} = ", column);
    s.int_slot(races[0].race->race_id);
  } else {
    s << fmt::format(" AND {} IN (", column);
    for (std::size_t i = 0; i < races.size(); ++i) {
      if (i) s << ", ";
      s.int_slot(races[i].race->race_id);
    }
    s << ")";
  }
  // the entry's own race said too: the planner then reads the race's entries through their index (not
  // for the few readings of a place bound, each of which finds its entry by id)
  const Joins j = joins_for(p, false);
  if (results && j.entry && !j.by_overall_place && races.size() == 1) (s << " AND p.race_id = ").int_slot(races[0].race->race_id);
}

// Filters as SQL conditions joined by AND, each starting " AND ".
void conditions(Slots& s, const Filters& f, const Plan& p) {
  if (f.gender) (s << " AND p.gender = ").text_slot(std::string(1, *f.gender));
  if (f.min_age) (s << " AND p.age >= ").int_slot(*f.min_age);
  if (f.max_age) (s << " AND p.age <= ").int_slot(*f.max_age);
  if (f.division) (s << " AND p.division = ").text_slot(*f.division);
  if (f.state) (s << " AND p.state = ").text_slot(*f.state);
  if (f.city) (s << " AND lower(p.city) = lower(").text_slot(*f.city) << ")";
  if (f.team) (s << " AND p.team = ").text_slot(*f.team);
  if (f.country) (s << " AND p.country = ").text_slot(*f.country);
  if (f.min_time_ms) (s << " AND " << s.chip_time() << (f.time_inclusive ? " >= " : " > ")).int_slot(*f.min_time_ms);
  if (f.max_time_ms) (s << " AND " << s.chip_time() << (f.time_inclusive ? " <= " : " < ")).int_slot(*f.max_time_ms);
  if (f.min_pace_ms) (s << (f.time_inclusive ? " AND r.pace_ms_per_km >= " : " AND r.pace_ms_per_km > ")).int_slot(*f.min_pace_ms);
  if (f.max_pace_ms) (s << (f.time_inclusive ? " AND r.pace_ms_per_km <= " : " AND r.pace_ms_per_km < ")).int_slot(*f.max_pace_ms);
  if (f.max_place) (s << (p.place_among_gender ? " AND r.gender_place <= " : " AND r.overall_place <= ")).int_slot(*f.max_place);
  if (f.status && p.population != Population::status) (s << " AND p.status = ").text_slot(*f.status);
}

// The population's rows: FROM ... WHERE, with the scope and the population's filters.
void population(Slots& s, const Plan& p, Joins j) {
  if (rows_are_readings(s, p)) finishers_from(s, j); else entries_from(s, p, j);
  scope(s, p);
  Filters who = p.who;
  if (p.population == Population::status) who.status.reset();
  conditions(s, who, p);
  // entries without a team (state, city, division) form no group: "which team had the most finishers"
  // is never the runners of no team
  switch (p.grouping) {
    case Grouping::team: s << " AND p.team <> ''"; break;
    case Grouping::state: s << " AND p.state <> ''"; break;
    case Grouping::city: s << " AND p.city <> ''"; break;
    case Grouping::division: s << " AND p.division <> ''"; break;
    default: break;
  }
  if (p.compare_genders.size() >= 2) {
    s << " AND p.gender IN (";
    for (std::size_t i = 0; i < p.compare_genders.size(); ++i) {
      if (i) s << ", ";
      s.text_slot(std::string(1, p.compare_genders[i]));
    }
    s << ")";
  }
}

// ---- measures, groups and orders ----------------------------------------------------------------

std::string_view column_of(const Slots& s, Field f) {
  switch (f) {
    case Field::gun_time: return "r.gun_time_ms";
    case Field::pace: return "r.pace_ms_per_km";
    case Field::age: return "p.age";
    case Field::team: return "NULLIF(p.team, '')";
    case Field::state: return "NULLIF(p.state, '')";
    case Field::city: return "lower(NULLIF(p.city, ''))";
    case Field::country: return "NULLIF(p.country, '')";
    case Field::event: return "p.event_id";
    default: return s.chip_time();
  }
}

// The name of a statistic's column: *_time_ms columns get H:MM:SS beside them, pace_ms_per_km its paces.
std::string statistic_name(const Plan& p) {
  static constexpr std::string_view kTime[] = {"avg_time_ms", "median_time_ms", "fastest_time_ms", "slowest_time_ms"};
  static constexpr std::string_view kGun[] = {"avg_gun_time_ms", "median_gun_time_ms", "fastest_gun_time_ms", "slowest_gun_time_ms"};
  static constexpr std::string_view kAge[] = {"avg_age", "median_age", "youngest_age", "oldest_age"};
  const auto i = static_cast<std::size_t>(p.statistic);
  switch (p.field) {
    case Field::pace: return "pace_ms_per_km";
    case Field::age: return std::string(kAge[i]);
    case Field::gun_time: return std::string(kGun[i]);
    default: return std::string(kTime[i]);
  }
}

// An aggregate of `value` (a column, or a CASE that is NULL outside a compared side).
std::string aggregate(const Plan& p, std::string_view value) {
  const bool age = p.field == Field::age;
  switch (p.statistic) {
    case Statistic::average:
      return age ? fmt::format("ROUND(AVG({}), 1)", value) : fmt::format("CAST(ROUND(AVG({})) AS BIGINT)", value);
    case Statistic::minimum: return fmt::format("MIN({})", value);
    case Statistic::maximum: return fmt::format("MAX({})", value);
    case Statistic::median: break;  // rendered with row numbers (statistic_median)
  }
  return {};
}

struct Group {
  std::string key;     // the expression
  std::string name;    // its column
  std::string extra;   // more columns that name the group (event date)
};

Group group_of(Slots& s, const Plan& p) {
  switch (p.grouping) {
    case Grouping::gender: return {"p.gender", "gender", ""};
    case Grouping::division: return {"p.division", "division", ""};
    case Grouping::age_band: return {"(p.age / 10) * 10", "age_band", ""};
    case Grouping::state: return {"p.state", "state", ""};
    case Grouping::city: return {"p.city", "city", ""};
    case Grouping::team: return {"p.team", "team", ""};
    case Grouping::year: return {year_of_race(s, p), "year", ""};
    case Grouping::event: return {"e.event_id", "event_id", "e.event_name, e.event_date"};
    case Grouping::race: return {"ra.race_id", "race_id", "ra.race_name, ra.distance_m, e.event_name"};
    case Grouping::none: break;
  }
  return {};
}

constexpr std::string_view kResultColumns =
    "r.overall_place, r.gender_place, r.division_place, p.bib, p.first_name, p.last_name, p.gender, p.age, "
    "p.division, p.city, p.state, p.team, p.status, r.results_time_ms, r.gun_time_ms, r.pace_ms_per_km, e.event_name, "
    "e.event_date, ra.race_name";
constexpr std::string_view kResultOutput =
    "x.overall_place, x.gender_place, x.division_place, x.bib, x.first_name, x.last_name, x.gender, x.age, "
    "x.division, x.city, x.state, x.team, x.status, x.results_time_ms, x.gun_time_ms, x.pace_ms_per_km, x.event_name, "
    "x.event_date, x.race_name";

// Whether finishers rank by gun time: where every race read places by it.
bool ranks_by_gun(const Plan& p) {
  const auto races = scope_races(p);
  return !races.empty() && std::all_of(races.begin(), races.end(), [](const ScopedRace& r) { return r.race->gun_placed; });
}

// How finishers rank: by chip time, or by gun time where the races place by it.
std::string_view rank_column(const Slots& s, const Plan& p) { return ranks_by_gun(p) ? "r.gun_time_ms" : s.chip_time(); }

// The first rows by chip time of an ungrouped list of a small part of the field (the F40-44 winner, the
// fastest runner from Maine) are chosen in the index of the race's entries, and only those rows are
// joined to their readings and read in full: PostgreSQL otherwise guesses that few entries match and
// visits every matching entry's row (45 -> 12 ms for a division winner of a 31,000-runner race). Without
// such a filter, or with a gender alone (half the field), walking the readings' time index finds the
// first rows at once. The oldest or youngest is found in the entries' index whatever the filter.
bool first_rows_from_entries(const Plan& p) {
  const bool by_age = p.measure == Measure::extreme && p.field == Field::age;
  const bool list = p.measure == Measure::top || p.measure == Measure::nth_place || p.measure == Measure::extreme;
  Filters small_part = p.who;
  small_part.gender.reset();
  return list && (small_part.on_entry() || by_age) && reads_only_chip_time(p) && p.grouping == Grouping::none &&
         !ranks_by_gun(p);
}

// ---- the statement shapes ------------------------------------------------------------------------

void aggregate_select(Slots& s, const Plan& p, const Group& g) {
  if (!g.key.empty()) s << g.key << " AS " << g.name << (g.extra.empty() ? "" : ", " + g.extra) << ", ";
  switch (p.measure) {
    case Measure::count: s << "COUNT(*) AS count"; break;
    case Measure::count_distinct: s << fmt::format("COUNT(DISTINCT {}) AS count", column_of(s, p.field)); break;
    case Measure::statistic:
      if (!g.key.empty()) s << "COUNT(*) AS " << (p.population == Population::finishers ? "finishers" : "entries") << ", ";
      s << aggregate(p, column_of(s, p.field)) << " AS " << statistic_name(p);
      break;
    default: break;
  }
}

void share_select(Slots& s, const Plan& p, const Group& g) {
  if (!g.key.empty()) s << g.key << " AS " << g.name << (g.extra.empty() ? "" : ", " + g.extra) << ", ";
  s << "ROUND(100.0 * SUM(CASE WHEN 1 = 1";
  Filters c = p.condition;
  const bool finished = c.status == "finished";
  if (finished) c.status.reset();
  conditions(s, c, p);
  if (finished) s << " AND p.status = 'finished'";
  s << " THEN 1 ELSE 0 END) / NULLIF(COUNT(*), 0), 1) AS percent, COUNT(*) AS of_count";
}

// The columns a grouped statement gives after its group's: the value ranked or listed, and what goes with it.
std::string measure_columns(const Plan& p) {
  switch (p.measure) {
    case Measure::share: return "percent, of_count";
    case Measure::statistic:
      return fmt::format("{}, {}", p.population == Population::finishers ? "finishers" : "entries", statistic_name(p));
    default: return "count";
  }
}

void group_tail(Slots& s, const Plan& p, const Group& g, std::string_view value) {
  if (g.key.empty()) return;
  s << " GROUP BY " << g.key << (g.extra.empty() ? "" : ", " + g.extra);
  if (p.rank_groups) {
    // the first `limit` groups by their value, and any group tied with the last of them: "which state had
    // the most finishers" names both states when two share the most, never one of them at random
    const std::string_view order = p.descending ? "" : " DESC";
    std::string columns = g.name;
    for (std::string_view extra = g.extra; !extra.empty();) {  // "e.event_name, e.event_date": their names
      const auto comma = extra.find(", ");
      const std::string_view column = extra.substr(0, comma);
      columns += fmt::format(", {}", column.substr(column.find('.') + 1));
      extra = comma == std::string_view::npos ? std::string_view{} : extra.substr(comma + 2);
    }
    s.prepend("WITH g AS (");
    s << fmt::format(
        ") SELECT {4}, {5} FROM g WHERE {0} {1} (SELECT {2}({0}) FROM (SELECT {0} FROM g WHERE {0} IS NOT NULL ORDER BY {0}{3} LIMIT ",
        value, p.descending ? "<=" : ">=", p.descending ? "MAX" : "MIN", order, columns, measure_columns(p));
    s.int_slot(p.limit);
    s << fmt::format(") AS t) ORDER BY {}{}, {}", value, order, g.name);
  } else if (p.grouping == Grouping::event) {
    s << " ORDER BY e.event_date, e.event_id";
  } else if (p.measure == Measure::count && p.grouping != Grouping::year && p.combine == Combine::none) {
    s << fmt::format(" ORDER BY count DESC, {}", g.key);
  } else {
    s << " ORDER BY " << g.key;
  }
}

// Finishers of each scoped race counted from its places, not its readings: places are competition ranks
// over exactly the race's finishers (every write path keeps them so), so a race whose last place m is
// shared by k finishers has m - 1 + k. That is the last entries of the placed readings' index read
// backwards: a trend over six 31,000-runner editions reads a few dozen index entries, not 125,000.
bool counts_from_places(const Plan& p) {
  const Joins j = joins_for(p, false);
  const bool shape = p.grouping == Grouping::none || p.grouping == Grouping::year;
  const bool combine = p.combine != Combine::difference || p.compare_years.size() >= 2;
  return p.measure == Measure::count && results_based(p) && !j.entry && !j.race && !j.event && !p.who.on_time() &&
         !p.who.max_place && !p.rank_groups && shape && combine;
}

// FROM a derived table x of (race_id, year, count): the finishers of each scoped race that has any.
void finishers_by_race(Slots& s, const Plan& p) {
  const auto tp = s.tp();
  const auto races = scope_races(p);
  s << " FROM (";
  if (races.empty())  // nothing matches, said in SQL (with the partner, as every statement binds it)
    s << fmt::format("SELECT CAST(NULL AS BIGINT) AS race_id, CAST(NULL AS INTEGER) AS year, 0 AS count "
                     "WHERE CAST({} AS BIGINT) IS NULL", tp);
  for (std::size_t i = 0; i < races.size(); ++i) {
    const std::string id = s.bind_int(races[i].race->race_id);
    const std::string year = s.bind_int(races[i].event->year());
    s << (i ? " UNION ALL " : "")
      << fmt::format(
             "SELECT CAST({1} AS BIGINT) AS race_id, CAST({2} AS INTEGER) AS year, "
             "COALESCE((SELECT r.overall_place + COUNT(*) - 1 FROM ct_results r "
             "WHERE r.timing_partner_id = {0} AND r.is_final AND r.race_id = {1} AND r.overall_place IS NOT NULL "
             "GROUP BY r.overall_place ORDER BY r.overall_place DESC LIMIT 1), 0) AS count",
             tp, id, year);
  }
  s << ") x WHERE x.count > 0";
}

void count_from_places_statement(Slots& s, const Plan& p) {
  if (p.grouping == Grouping::year) {
    s << "SELECT x.year AS year, CAST(SUM(x.count) AS BIGINT) AS count";
    finishers_by_race(s, p);
    s << " GROUP BY x.year ORDER BY x.year";
    return;
  }
  s << "SELECT CAST(COALESCE(SUM(x.count), 0) AS BIGINT) AS count";
  finishers_by_race(s, p);
}

// Counts by edition: counted per race first, then the races summed into their years, so the year is
// worked out once per race rather than once per reading (a trend reads 125,000 of them).
void count_by_year_statement(Slots& s, const Plan& p) {
  const std::string_view race = race_column(s, p);
  const std::string year = year_of_race(s, p, "x.race_id");
  s << "SELECT " << year << " AS year, CAST(SUM(x.count) AS BIGINT) AS count FROM (SELECT " << race
    << " AS race_id, COUNT(*) AS count";
  population(s, p, joins_for(p, false));
  s << " GROUP BY " << race << ") x GROUP BY " << year << " ORDER BY " << year;
}

void aggregate_statement(Slots& s, const Plan& p) {
  if (counts_from_places(p)) {
    count_from_places_statement(s, p);
    return;
  }
  if (p.measure == Measure::count && p.grouping == Grouping::year && !p.rank_groups && p.combine == Combine::none) {
    count_by_year_statement(s, p);
    return;
  }
  const Group g = group_of(s, p);
  const Joins j = joins_for(p, false);
  const auto races = scope_races(p);
  if (p.measure == Measure::statistic && (p.statistic == Statistic::minimum || p.statistic == Statistic::maximum) &&
      (p.field == Field::chip_time || p.field == Field::none) && g.key.empty() && rows_are_readings(s, p) && !j.entry &&
      p.who.empty() && races.size() >= 2) {
    // the fastest or slowest time of several races (the course record over every edition): each race's own,
    // read at one end of its time index, then the best of them; one MIN over all the races reads them all
    const std::string_view agg = p.statistic == Statistic::minimum ? "MIN" : "MAX";
    s << "SELECT " << agg << "(x.v) AS " << statistic_name(p) << " FROM (";
    for (std::size_t i = 0; i < races.size(); ++i) {
      s << (i ? " UNION ALL " : "") << "SELECT (SELECT " << agg << "(r.results_time_ms) FROM ct_results r WHERE r.timing_partner_id = "
        << s.tp() << " AND r.is_final AND r.overall_place IS NOT NULL AND r.race_id = ";
      s.int_slot(races[i].race->race_id);
      s << ") AS v";
    }
    s << ") x";
    return;
  }
  if (p.measure == Measure::count_distinct && g.key.empty()) {
    // the distinct values by a hash table, then counted: COUNT(DISTINCT) sorts the 31,000 values
    s << "SELECT COUNT(x.v) AS count FROM (SELECT DISTINCT " << column_of(s, p.field) << " AS v";
    population(s, p, j);
    s << ") x";
    return;
  }
  s << "SELECT ";
  if (p.measure == Measure::share) share_select(s, p, g); else aggregate_select(s, p, g);
  population(s, p, j);
  group_tail(s, p, g, p.measure == Measure::share ? "percent" : p.measure == Measure::statistic ? statistic_name(p) : "count");
}

// Whether a median of chip times is read at the middle of one race's finishers in time order (see
// analytics::detail::race_medians): the whole field or one gender of it, ungrouped.
bool median_at_offset(const Plan& p) {
  Filters rest = p.who;
  rest.gender.reset();
  return p.population == Population::finishers && (p.field == Field::chip_time || p.field == Field::none) &&
         p.grouping == Grouping::none && p.combine == Combine::none && rest.empty() && scope_races(p).size() == 1;
}

// The median: the middle row (or the mean of the two middle rows). PostgreSQL has it as an ordered-set
// aggregate (one sort, no window: a third faster on a 15,000-runner race); SQLite by row numbers, per group.
void median_statement(Slots& s, const Plan& p) {
  const Group g = group_of(s, p);
  if (median_at_offset(p)) {
    const std::int64_t race = scope_races(p)[0].race->race_id;
    s << "SELECT x.median_time_ms AS " << statistic_name(p) << " FROM (";
    const auto gender = p.who.gender ? std::optional<std::string>(std::string(1, *p.who.gender)) : std::nullopt;
    analytics::detail::race_medians(s, [](Slots& out) { out << out.tp(); }, std::span(&race, 1), gender);
    s << ") x";
    return;
  }
  analytics::detail::Distribution median;
  if (!g.key.empty()) median.keys.push_back(g.name);
  median.percentiles.emplace_back(0.5, statistic_name(p));
  median.digits = p.field == Field::age ? 1 : 0;
  analytics::detail::distribution(s, s.dialect(), median, [&](Slots& out) {
    out << "SELECT " << (g.key.empty() ? "" : g.key + " AS k1, ") << column_of(out, p.field) << " AS v";
    population(out, p, joins_for(p, false));
  });
}

// The value of one compared side: its editions' year, its event, its gender.
struct Side {
  std::string dimension;  // the expression
  std::vector<Value> values;
  std::vector<std::string> labels;
};

Side sides(Slots& s, const Plan& p, std::string_view year = {}) {
  Side side;
  if (p.compare_years.size() >= 2) {
    side.dimension = year.empty() ? year_of_race(s, p) : std::string(year);
    for (int y : p.compare_years) side.values.emplace_back(std::int64_t{y}), side.labels.push_back(std::to_string(y));
  } else if (p.compare_genders.size() >= 2) {
    side.dimension = "p.gender";
    for (char g : p.compare_genders) side.values.emplace_back(std::in_place_type<std::string>, std::string(1, g)), side.labels.emplace_back(1, g);
  } else {
    side.dimension = "e.event_id";
    for (const CatalogEvent* e : p.events) side.values.emplace_back(e->event_id), side.labels.push_back(e->event_name);
  }
  return side;
}

// ---- whole races from their tallies ------------------------------------------------------------------

// The tally dimension a plan reads for its grouping and field, if the tallies hold it. Cities are not
// tallied (they are matched case-blind), nor is any cross of two dimensions (women by state).
std::optional<analytics::detail::TallyDimension> tally_of(Grouping g) {
  using analytics::detail::TallyDimension;
  switch (g) {
    case Grouping::none: return TallyDimension::all;
    case Grouping::gender: return TallyDimension::gender;
    case Grouping::division: return TallyDimension::division;
    case Grouping::age_band: return TallyDimension::age;
    case Grouping::state: return TallyDimension::state;
    case Grouping::team: return TallyDimension::team;
    default: return std::nullopt;
  }
}
std::optional<analytics::detail::TallyDimension> tally_of(Field f) {
  using analytics::detail::TallyDimension;
  switch (f) {
    case Field::state: return TallyDimension::state;
    case Field::team: return TallyDimension::team;
    case Field::country: return TallyDimension::country;
    default: return std::nullopt;
  }
}

// The one tallied dimension a share's condition reads (status reads the all-entries rows), if it names
// exactly one: "what percentage were women", "... did not finish", "... were 40 to 49".
std::optional<analytics::detail::TallyDimension> tally_of(const Filters& c) {
  using analytics::detail::TallyDimension;
  std::optional<TallyDimension> dim;
  int named = 0;
  const auto take = [&](bool set, TallyDimension d) {
    if (set) ++named, dim = d;
  };
  take(c.gender.has_value(), TallyDimension::gender);
  take(c.min_age || c.max_age, TallyDimension::age);
  take(c.division.has_value(), TallyDimension::division);
  take(c.state.has_value(), TallyDimension::state);
  take(c.team.has_value(), TallyDimension::team);
  take(c.country.has_value(), TallyDimension::country);
  take(c.status.has_value(), TallyDimension::all);
  const bool untallied = c.city || c.bib || c.first_name || c.last_name || c.on_time() || c.max_place;
  return named == 1 && !untallied ? dim : std::nullopt;
}

// Men against women: one row per gender, of the genders compared.
bool gender_sides(const Plan& p) { return p.combine == Combine::versus && p.grouping == Grouping::gender && !p.compare_genders.empty(); }

// Whether whole races answer the plan from their tallies (migration 009): a count, a share, a count of
// distinct states, teams or countries, or an average chip time (or age, ungrouped) of a population
// filtered by nothing but its status, by at most one tallied dimension. A few hundred rows a race
// instead of its 31,000 entries; the database keeps them on every write, so they are as current as
// the entries.
bool from_tallies(const Plan& p) {
  Filters who = p.who;
  if (p.population == Population::status) who.status.reset();
  if (!who.empty() || (!gender_sides(p) && (p.combine != Combine::none || !p.compare_genders.empty())) ||
      scope_races(p).empty() || !tally_of(p.grouping))
    return false;
  switch (p.measure) {
    case Measure::count: return p.grouping != Grouping::none;  // the ungrouped count reads places or one index
    case Measure::count_distinct: return p.grouping == Grouping::none && tally_of(p.field).has_value();
    case Measure::share: return p.grouping == Grouping::none && tally_of(p.condition).has_value();
    case Measure::statistic:
      return p.statistic == Statistic::average && p.population == Population::finishers &&
             ((p.field == Field::age && p.grouping == Grouping::none) || p.field == Field::chip_time || p.field == Field::none);
    default: return false;
  }
}

void tallies_statement(Slots& s, const Plan& p) {
  namespace a = analytics::detail;
  using a::TallyDimension;
  const bool finishers = p.population == Population::finishers;
  const std::string_view weight = finishers ? "t.timed" : "t.entries";  // finishers are the finished entries with a time
  const bool distinct = p.measure == Measure::count_distinct;
  const bool age = p.measure == Measure::statistic && p.field == Field::age;
  const bool share = p.measure == Measure::share;
  const TallyDimension dim = distinct ? *tally_of(p.field)
                             : share  ? *tally_of(p.condition)
                             : age    ? TallyDimension::age
                                      : *tally_of(p.grouping);
  Group g;
  switch (p.grouping) {
    case Grouping::age_band: g = {fmt::format("({} / 10) * 10", a::tally_age_sql()), "age_band", ""}; break;
    case Grouping::none: break;
    default: g = {"t.value", std::string(to_string(p.grouping)), ""};
  }
  s << "SELECT ";
  if (!g.key.empty()) s << g.key << " AS " << g.name << ", ";
  const bool pg = s.dialect() == Dialect::postgresql;
  const auto ratio = [&](std::string_view sum, std::string_view count) {
    return pg ? fmt::format("CAST(SUM({}) AS NUMERIC) / SUM({})", sum, count) : fmt::format("1.0 * SUM({}) / SUM({})", sum, count);
  };
  if (distinct) {
    s << "COUNT(DISTINCT t.value) AS count";
  } else if (share) {
    const Filters& c = p.condition;
    s << "ROUND(100.0 * SUM(CASE WHEN ";
    if (c.status) (s << "t.status = ").text_slot(*c.status);
    else if (c.gender) (s << "t.value = ").text_slot(std::string(1, *c.gender));
    else if (c.min_age || c.max_age) {
      s << "1 = 1";
      if (c.min_age) (s << " AND " << a::tally_age_sql() << " >= ").int_slot(*c.min_age);
      if (c.max_age) (s << " AND " << a::tally_age_sql() << " <= ").int_slot(*c.max_age);
    } else {
      (s << "t.value = ").text_slot(*(c.division ? c.division : c.state ? c.state : c.team ? c.team : c.country));
    }
    s << fmt::format(" THEN {0} ELSE 0 END) / NULLIF(SUM({0}), 0), 1) AS percent, CAST(SUM({0}) AS BIGINT) AS of_count", weight);
  } else if (p.measure == Measure::count) {
    s << fmt::format("CAST(SUM({}) AS BIGINT) AS count", weight);
  } else if (age) {  // AVG(p.age): entries without an age do not count
    const std::string aged = fmt::format("CASE WHEN t.value <> '' THEN {} END", weight);
    s << fmt::format("ROUND({}, 1) AS {}", ratio(fmt::format("{} * {}", a::tally_age_sql(), weight), aged), statistic_name(p));
  } else {
    if (!g.key.empty()) s << fmt::format("CAST(SUM({}) AS BIGINT) AS finishers, ", weight);
    s << fmt::format("CAST(ROUND({}) AS BIGINT) AS {}", ratio("t.time_sum_ms", weight), statistic_name(p));
  }
  s << " FROM race_tallies t WHERE t.timing_partner_id = " << s.tp() << " AND t.race_id IN (";
  const auto races = scope_races(p);
  for (std::size_t i = 0; i < races.size(); ++i) (i ? s << ", " : s).int_slot(races[i].race->race_id);
  s << fmt::format(") AND t.dimension = {}", a::tally_number(dim));
  switch (p.population) {
    case Population::finishers: s << " AND t.status = 'finished' AND t.timed > 0"; break;
    case Population::starters: s << " AND t.status IN ('finished', 'dnf', 'dq')"; break;
    case Population::status: (s << " AND t.status = ").text_slot(*p.who.status); break;
    case Population::entries: break;
  }
  // as population(): entries of no team (state, division) form no group, and count as no value
  if (distinct || (!share && dim != TallyDimension::all && dim != TallyDimension::gender && dim != TallyDimension::age))
    s << " AND t.value <> ''";
  if (gender_sides(p)) {
    s << " AND t.value IN (";
    for (std::size_t i = 0; i < p.compare_genders.size(); ++i) (i ? s << ", " : s).text_slot(std::string(1, p.compare_genders[i]));
    s << ")";
  }
  group_tail(s, p, g, p.measure == Measure::statistic ? statistic_name(p) : "count");
}

// A minus B, by conditional aggregation over the population of both sides.
void difference_statement(Slots& s, const Plan& p) {
  const bool from_places = counts_from_places(p);
  Side side = sides(s, p, from_places ? "x.year" : "");
  const std::string value = p.measure == Measure::count ? "1" : std::string(column_of(s, p.field));
  auto part = [&](std::size_t i) {
    Slots& out = s;
    if (p.measure == Measure::count) {
      out << (from_places ? "CAST(SUM(CASE WHEN " : "SUM(CASE WHEN ") << side.dimension << " = ";
      out.slot(side.values[i]);
      out << (from_places ? " THEN x.count ELSE 0 END) AS BIGINT)" : " THEN 1 ELSE 0 END)");
    } else {
      // aggregate(CASE WHEN d = $n THEN x END): the aggregate's text around a mark
      const std::string head = aggregate(p, "\x01");
      const auto cut = head.find('\x01');
      out << head.substr(0, cut) << "CASE WHEN " << side.dimension << " = ";
      out.slot(side.values[i]);
      out << " THEN " << value << " END" << head.substr(cut + 1);
    }
  };
  const bool time = p.measure == Measure::statistic && p.field != Field::age;
  s << "SELECT ";
  part(0);
  s << " - ";
  part(1);
  s << (time ? " AS difference_time_ms, " : " AS difference, ");
  part(0);
  s << (time ? " AS a_time_ms, " : " AS a_count, ");
  part(1);
  s << (time ? " AS b_time_ms" : " AS b_count");
  if (from_places) {
    finishers_by_race(s, p);
    return;
  }
  Joins j = joins_for(p, false);
  j.event = j.event || side.dimension == "e.event_id";
  j.entry = j.entry || side.dimension == "p.gender";
  population(s, p, j);
}

// Rows of people: the first N by rank, the n-th, the oldest, one per group (window ranks).
void rows_statement(Slots& s, const Plan& p) {
  const std::string_view rank = rank_column(s, p);
  const Group g = group_of(s, p);
  const bool grouped = !g.key.empty() || p.measure == Measure::division_winners;
  std::string order;
  switch (p.measure) {
    case Measure::extreme:
      order = p.field == Field::age ? fmt::format("p.age{}, {}", p.statistic == Statistic::maximum ? " DESC" : "", rank)
                                    : fmt::format("{} DESC", rank);
      break;
    case Measure::top: order = fmt::format("{}{}", rank, p.descending ? " DESC" : ""); break;
    default: order = std::string(rank);
  }
  auto limit = [&] {
    s.int_slot(p.measure == Measure::top ? p.limit : 1);
    if (p.measure == Measure::nth_place && p.nth > 1) (s << " OFFSET ").int_slot(p.nth - 1);
  };
  if (!grouped && s.entry_times()) {
    const auto tp = s.tp();
    s << "SELECT " << kResultColumns << " FROM (SELECT p.participant_id";
    population(s, p, Joins{});
    s << " ORDER BY " << order << ", p.participant_id LIMIT ";
    limit();
    s << fmt::format(
        ") x JOIN ct_participants p ON p.participant_id = x.participant_id AND p.timing_partner_id = {0}"
        " JOIN ct_results r ON r.participant_id = p.participant_id AND r.timing_partner_id = {0} AND r.is_final"
        " JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = {0}"
        " JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = {0} ORDER BY {1}, p.participant_id",
        tp, order);
    return;
  }
  if (!grouped) {
    s << "SELECT " << kResultColumns;
    population(s, p, joins_for(p, true));
    // the tie-break runs the same way as the time, so the slowest are read backwards off the time index
    const bool backwards = (p.measure == Measure::extreme && p.field != Field::age) || (p.measure == Measure::top && p.descending);
    s << " ORDER BY " << order << (backwards ? ", r.result_id DESC LIMIT " : ", r.result_id LIMIT ");
    limit();
    return;
  }
  const std::string key = p.measure == Measure::division_winners ? "p.division" : g.key;
  s << "SELECT " << kResultOutput << " FROM (SELECT " << kResultColumns << ", " << key << " AS k, RANK() OVER (PARTITION BY "
    << key << " ORDER BY " << order << ") AS rank_in_group";
  population(s, p, joins_for(p, true));
  s << ") x WHERE x.rank_in_group ";
  if (p.measure == Measure::top) (s << "<= ").int_slot(p.limit);
  else (s << "= ").int_slot(p.measure == Measure::nth_place ? p.nth : 1);
  s << " ORDER BY x.k, x.rank_in_group";
}

void person_statement(Slots& s, const Plan& p) {
  const auto tp = s.tp();
  s << "SELECT " << kResultColumns
    << fmt::format(
           " FROM ct_participants p JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = {0}"
           " JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = {0}"
           " LEFT JOIN ct_results r ON r.participant_id = p.participant_id AND r.timing_partner_id = {0} AND r.is_final"
           " WHERE p.timing_partner_id = {0}",
           tp);
  if (p.race) (s << " AND p.race_id = ").int_slot(p.race->race_id);
  else (s << " AND p.event_id = ").int_slot(p.event->event_id);
  if (p.who.bib) (s << " AND p.bib = ").text_slot(*p.who.bib);
  if (p.who.first_name) (s << " AND lower(p.first_name) = lower(").text_slot(*p.who.first_name) << ")";
  if (p.who.last_name) (s << " AND lower(p.last_name) = lower(").text_slot(*p.who.last_name) << ")";
  s << " ORDER BY r.results_time_ms, p.participant_id LIMIT 20";
}

void dates(Slots& s, const Plan& p, std::string_view column) {
  if (p.date_from) (s << fmt::format(" AND {} >= ", column)).text_slot(*p.date_from);
  if (p.date_to) (s << fmt::format(" AND {} <= ", column)).text_slot(*p.date_to);
  if (!p.date_from && p.year) {
    (s << fmt::format(" AND {} >= ", column)).text_slot(fmt::format("{}-01-01", *p.year));
    (s << fmt::format(" AND {} <= ", column)).text_slot(fmt::format("{}-12-31", *p.year));
  }
  if (p.month) (s << fmt::format(" AND {} = ", s.month_of(column))).int_slot(*p.month);
}

void events_statement(Slots& s, const Plan& p) {
  s << "SELECT e.event_id, e.event_name, e.event_date, e.city, e.state, e.status FROM ct_events e WHERE "
       "e.timing_partner_id = "
    << s.tp();
  // "when was the Jersey Shore Marathon", "where was it held in 2024": that event's editions
  if (!p.event_name.empty()) (s << " AND e.event_name = ").text_slot(p.event_name);
  if (p.compare_years.size() >= 2) {  // each year named, or each of a span
    s << " AND (";
    for (std::size_t i = 0; i < p.compare_years.size(); ++i) {
      (s << (i ? " OR (e.event_date >= " : "(e.event_date >= ")).text_slot(fmt::format("{}-01-01", p.compare_years[i]));
      (s << " AND e.event_date <= ").text_slot(fmt::format("{}-12-31", p.compare_years[i]));
      s << ")";
    }
    s << ")";
  } else {
    dates(s, p, "e.event_date");
  }
  if (p.event_state) (s << " AND e.state = ").text_slot(*p.event_state);
  if (p.who.status) (s << " AND e.status = ").text_slot(*p.who.status);
  s << " ORDER BY e.event_date, e.event_id LIMIT 1000";
}

void bq_statement(Slots& s, const Plan& p, const sport::QualifyingTable& boston) {
  s << "SELECT COUNT(*) AS count";
  population(s, p, joins_for(p, false));
  s << fmt::format(" AND ra.distance_m = {} AND {} <= {}", analytics::detail::kMarathonMetres, s.chip_time(),
                   analytics::detail::boston_standard_sql(boston, "p.gender", "p.age"));
}

}  // namespace

const CatalogRace* main_race(const CatalogEvent& e) {
  const CatalogRace* longest = nullptr;
  for (const auto& race : e.races)
    if (!longest || race.distance_m > longest->distance_m) longest = &race;
  // the distance the event's own name names: "... Marathon", "... Half", "... 15K", "... 10 Mile"
  std::int64_t named = 0;
  const auto words = tokenize(e.event_name);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i].text;
    if (w == "half") named = 21098;
    else if (w == "marathon" && named == 0) named = 42195;
    else if (w.size() >= 2 && w.back() == 'k' && std::isdigit(static_cast<unsigned char>(w[0])))
      named = static_cast<std::int64_t>(std::atof(w.c_str()) * 1000);
    else if ((w == "mile" || w == "miler") && i > 0 && words[i - 1].is_number())
      named = static_cast<std::int64_t>(std::atof(words[i - 1].text.c_str()) * 1609.344);
  }
  if (named)
    for (const auto& race : e.races)
      if (std::llabs(race.distance_m - named) * 100 <= named * 3) return &race;
  return longest;
}

std::vector<const CatalogEvent*> scope_events(const Plan& p) {
  if (!p.events.empty()) return p.events;  // several named events, or every event of a period
  if (p.compare_years.size() >= 2) {
    std::vector<const CatalogEvent*> out;
    for (const CatalogEvent* e : p.editions)
      if (std::find(p.compare_years.begin(), p.compare_years.end(), e->year()) != p.compare_years.end()) out.push_back(e);
    return out;
  }
  if (p.grouping == Grouping::year && !p.editions.empty()) return p.editions;
  if (p.event) return {p.event};
  return {};
}

std::vector<ScopedRace> scope_races(const Plan& p) {
  std::vector<ScopedRace> out;
  const bool main = reads_main_race(p);
  for (const CatalogEvent* e : scope_events(p)) {
    if (p.race && e == p.event) {
      out.push_back({e, p.race});
      continue;
    }
    if (p.race_distance_m) {
      for (const auto& race : e->races)
        if (same_distance(race.distance_m, p.race_distance_m)) out.push_back({e, &race});
      continue;
    }
    if (main) {
      if (const CatalogRace* race = main_race(*e)) out.push_back({e, race});
      continue;
    }
    for (const auto& race : e->races) out.push_back({e, &race});
  }
  return out;
}

RenderedQuery render(const Plan& plan, Dialect dialect, std::int64_t partner_id, const sport::QualifyingTable& boston) {
  Slots s(dialect, partner_id);
  std::string shape(to_string(plan.measure));
  switch (plan.measure) {
    case Measure::events: events_statement(s, plan); break;
    case Measure::person: person_statement(s, plan); break;
    case Measure::nth_place:
    case Measure::extreme:
    case Measure::top:
    case Measure::division_winners:
      if (first_rows_from_entries(plan)) s.read_times_from_entries();
      rows_statement(s, plan);
      break;
    case Measure::bq_count:
      if (times_from_entries(plan)) s.read_times_from_entries();
      bq_statement(s, plan, boston);
      break;
    default:
      if (times_from_entries(plan)) s.read_times_from_entries();
      if (from_tallies(plan)) {
        tallies_statement(s, plan);
      } else if (plan.combine == Combine::difference) {
        shape = "difference_of_" + shape;
        difference_statement(s, plan);
      } else if (plan.measure == Measure::statistic && plan.statistic == Statistic::median) {
        median_statement(s, plan);
      } else {
        aggregate_statement(s, plan);
      }
  }
  if (plan.grouping != Grouping::none) shape += fmt::format("_by_{}", to_string(plan.grouping));
  return {s.take(), shape};
}

}  // namespace racetiming::nl
