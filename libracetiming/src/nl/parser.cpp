// The question parser: entity rules first (each explains some words and fills a part of the Plan), then
// the intent rules score what the words ask for. Both are tables below; docs/nl.md lists them in prose.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "nl/rules.hpp"
#include "nl/text.hpp"
#include "racetiming/nl/plan.hpp"

namespace racetiming::nl {

std::string_view to_string(Intent i) noexcept {
  static constexpr std::array<std::string_view, 17> kNames{
      "count_finishers", "count_participants", "count_status", "top_finishers",      "winner",    "division_winners",
      "time_stat",       "pace_stat",          "participant_result", "breakdown",    "trend",     "compare",
      "list_events",     "ranking_events",     "percent",       "bq_qualifiers",      "llm_query"};
  return kNames[static_cast<std::size_t>(i)];
}

int CatalogEvent::year() const {
  int y = 0;
  std::from_chars(event_date.data(), event_date.data() + std::min<std::size_t>(4, event_date.size()), y);
  return y;
}

namespace {

int current_year(const AskContext& ctx) {
  if (ctx.today.size() >= 4) {
    int y = 0;
    std::from_chars(ctx.today.data(), ctx.today.data() + 4, y);
    if (y > 1900) return y;
  }
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

}  // namespace

// ---- the reader: tokens, and the words rules look for --------------------------------------------

Reader::Reader(std::string_view question, const Catalog& events, const AskContext& asked)
    : tokens(tokenize(question)), catalog(events), context(asked), today_year(current_year(asked)) {}


std::size_t Reader::phrase_at(std::size_t i, std::string_view phrase) const {
  // word by word, without splitting the phrase first: this runs for every cue at every token
  for (std::size_t n = 0;; ++n) {
    if (!free(i + n)) return 0;
    const std::string& word = tokens[i + n].text;
    // the first letter rejects almost every cue before a compare is paid for
    if (word.empty() || phrase.empty() || phrase[0] != word[0] || !phrase.starts_with(word)) return 0;
    if (phrase.size() == word.size()) return n + 1;
    if (phrase[word.size()] != ' ') return 0;
    phrase.remove_prefix(word.size() + 1);
  }
}

std::optional<std::size_t> Reader::find(std::string_view phrase) const {
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (phrase_at(i, phrase)) return i;
  return std::nullopt;
}

void Reader::use(std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count && i < tokens.size(); ++i) tokens[i].used = true;
}

bool Reader::take(std::string_view phrase) {
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (const auto n = phrase_at(i, phrase)) {
      use(i, n);
      return true;
    }
  return false;
}

// ---- parse ----------------------------------------------------------------------------------------

ParseOutcome parse_question(std::string_view question, const Catalog& catalog, const AskContext& context) {
  ParseOutcome out;
  if (question.size() > kMaxQuestionBytes) {
    out.refusal = {fmt::format("the question is longer than {} characters", kMaxQuestionBytes), suggestions(catalog, {})};
    return out;
  }
  Reader r(question, catalog, context);
  for (const EntityRule& rule : entity_rules()) rule.apply(r);
  auto chosen = choose_intent(r);
  if (!chosen) {
    out.refusal = {r.refusal.empty() ? "the question does not say what to count, rank or list" : r.refusal,
                   suggestions(catalog, r.plan.event)};
    return out;
  }
  out.plan = std::move(*chosen);
  return out;
}

}  // namespace racetiming::nl
