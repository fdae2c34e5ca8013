#pragma once
// What the question parser produces: a compositional Plan, read against the partner's own catalog of
// events and races. A question is a measure (what to compute) over a population (whose entries), with
// an optional grouping, comparison and order/limit; rendering it to SQL is render.cpp's. Plans are values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racetiming::nl {

// The label an answer carries: the kind of question, derived from the plan (see intent_of).
enum class Intent {
  count_finishers,
  count_participants,
  count_status,
  count_distinct,
  top_finishers,
  winner,
  nth_place,
  extreme_person,
  division_winners,
  time_stat,
  pace_stat,
  stat_age,
  time_stat_by,
  participant_result,
  breakdown,
  trend,
  compare,
  list_events,
  ranking_events,
  percent,
  share,
  bq_qualifiers,
  llm_query,  // not the parser's: SQL a language model wrote, when the fallback is on
};

std::string_view to_string(Intent i) noexcept;

// The partner's events and races, as the parser reads names against them. Loaded per partner (see
// NlEngine) or built by hand in tests and benchmarks.
struct CatalogRace {
  std::int64_t race_id = 0;
  std::string race_name;
  std::int64_t distance_m = 0;
  bool gun_placed = false;  // places by gun time
};
struct CatalogEvent {
  std::int64_t event_id = 0;
  std::string event_name;
  std::string event_date;  // YYYY-MM-DD
  std::string status;
  std::vector<CatalogRace> races;
  std::string city = {}, state = {};  // where the event was held
  int year() const;
};
// A name a partner's users call one of its events by ("NYC" for "New York City Marathon").
struct EventAlias {
  std::string alias;
  std::string event_name;
};
struct Catalog {
  std::vector<CatalogEvent> events;  // any order
  std::vector<EventAlias> aliases = {};
  std::vector<std::string> teams = {};  // the team names its entries carry
};

// What carries over from one question to its follow-up ("and for women?"): the conversation's earlier
// questions, oldest first, as the answer's `context` returned them. A follow-up is read as its previous
// question with the new words changing what they name. Opaque to callers: they send back what they got.
struct FollowUp {
  std::vector<std::string> questions;
};
inline constexpr std::size_t kMaxFollowUps = 8;  // questions kept in a context

// What the caller knows besides the words.
struct AskContext {
  std::string today;                           // YYYY-MM-DD ("last year" is the year before); empty: now
  std::optional<std::string> event_name = {};  // an event the conversation is about
  std::optional<int> year = {};
  std::optional<FollowUp> previous = {};       // the question this one follows up
};

// Whose entries a population holds, by status.
enum class Population {
  finishers,  // status finished with a final time
  starters,   // finished, dnf, dq (not dns)
  entries,    // every entry
  status,     // one status: Filters::status
};

// The filters of a population (or of a share's condition). Unset: no filter.
struct Filters {
  std::optional<char> gender;
  std::optional<int> min_age, max_age;  // inclusive
  std::optional<std::string> division, state, city, team, country;
  std::optional<std::int64_t> min_time_ms, max_time_ms;  // strict bounds unless time_inclusive
  bool time_inclusive = false;
  // a pace bound ("under 8 minutes per mile"), in ms per km; strict unless time_inclusive. pace_per_mile:
  // said per mile, and shown so
  std::optional<std::int64_t> min_pace_ms, max_pace_ms;
  bool pace_per_mile = false;
  std::optional<int> max_place;         // "the top 50": ranked at most N in the race
  std::optional<std::string> status;    // dnf, dns, dq (Population::status), finished (a share's condition)
  std::optional<std::string> bib, first_name, last_name;
  bool on_entry() const { return gender || min_age || max_age || division || state || city || team || country || bib || first_name; }
  bool on_time() const { return min_time_ms || max_time_ms || min_pace_ms || max_pace_ms; }
  bool empty() const { return !on_entry() && !on_time() && !max_place && !status; }
};

// What is computed.
enum class Measure {
  count,           // how many entries of the population
  count_distinct,  // how many different `field` values (teams, states, cities, countries, events)
  share,           // the percent of the population that meets `condition`
  statistic,       // `statistic` of `field` (chip time, pace, age)
  nth_place,       // the person ranked `nth` (1: the winner)
  extreme,         // the oldest / youngest person (`field` age, `statistic` max / min)
  top,             // the first `limit` people by rank (slowest first when descending)
  division_winners,
  person,          // one runner's result, by bib or name
  events,          // the events themselves
  bq_count,        // finishers at or under their Boston-qualifying standard
};
enum class Field { none, chip_time, gun_time, pace, age, team, state, city, country, event };
enum class Statistic { average, median, minimum, maximum };
enum class Grouping { none, gender, division, age_band, state, city, team, year, event, race };
// How several editions, events or genders combine: one row each (versus), A minus B (difference), or
// one population of them all (sum).
enum class Combine { none, versus, difference, sum };

std::string_view to_string(Measure m) noexcept;
std::string_view to_string(Field f) noexcept;
std::string_view to_string(Statistic s) noexcept;
std::string_view to_string(Grouping g) noexcept;
std::string_view to_string(Population p) noexcept;

struct Plan {
  Intent intent = Intent::count_finishers;  // derived label (intent_of), set by the parser
  double confidence = 0;

  // ---- measure
  Measure measure = Measure::count;
  Field field = Field::none;
  Statistic statistic = Statistic::average;
  int nth = 1;        // nth_place
  int limit = 10;     // top, events
  bool descending = false;  // top: slowest first; events: fewest first when ranking
  Filters condition;  // share: who counts in the numerator

  // ---- population
  Population population = Population::finishers;
  Filters who;

  // ---- scope: one edition (event), several editions (editions + years), or every event of a period
  const CatalogEvent* event = nullptr;
  std::string event_name;
  std::vector<const CatalogEvent*> editions;  // every edition of event_name (trend, compare, sum)
  std::vector<const CatalogEvent*> events;    // several events named (compare events) or of a period
  bool all_events = false;                    // "our races": every event in the period
  std::optional<int> year;
  std::optional<int> month;                        // 1-12
  std::optional<std::string> date_from, date_to;   // an inclusive date range of events
  std::optional<std::string> event_state, event_city;  // where events were held ("in Massachusetts")
  const CatalogRace* race = nullptr;   // one race of the edition; null: all races or the main race
  std::int64_t race_distance_m = 0;    // the race's distance, for every edition (trend, compare)
  std::vector<int> compare_years;      // several editions by year

  // ---- shape
  Grouping grouping = Grouping::none;
  Combine combine = Combine::none;
  std::vector<char> compare_genders;   // versus: these genders
  bool rank_groups = false;            // grouped counts ordered by count ("which event had the most")
  bool place_among_gender = false;     // "the top 10 women": the place bound is the gender place
  bool list_all = false;               // top: the population's rows in place order ("show the finishers from NJ")
};

// The label of a plan (see Intent).
Intent intent_of(const Plan& p);

// Whether the plan reads one race of each edition (rankings, times, paces, finish-time bounds) rather than all of them.
bool reads_main_race(const Plan& p);

// The reasons a question was refused, with example questions the partner could ask instead.
struct Refusal {
  std::string reason;
  std::vector<std::string> suggestions;  // at most 3
  std::vector<std::string> unknown_words;  // the words no rule explained, as written
};

// Parses a question against a catalog. Returns a Plan, or a Refusal when the words do not make a
// question the engine can answer with certainty: every meaningful word must be explained by the plan.
// Pure: no I/O.
struct ParseOutcome {
  std::optional<Plan> plan;
  Refusal refusal;
};
ParseOutcome parse_question(std::string_view question, const Catalog& catalog, const AskContext& context);

}  // namespace racetiming::nl
