#pragma once
// What the question parser produces: a typed Plan (intent + entities + confidence), read against the
// partner's own catalog of events and races. Plans are values; rendering them to SQL is the templates'.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racetiming::nl {

enum class Intent {
  count_finishers,
  count_participants,
  count_status,
  top_finishers,
  winner,
  division_winners,
  time_stat,
  pace_stat,
  participant_result,
  breakdown,
  trend,
  compare,
  list_events,
  ranking_events,
  percent,
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
  int year() const;
};
struct Catalog {
  std::vector<CatalogEvent> events;  // any order
};

// What the caller knows besides the words.
struct AskContext {
  std::string today;                      // YYYY-MM-DD ("last year" is the year before); empty: now
  std::optional<std::string> event_name = {};  // an event the conversation is about
  std::optional<int> year = {};
};

enum class Population { finishers, starters, entries };  // who a count counts (see docs/nl.md)
enum class Statistic { average, median, fastest, slowest };
enum class Grouping { none, gender, division, state };

struct Plan {
  Intent intent = Intent::count_finishers;
  double confidence = 0;

  // event: one edition (event_id) or, for trend/compare, every edition of a name
  const CatalogEvent* event = nullptr;
  std::string event_name;
  std::vector<const CatalogEvent*> editions;  // every edition of event_name (trend, compare)
  std::optional<int> year;
  std::optional<int> month;             // list_events: 1-12
  std::optional<std::string> date_from, date_to;  // list/ranking: an inclusive date range
  const CatalogRace* race = nullptr;    // one race of the edition; null: see docs/nl.md (all or main race)
  std::int64_t race_distance_m = 0;     // the race's distance, for every edition (trend, compare)
  std::vector<int> compare_years;

  std::optional<std::int64_t> min_time_ms, max_time_ms;  // strict bounds unless time_inclusive
  bool time_inclusive = false;
  std::optional<char> gender;
  std::optional<int> min_age, max_age;
  std::optional<std::string> division;
  std::optional<std::string> state, city;
  std::optional<std::string> bib, first_name, last_name;
  std::optional<std::string> status;    // count_status: dnf, dns, dq; list_events: event status
  Population population = Population::finishers;
  Statistic statistic = Statistic::average;
  Grouping grouping = Grouping::none;
  int limit = 10;
  bool descending = false;  // "slowest"
  bool fewest = false;      // ranking_events: "fewest"
};

// The reasons a question was refused, with example questions the partner could ask instead.
struct Refusal {
  std::string reason;
  std::vector<std::string> suggestions;  // at most 3
};

// Parses a question against a catalog. Returns a Plan, or a Refusal when the words do not make a
// question the engine can answer with confidence. Pure: no I/O, no allocation beyond the plan.
struct ParseOutcome {
  std::optional<Plan> plan;
  Refusal refusal;
};
ParseOutcome parse_question(std::string_view question, const Catalog& catalog, const AskContext& context);

}  // namespace racetiming::nl
