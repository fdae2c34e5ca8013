#pragma once
// Internal: the parser's rule tables. An entity rule reads some words of the question into the Plan and
// marks them used; the measure rules then read what is asked of them. Every word must end up used or be
// a filler word, or the question is refused. Adding a word is adding a row.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nl/text.hpp"
#include "racetiming/nl/plan.hpp"

namespace racetiming::nl {

inline constexpr std::size_t kMaxQuestionBytes = 1000;
inline constexpr int kListRows = 100;  // a list of a population's rows ("show the finishers from NJ"): the first 100

// The filters an entity rule can set, so a share can tell its population from its condition by where
// in the question each was said ("of the finishers, how many were women").
enum class FilterKind { gender, age, division, state, city, team, time, status, place, country };

// An event name and its words as questions are matched against them, once per name (editions share a
// name), with which words are generic ("marathon", "5k"). Worked out once per catalog (event_names):
// the engine keeps them with the partner's catalog, so a question does not tokenize every name again.
struct NamedEvent {
  const CatalogEvent* event;
  std::vector<std::string> words;
  std::vector<char> generic;
  std::vector<std::uint32_t> letters;  // letters_of each word
};
// The catalog's distinct names, in name order; each points into catalog.events.
std::vector<NamedEvent> event_names(const Catalog& catalog);

// parse_question with the catalog's names worked out already (`names` from event_names(catalog)).
ParseOutcome parse_question(std::string_view question, const Catalog& catalog, std::span<const NamedEvent> names,
                            const AskContext& context);

// A question being read: its tokens, the partner's catalog, and the Plan filled in so far.
struct Reader {
  Reader(std::string_view question, const Catalog& catalog, std::span<const NamedEvent> names, const AskContext& context);

  bool is(std::size_t i, std::string_view word) const { return i < tokens.size() && tokens[i].text == word; }
  bool free(std::size_t i) const { return i < tokens.size() && !tokens[i].used; }  // exists and not yet used
  // The number of tokens of a space-separated phrase at i (all unused), or 0.
  std::size_t phrase_at(std::size_t i, std::string_view phrase) const;
  std::optional<std::size_t> find(std::string_view phrase) const;
  void use(std::size_t from, std::size_t count);
  bool take(std::string_view phrase);  // finds and uses a phrase
  std::optional<std::size_t> take_at(std::string_view phrase);  // the same, and where
  // Which tokens any of the phrases may start at (one flag a token; a few false ones, phrase_at tells):
  // a rule that reads what follows a cue word visits only these, not every token with every cue.
  template <typename Phrases>
  std::vector<char> starts_of(const Phrases& phrases) const {
    std::vector<char> out(tokens.size(), 0);
    for (std::string_view p : phrases) first_start(p, [&](std::size_t i) { return (out[i] = 1), false; });
    return out;
  }
  bool has(std::string_view word) const;  // any token, used or not
  // False when no token begins as the phrase's first word does: most of the hundreds of cue phrases
  // asked of a question are not in it, and this answers that without a scan (the tokens are indexed by
  // their first three letters).
  bool may_hold(std::string_view phrase) const;
  // Where a phrase may start, in question order: the tokens that begin as its first word does (a few
  // false ones; phrase_at tells). Stops when `at` returns true; returns that position.
  template <typename At>
  std::optional<std::size_t> first_start(std::string_view phrase, At at) const {
    for (std::uint16_t i = first_at_[prefix_bucket(phrase)]; i != kNoToken; i = next_same_[i])
      if (at(std::size_t{i})) return i;
    return std::nullopt;
  }
  void mark(FilterKind k, std::size_t at) { marks.push_back({k, at}); }

  std::vector<Token> tokens;
  const Catalog& catalog;
  std::span<const NamedEvent> names;  // the catalog's event names (event_names)
  const AskContext& context;
  int today_year;
  Plan plan;
  // what rules saw beside the plan
  // "3:30" as a lower or upper bound: H:MM or MM:SS, read once the race distance is known
  struct ColonTime {
    std::int64_t as_hours_ms = 0, as_minutes_ms = 0;
  };
  std::optional<ColonTime> colon_min, colon_max;
  std::optional<std::size_t> colon_at;
  bool race_missing = false;       // the question named a race the event does not have
  bool pace_unit_missing = false;  // a pace bound in no unit ("a pace under 8 minutes"): per mile or per km?
  bool limit_given = false;
  std::optional<std::size_t> limit_at;
  bool name_given = false;
  bool race_word = false;          // the question named a race ("the half")
  std::optional<std::size_t> race_at;  // where ("which half marathon": one of several events' halves)
  bool multi_year_words = false;   // "each year", "over the years", ...
  bool per_year_words = false;     // those that ask for one row per edition: "each year", "by year", ...
  bool every_edition = false;      // "ever", "of all time", "course record": every edition as one population
  bool year_from_context = false;  // the year is the conversation's, not said in this question
  bool event_from_context = false; // the event is the conversation's, not named in this question
  bool event_word = false;         // "our races", "our events": every event of the period
  // a span of years ("from 2022 to 2024", "since 2022", "the last 3 years"): the years of the event's
  // editions within it, or every year of it for a period's events
  std::optional<std::pair<int, int>> year_span;
  bool genders_either = false;     // "women or non-binary runners": one population of both, counted together
  int last_editions = 0;           // "the last 3 editions": the event's latest three held
  std::string refusal;             // a rule's reason to refuse (an event not found, ...)
  std::string unheld;              // what the data does not hold, read before other rules take its words
  std::vector<std::string> cues;   // the cue phrases found (for the measure rules)
  struct Mark {
    FilterKind kind;
    std::size_t at;
  };
  std::vector<Mark> marks;

 private:
  static constexpr std::uint16_t kNoToken = 0xFFFF;
  static unsigned prefix_bucket(std::string_view word);
  // tokens chained by their first three letters (one of 1024 buckets), in question order: cue phrases
  // are looked for only where some token begins as they do, without a scan of the whole question
  std::array<std::uint16_t, 1024> first_at_;
  std::vector<std::uint16_t> next_same_;
};

struct EntityRule {
  std::string_view name;
  void (*apply)(Reader&);
};

// In the order they run.
const std::vector<EntityRule>& entity_rules();

// Words that carry no entity and no measure: they may stand anywhere without changing the answer.
bool is_filler_word(std::string_view w);

// What the data model does not hold, requests to change data, predictions: a reason to refuse, or "".
std::string out_of_scope(const Reader& r);

// Reads the measure, population, grouping and comparison; nullopt: refuse (r.refusal says why).
std::optional<Plan> plan_question(Reader& r);

// Up to 3 example questions close to what was asked, over the partner's own events.
std::vector<std::string> suggestions(const Catalog& catalog, const Plan* near);

// The years of every edition of the plan's event, ascending ("ever", "in total over the years").
std::vector<int> edition_years(const Plan& p);

// Every event of the plan's period and place ("our races in 2023"), in catalog order.
std::vector<const CatalogEvent*> period_events(const Catalog& catalog, const Plan& p);

// Whether an event's race is the distance (within 3%).
bool same_distance(std::int64_t a, std::int64_t b);

}  // namespace racetiming::nl
