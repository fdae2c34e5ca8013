#pragma once
// Internal: the parser's rule tables. An entity rule reads some words of the question into the Plan and
// marks them used; the intent rules then score the question's cue words. Adding a word is adding a row.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nl/text.hpp"
#include "racetiming/nl/plan.hpp"

namespace racetiming::nl {

inline constexpr std::size_t kMaxQuestionBytes = 1000;

// A question being read: its tokens, the partner's catalog, and the Plan filled in so far.
struct Reader {
  Reader(std::string_view question, const Catalog& catalog, const AskContext& context);

  bool is(std::size_t i, std::string_view word) const { return i < tokens.size() && tokens[i].text == word; }
  bool free(std::size_t i) const { return i < tokens.size() && !tokens[i].used; }  // exists and not yet used
  // The number of tokens of a space-separated phrase at i (all unused), or 0.
  std::size_t phrase_at(std::size_t i, std::string_view phrase) const;
  std::optional<std::size_t> find(std::string_view phrase) const;
  void use(std::size_t from, std::size_t count);
  bool take(std::string_view phrase);  // finds and uses a phrase

  std::vector<Token> tokens;
  const Catalog& catalog;
  const AskContext& context;
  int today_year;
  Plan plan;
  // what rules saw beside the plan
  // "3:30" as a lower or upper bound: H:MM or MM:SS, read once the race distance is known
  struct ColonTime {
    std::int64_t as_hours_ms = 0, as_minutes_ms = 0;
  };
  std::optional<ColonTime> colon_min, colon_max;
  bool race_missing = false;       // the question named a race the event does not have
  bool limit_given = false;
  bool name_given = false;
  bool race_word = false;          // the question named a race ("the half")
  bool multi_year_words = false;   // "each year", ...
  std::string refusal;             // a rule's reason to refuse (an event not found, ...)
  std::vector<std::string> cues;   // the cue phrases found (for the intent rules)
};

struct EntityRule {
  std::string_view name;
  void (*apply)(Reader&);
};

// In the order they run.
const std::vector<EntityRule>& entity_rules();

// The intent the cue words score best whose needs the entities meet; nullopt: refuse.
std::optional<Plan> choose_intent(Reader& r);

// Up to 3 example questions over the partner's own events.
std::vector<std::string> suggestions(const Catalog& catalog, const CatalogEvent* event);

}  // namespace racetiming::nl
