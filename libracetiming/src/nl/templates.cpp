// SQL templates: one per intent, each a fixed text with typed slots the Plan fills. Values are always
// bound (slots become placeholders); the partner binds first and every tenant table is scoped to it.
// Texts differ by dialect only where SQLite and PostgreSQL spell a date part differently.
#include "nl/templates.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/sport/qualifying.hpp"
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
  // A typed slot: its value bound, its placeholder written.
  Slots& slot(Value v) {
    params_.push_back(std::move(v));
    text_ += d_ == Dialect::postgresql ? fmt::format("${}", params_.size()) : fmt::format("?{}", params_.size());
    return *this;
  }
  Slots& text_slot(const std::string& v) { return slot(Value(std::in_place_type<std::string>, v)); }
  Slots& int_slot(std::int64_t v) { return slot(Value(std::in_place_type<std::int64_t>, v)); }

  // The year of an event's date as an integer expression, in the dialect's spelling.
  std::string year_of(std::string_view column) const {
    return d_ == Dialect::postgresql ? fmt::format("CAST(EXTRACT(YEAR FROM {}) AS INTEGER)", column)
                                     : fmt::format("CAST(substr({}, 1, 4) AS INTEGER)", column);
  }
  std::string month_of(std::string_view column) const {
    return d_ == Dialect::postgresql ? fmt::format("CAST(EXTRACT(MONTH FROM {}) AS INTEGER)", column)
                                     : fmt::format("CAST(substr({}, 6, 2) AS INTEGER)", column);
  }

  // planned for its values each time (see Sql::reuse_plan): a race of 50 and one of 20,000 want different plans
  Sql take() { return Sql{std::move(text_), std::move(params_), false}; }

 private:
  Dialect d_;
  std::string text_;
  std::vector<Value> params_;
};

// ---- the shared pieces ------------------------------------------------------------------------------

// Final readings of finishers, joined to their entry and, when the columns are wanted, to their race
// and event; all scoped to the partner. Fewer joins leave the planner one good path: the
// (partner, race, time) index of ct_results, then each entry by its key.
struct Joins {
  bool race = false, event = false, entry = true;
};

// Without the entry, a finisher is a final reading that holds a place: every write path keeps places
// for exactly the finished entries with a time (imports, API writes, recompute_race), so counting them
// needs no join at all.
void finishers_from(Slots& s, Joins joins = {}) {
  const auto tp = s.tp();
  s << " FROM ct_results r";
  if (joins.entry)
    s << fmt::format(" JOIN ct_participants p ON p.participant_id = r.participant_id AND p.timing_partner_id = {0}", tp);
  if (joins.race) s << fmt::format(" JOIN ct_races ra ON ra.race_id = r.race_id AND ra.timing_partner_id = {0}", tp);
  if (joins.event) s << fmt::format(" JOIN ct_events e ON e.event_id = r.event_id AND e.timing_partner_id = {0}", tp);
  s << fmt::format(" WHERE r.timing_partner_id = {0} AND r.is_final AND r.results_time_ms IS NOT NULL", tp);
  s << (joins.entry ? " AND p.status = 'finished'" : " AND r.overall_place IS NOT NULL");
}

// Whether the question filters on the entries themselves (gender, age, division, home).
bool filters_entries(const Plan& p) {
  return p.gender || p.min_age || p.max_age || p.division || p.state || p.city;
}

constexpr Joins kAll{true, true, true};

// Entries (any status), joined to race and event.
void entries_from(Slots& s) {
  const auto tp = s.tp();
  s << fmt::format(
      " FROM ct_participants p JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = {0}"
      " JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = {0}"
      " WHERE p.timing_partner_id = {0}",
      tp);
}

enum class Scope { all_races, main_race };

// The edition and race: a named race; else the main race (rankings, times) or every race of the edition
// (counts). Results are scoped by race ids (their index leads with the race), entries by the event.
void scope(Slots& s, const Plan& p, Scope how, std::string_view alias, bool entries_too = true) {
  const CatalogRace* race = p.race ? p.race : (how == Scope::main_race && p.event ? main_race(*p.event) : nullptr);
  // with results, the entry's own race or event is said too: the planner then reads the race's entries
  // through their index instead of hashing all of the partner's
  if (race) {
    s << fmt::format(" AND {}.race_id = ", alias);
    s.int_slot(race->race_id);
    if (alias == "r" && entries_too) (s << " AND p.race_id = ").int_slot(race->race_id);
  } else if (p.event && alias == "r" && !p.event->races.empty()) {
    s << " AND r.race_id IN (";
    for (std::size_t i = 0; i < p.event->races.size(); ++i) {
      if (i) s << ", ";
      s.int_slot(p.event->races[i].race_id);
    }
    s << ")";
    if (entries_too) (s << " AND p.event_id = ").int_slot(p.event->event_id);
  } else if (p.event) {
    s << fmt::format(" AND {}.event_id = ", alias);
    s.int_slot(p.event->event_id);
  }
}

// Who: gender, age, division, home.
void people(Slots& s, const Plan& p) {
  if (p.gender) (s << " AND p.gender = ").text_slot(std::string(1, *p.gender));
  if (p.min_age) (s << " AND p.age >= ").int_slot(*p.min_age);
  if (p.max_age) (s << " AND p.age <= ").int_slot(*p.max_age);
  if (p.division) (s << " AND p.division = ").text_slot(*p.division);
  if (p.state) (s << " AND p.state = ").text_slot(*p.state);
  if (p.city) (s << " AND lower(p.city) = lower(").text_slot(*p.city) << ")";
}

void times(Slots& s, const Plan& p) {
  if (p.min_time_ms) (s << (p.time_inclusive ? " AND r.results_time_ms >= " : " AND r.results_time_ms > ")).int_slot(*p.min_time_ms);
  if (p.max_time_ms) (s << (p.time_inclusive ? " AND r.results_time_ms <= " : " AND r.results_time_ms < ")).int_slot(*p.max_time_ms);
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

constexpr std::string_view kResultColumns =
    "SELECT r.overall_place, r.gender_place, r.division_place, p.bib, p.first_name, p.last_name, p.gender, p.age, "
    "p.division, p.city, p.state, p.status, r.results_time_ms, r.gun_time_ms, r.pace_ms_per_km, e.event_name, "
    "e.event_date, ra.race_name";

// ---- one template per intent ----------------------------------------------------------------------

void count_finishers(Slots& s, const Plan& p) {
  s << "SELECT COUNT(*) AS count";
  const bool entries = filters_entries(p);
  finishers_from(s, {false, false, entries});
  scope(s, p, Scope::all_races, "r", entries);
  people(s, p);
  times(s, p);
}

void count_entries(Slots& s, const Plan& p) {
  s << "SELECT COUNT(*) AS count";
  entries_from(s);
  scope(s, p, Scope::all_races, "p");
  people(s, p);
  if (p.intent == Intent::count_status) (s << " AND p.status = ").text_slot(*p.status);
  else if (p.population == Population::starters) s << " AND p.status IN ('finished', 'dnf', 'dq')";
}

void ranked_rows(Slots& s, const Plan& p) {
  s << kResultColumns;
  finishers_from(s, kAll);
  // a top N walks the results index in time order and stops: no entries' scope to tempt a hash join
  scope(s, p, Scope::main_race, "r", p.intent == Intent::division_winners);
  people(s, p);
  times(s, p);
  if (p.intent == Intent::division_winners) {
    s << " AND r.division_place = 1 ORDER BY p.division, r.results_time_ms, r.result_id";
    return;
  }
  // chip-placed races rank in the order of the results index, so a top N reads N rows, not the race
  const CatalogRace* race = p.race ? p.race : (p.event ? main_race(*p.event) : nullptr);
  const std::string_view order = race && !race->gun_placed ? "r.results_time_ms" : "r.overall_place";
  s << fmt::format(" ORDER BY {0}{1}, r.result_id{1} LIMIT ", order, p.descending ? " DESC" : "");
  s.int_slot(p.limit);
}

// A statistic of a column over finishers: average, median (the middle row, or the mean of the two
// middle rows), fastest or slowest.
void statistic(Slots& s, const Plan& p, std::string_view column, std::string_view name) {
  const bool entries = filters_entries(p);
  auto where = [&] {
    finishers_from(s, {false, false, entries});
    scope(s, p, Scope::main_race, "r", entries);
    people(s, p);
    times(s, p);
  };
  switch (p.statistic) {
    case Statistic::average: s << fmt::format("SELECT CAST(ROUND(AVG({})) AS BIGINT) AS {}", column, name); break;
    case Statistic::fastest: s << fmt::format("SELECT MIN({}) AS {}", column, name); break;
    case Statistic::slowest: s << fmt::format("SELECT MAX({}) AS {}", column, name); break;
    case Statistic::median:
      s << fmt::format("SELECT CAST(ROUND(AVG(x.v)) AS BIGINT) AS {} FROM (SELECT {} AS v, "
                       "ROW_NUMBER() OVER (ORDER BY {}) AS rn, COUNT(*) OVER () AS n",
                       name, column, column);
      where();
      s << ") x WHERE x.rn IN ((x.n + 1) / 2, (x.n + 2) / 2)";
      return;
  }
  where();
}

void time_stat(Slots& s, const Plan& p) {
  static constexpr std::string_view kNames[] = {"avg_time_ms", "median_time_ms", "fastest_time_ms", "slowest_time_ms"};
  statistic(s, p, "r.results_time_ms", kNames[static_cast<int>(p.statistic)]);
}

void pace_stat(Slots& s, const Plan& p) { statistic(s, p, "r.pace_ms_per_km", "pace_ms_per_km"); }

void participant_result(Slots& s, const Plan& p) {
  s << kResultColumns;
  const auto tp = s.tp();
  s << fmt::format(
      " FROM ct_participants p JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = {0}"
      " JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = {0}"
      " LEFT JOIN ct_results r ON r.participant_id = p.participant_id AND r.timing_partner_id = {0} AND r.is_final"
      " WHERE p.timing_partner_id = {0}",
      tp);
  scope(s, p, Scope::all_races, "p");
  if (p.bib) (s << " AND p.bib = ").text_slot(*p.bib);
  if (p.first_name) (s << " AND lower(p.first_name) = lower(").text_slot(*p.first_name) << ")";
  if (p.last_name) (s << " AND lower(p.last_name) = lower(").text_slot(*p.last_name) << ")";
  s << " ORDER BY r.results_time_ms, p.participant_id LIMIT 20";
}

void breakdown(Slots& s, const Plan& p) {
  const std::string_view column = p.grouping == Grouping::gender     ? "p.gender"
                                  : p.grouping == Grouping::division ? "p.division"
                                                                     : "p.state";
  const std::string_view name = column.substr(2);
  s << fmt::format("SELECT {} AS {}, COUNT(*) AS count", column, name);
  finishers_from(s);
  scope(s, p, Scope::all_races, "r");
  people(s, p);
  times(s, p);
  s << fmt::format(" GROUP BY {} ORDER BY count DESC, {}", column, name);
}

// Every edition of the event's name; one race distance when the question named one.
// By their races' ids, from the catalog: the results index leads with the race, so each edition's race
// is read in its own range instead of the partner's results being joined to events by name.
void editions(Slots& s, const Plan& p) {
  std::vector<std::int64_t> races;
  for (const CatalogEvent* e : p.editions)
    for (const auto& race : e->races)
      if (!p.race_distance_m || std::llabs(race.distance_m - p.race_distance_m) * 100 <= p.race_distance_m * 3)
        races.push_back(race.race_id);
  if (races.empty()) {  // no such race in any edition: nothing matches, said in SQL
    (s << " AND e.event_name = ").text_slot(p.event_name);
    s << " AND r.race_id IS NULL";
    return;
  }
  s << " AND r.race_id IN (";
  for (std::size_t i = 0; i < races.size(); ++i) {
    if (i) s << ", ";
    s.int_slot(races[i]);
  }
  s << ")";
}

void trend(Slots& s, const Plan& p) {
  const std::string year = s.year_of("e.event_date");
  s << fmt::format("SELECT {} AS year, COUNT(*) AS count", year);
  finishers_from(s, {false, true, filters_entries(p)});
  editions(s, p);
  people(s, p);
  times(s, p);
  s << fmt::format(" GROUP BY {} ORDER BY year", year);
}

void compare(Slots& s, const Plan& p) {
  const std::string year = s.year_of("e.event_date");
  s << fmt::format("SELECT {} AS year, CAST(ROUND(AVG(r.results_time_ms)) AS BIGINT) AS avg_time_ms, COUNT(*) AS finishers",
                   year);
  finishers_from(s, {false, true, filters_entries(p)});
  Plan main = p;
  if (!main.race_distance_m && p.event) {
    if (const CatalogRace* race = main_race(*p.event)) main.race_distance_m = race->distance_m;
  }
  editions(s, main);
  people(s, p);
  s << fmt::format(" AND {} IN (", year);
  for (std::size_t i = 0; i < p.compare_years.size(); ++i) {
    if (i) s << ", ";
    s.int_slot(p.compare_years[i]);
  }
  s << fmt::format(") GROUP BY {} ORDER BY year DESC", year);
}

void list_events(Slots& s, const Plan& p) {
  s << "SELECT e.event_id, e.event_name, e.event_date, e.city, e.state, e.status FROM ct_events e WHERE "
       "e.timing_partner_id = "
    << s.tp();
  dates(s, p, "e.event_date");
  if (p.status) (s << " AND e.status = ").text_slot(*p.status);
  s << " ORDER BY e.event_date, e.event_id LIMIT 1000";
}

void ranking_events(Slots& s, const Plan& p) {
  s << "SELECT e.event_name, e.event_date, COUNT(*) AS count";
  if (p.population == Population::entries) entries_from(s); else finishers_from(s, {false, true, false});
  dates(s, p, "e.event_date");
  s << " GROUP BY e.event_id, e.event_name, e.event_date ORDER BY count" << (p.fewest ? "" : " DESC")
    << ", e.event_date DESC LIMIT ";
  s.int_slot(p.limit);
}

void percent(Slots& s, const Plan& p) {
  s << "SELECT ROUND(100.0 * SUM(CASE WHEN p.status = 'finished' THEN 1 ELSE 0 END) / NULLIF(COUNT(*), 0), 1) AS percent";
  entries_from(s);
  scope(s, p, Scope::all_races, "p");
  people(s, p);
  if (p.population != Population::entries) s << " AND p.status IN ('finished', 'dnf', 'dq')";
}

void bq_qualifiers(Slots& s, const Plan& p) {
  s << "SELECT COUNT(*) AS count";
  finishers_from(s, {true, false, true});
  scope(s, p, Scope::all_races, "r");
  people(s, p);
  s << " AND ra.distance_m = 42195 AND r.results_time_ms <= CASE";
  for (const auto& standard : sport::boston_standards()) {
    (s << " WHEN p.gender = ").text_slot(std::string(1, standard.gender));
    (s << " AND p.age BETWEEN ").int_slot(standard.age_min);
    (s << " AND ").int_slot(standard.age_max);
    (s << " THEN ").int_slot(standard.standard_ms);
  }
  s << " END";
}

struct Template {
  Intent intent;
  std::string_view name;
  void (*render)(Slots&, const Plan&);
};

constexpr Template kTemplates[] = {
    {Intent::count_finishers, "count_finishers", count_finishers},
    {Intent::count_participants, "count_entries", count_entries},
    {Intent::count_status, "count_entries_by_status", count_entries},
    {Intent::top_finishers, "ranked_results", ranked_rows},
    {Intent::winner, "ranked_results", ranked_rows},
    {Intent::division_winners, "division_winners", ranked_rows},
    {Intent::time_stat, "time_statistic", time_stat},
    {Intent::pace_stat, "pace_statistic", pace_stat},
    {Intent::participant_result, "participant_result", participant_result},
    {Intent::breakdown, "finishers_by_group", breakdown},
    {Intent::trend, "finishers_by_year", trend},
    {Intent::compare, "average_time_by_year", compare},
    {Intent::list_events, "events", list_events},
    {Intent::ranking_events, "events_by_finishers", ranking_events},
    {Intent::percent, "finish_percentage", percent},
    {Intent::bq_qualifiers, "boston_qualifiers", bq_qualifiers},
};

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

RenderedQuery render(const Plan& plan, Dialect dialect, std::int64_t partner_id) {
  for (const Template& t : kTemplates) {
    if (t.intent != plan.intent) continue;
    Slots s(dialect, partner_id);
    t.render(s, plan);
    return {s.take(), std::string(t.name)};
  }
  throw Error(ErrorCode::internal, fmt::format("no template for intent {}", to_string(plan.intent)));
}

}  // namespace racetiming::nl
