// Intent rules: cue words score each intent; the best-scoring intent whose needs the entities meet
// wins. A question whose cues are too weak, or that leaves too many of its words unexplained, is refused.
#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "nl/rules.hpp"

namespace racetiming::nl {

bool is_stop_word(std::string_view w);

namespace {

using namespace std::string_view_literals;
using I = Intent;

struct Cue {
  std::string_view phrase;  // words of the question, or "@entity" for something an entity rule found
  Intent intent;
  int weight;
};

// Longer phrases first: a phrase's words are spent when it matches, so "finish time" is not also "finish".
constexpr std::array kCues{
    // what is counted
    Cue{"how many", I::count_finishers, 1},     Cue{"how many", I::count_participants, 1},
    Cue{"how many", I::count_status, 1},        Cue{"how many", I::breakdown, 1},
    Cue{"how many", I::trend, 1},               Cue{"how many", I::bq_qualifiers, 1},
    Cue{"number of", I::count_finishers, 1},    Cue{"number of", I::count_participants, 1},
    Cue{"count", I::count_finishers, 1},        Cue{"count", I::count_participants, 1},
    Cue{"total", I::count_participants, 1},     Cue{"total", I::count_finishers, 1},
    Cue{"finish time", I::time_stat, 6},        Cue{"finishing time", I::time_stat, 6},
    Cue{"finish times", I::time_stat, 6},       Cue{"winning time", I::time_stat, 6},
    Cue{"finishers", I::count_finishers, 3},    Cue{"finished", I::count_finishers, 3},
    Cue{"finish", I::count_finishers, 2},       Cue{"finishing", I::count_finishers, 2},
    Cue{"completed", I::count_finishers, 3},    Cue{"complete", I::count_finishers, 2},
    Cue{"completers", I::count_finishers, 3},   Cue{"crossed", I::count_finishers, 2},
    Cue{"@broke", I::count_finishers, 2},       Cue{"@bound", I::count_finishers, 2},
    Cue{"signed up", I::count_participants, 4}, Cue{"sign up", I::count_participants, 4},
    Cue{"registered", I::count_participants, 4}, Cue{"registrants", I::count_participants, 4},
    Cue{"entrants", I::count_participants, 4},  Cue{"entries", I::count_participants, 3},
    Cue{"entered", I::count_participants, 3},   Cue{"participants", I::count_participants, 3},
    Cue{"participated", I::count_participants, 3}, Cue{"ran", I::count_participants, 3},
    Cue{"started", I::count_participants, 3},   Cue{"starters", I::count_participants, 3},
    Cue{"toed the line", I::count_participants, 3}, Cue{"@status", I::count_status, 8},
    // shares and qualifiers
    Cue{"percentage", I::percent, 8},           Cue{"percent", I::percent, 8},
    Cue{"%", I::percent, 8},                    Cue{"proportion", I::percent, 8},
    Cue{"fraction", I::percent, 8},             Cue{"finish rate", I::percent, 8},
    Cue{"completion rate", I::percent, 8},      Cue{"share", I::percent, 4},
    Cue{"@bq", I::bq_qualifiers, 10},           Cue{"qualified", I::bq_qualifiers, 4},
    // rankings
    Cue{"top", I::top_finishers, 4},            Cue{"@limit", I::top_finishers, 5},
    Cue{"leaderboard", I::top_finishers, 6},    Cue{"podium", I::top_finishers, 6},
    Cue{"fastest", I::top_finishers, 2},        Cue{"slowest", I::top_finishers, 2},
    Cue{"quickest", I::top_finishers, 2},       Cue{"best", I::top_finishers, 2},
    Cue{"fastest", I::winner, 2},               Cue{"quickest", I::winner, 2},
    Cue{"fastest", I::time_stat, 2},            Cue{"slowest", I::time_stat, 2},
    Cue{"who won", I::winner, 7},               Cue{"who won", I::division_winners, 5},
    Cue{"won", I::winner, 5},                   Cue{"won", I::division_winners, 5},
    Cue{"win", I::winner, 5},                   Cue{"winner", I::winner, 7},
    Cue{"winners", I::division_winners, 5},     Cue{"took first", I::winner, 6},
    Cue{"finished first", I::winner, 6},        Cue{"came first", I::winner, 6},
    Cue{"first place", I::winner, 6},           Cue{"who", I::winner, 2},
    Cue{"@division", I::division_winners, 4},   Cue{"@each group", I::division_winners, 4},
    Cue{"age group", I::division_winners, 3},   Cue{"age groups", I::division_winners, 3},
    // times and paces
    Cue{"time", I::time_stat, 3},               Cue{"times", I::time_stat, 3},
    Cue{"average", I::time_stat, 2},            Cue{"mean", I::time_stat, 2},
    Cue{"median", I::time_stat, 4},             Cue{"typical", I::time_stat, 2},
    Cue{"how long", I::time_stat, 4},           Cue{"pace", I::pace_stat, 9},
    Cue{"paces", I::pace_stat, 9},              Cue{"per mile", I::pace_stat, 4},
    Cue{"per km", I::pace_stat, 4},             Cue{"per kilometer", I::pace_stat, 4},
    // one person
    Cue{"@person", I::participant_result, 9},   Cue{"how did", I::participant_result, 3},
    Cue{"result", I::participant_result, 2},    Cue{"results", I::participant_result, 1},
    Cue{"place", I::participant_result, 1},
    // shapes of the answer
    Cue{"@grouping", I::breakdown, 8},          Cue{"breakdown", I::breakdown, 6},
    Cue{"broken down", I::breakdown, 6},        Cue{"@years", I::trend, 8},
    Cue{"@compare", I::compare, 9},             Cue{"compare", I::compare, 4},
    Cue{"versus", I::compare, 3},               Cue{"vs", I::compare, 3},
    Cue{"faster", I::compare, 2},               Cue{"slower", I::compare, 2},
    Cue{"events", I::list_events, 4},           Cue{"races", I::list_events, 2},
    Cue{"calendar", I::list_events, 5},         Cue{"schedule", I::list_events, 4},
    Cue{"scheduled", I::list_events, 3},        Cue{"upcoming", I::list_events, 3},
    Cue{"list", I::list_events, 1},             Cue{"show", I::list_events, 1},
    Cue{"our", I::list_events, 1},              Cue{"show", I::top_finishers, 1},
    Cue{"list", I::top_finishers, 1},           Cue{"which event", I::ranking_events, 3},
    Cue{"what event", I::ranking_events, 3},    Cue{"which race", I::ranking_events, 3},
    Cue{"which events", I::ranking_events, 3},  Cue{"which events", I::list_events, 3},
    Cue{"what events", I::list_events, 3},      Cue{"which event", I::list_events, 1},
    // a superlative makes a ranking
    Cue{"most", I::ranking_events, 6},          Cue{"biggest", I::ranking_events, 6},
    Cue{"largest", I::ranking_events, 6},       Cue{"fewest", I::ranking_events, 6},
    Cue{"smallest", I::ranking_events, 6},      Cue{"most popular", I::ranking_events, 8},
};

constexpr int kIntents = 16;

// What each intent needs before it can run.
bool needs_met(const Plan& p, const Reader& r, std::string& why) {
  auto need_event = [&] {
    if (r.race_missing) {
      why = r.refusal;
      return false;
    }
    if (p.event) return true;
    why = r.refusal.empty() ? "no event of yours matches the question" : r.refusal;
    return false;
  };
  switch (p.intent) {
    case I::list_events:
    case I::ranking_events: return true;
    case I::trend:
      if (!p.event_name.empty()) return true;
      why = "no event of yours matches the question";
      return false;
    case I::compare:
      if (p.event_name.empty()) return need_event();
      if (p.compare_years.size() >= 2 || p.year) return true;
      why = "which years to compare?";
      return false;
    case I::participant_result:
      if (!p.bib && !p.first_name) {
        why = "whose result? name a bib or a runner";
        return false;
      }
      return need_event();
    case I::count_status:
      if (!p.status) return false;
      return need_event();
    default: return need_event();
  }
}

// Fills what follows from the intent and the words: populations, statistics, orders.
void settle(Plan& p, const Reader& r) {
  const auto has = [&](std::string_view w) {
    return std::any_of(r.tokens.begin(), r.tokens.end(), [&](const Token& t) { return t.text == w; });
  };
  // a time bound counts finishers, whatever verb asked ("ran sub-3")
  if (p.intent == I::count_participants && (p.min_time_ms || p.max_time_ms)) p.intent = I::count_finishers;
  if (p.intent == I::count_participants) {
    p.population = (has("ran") || has("started") || has("starters") || has("run") || has("line")) &&
                           !has("registered") && !has("signed")
                       ? Population::starters
                       : Population::entries;
  }
  if (p.intent == I::time_stat || p.intent == I::pace_stat) {
    p.statistic = has("median") || has("typical") ? Statistic::median
                  : has("fastest") || has("quickest") || has("best") || has("winning") ? Statistic::fastest
                  : has("slowest") || has("worst") ? Statistic::slowest
                                                   : Statistic::average;
  }
  if (p.intent == I::top_finishers) p.descending = has("slowest");
  if (p.intent == I::winner) p.limit = 1;
  if (p.intent == I::ranking_events) p.fewest = has("fewest") || has("smallest") || has("least");
  if (p.intent == I::list_events && (has("scheduled") || has("upcoming"))) p.status = "scheduled";
  if (p.intent == I::list_events && has("cancelled")) p.status = "cancelled";
  if (p.intent == I::list_events && (has("completed") || has("past"))) p.status = "completed";
  if (p.intent == I::trend || p.intent == I::compare) {
    if (!r.race_word) p.race_distance_m = 0;  // trend counts every race unless one is named
  }
  if (p.intent != I::participant_result) {
    p.first_name.reset();
    p.last_name.reset();
  }
  if (p.intent == I::compare && p.compare_years.empty() && p.year) p.compare_years = {*p.year, *p.year - 1};
  if (p.intent != I::count_status && p.intent != I::list_events) p.status.reset();
  p.limit = std::clamp(p.limit, 1, 1000);
}

}  // namespace

std::optional<Plan> choose_intent(Reader& r) {
  std::array<int, kIntents> score{};
  // entity cues
  std::vector<std::string> found = r.cues;
  if (r.limit_given && r.plan.limit > 1) found.emplace_back("limit");
  if (r.plan.first_name || r.plan.bib) found.emplace_back("person");
  if (r.plan.max_time_ms || r.plan.min_time_ms) found.emplace_back("bound");
  if (r.multi_year_words) found.emplace_back("years");
  if (r.plan.compare_years.size() >= 2) found.emplace_back("compare");
  // word cues: longest first, each word explains once
  std::array<bool, kIntents> explained_by_any{};
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    // collect every cue matching at i (the same phrase may score several intents)
    std::size_t longest = 0;
    for (const Cue& c : kCues)
      if (!c.phrase.starts_with('@')) longest = std::max(longest, r.phrase_at(i, c.phrase));
    if (!longest) continue;
    for (const Cue& c : kCues)
      if (!c.phrase.starts_with('@') && r.phrase_at(i, c.phrase) == longest) {
        score[static_cast<std::size_t>(c.intent)] += c.weight;
        explained_by_any[static_cast<std::size_t>(c.intent)] = true;
      }
    r.use(i, longest);
  }
  for (const Cue& c : kCues)
    if (c.phrase.starts_with('@') &&
        std::find(found.begin(), found.end(), c.phrase.substr(1)) != found.end())
      score[static_cast<std::size_t>(c.intent)] += c.weight;

  // words no rule explained: a question mostly made of them is not one this engine reads
  std::size_t content = 0, unexplained = 0;
  for (const Token& t : r.tokens) {
    if (is_stop_word(t.text) || t.text == "?") continue;
    ++content;
    if (!t.used) ++unexplained;
  }
  const double explained = content ? 1.0 - static_cast<double>(unexplained) / static_cast<double>(content) : 0.0;

  std::array<int, kIntents> order{};
  for (int i = 0; i < kIntents; ++i) order[static_cast<std::size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return score[static_cast<std::size_t>(a)] > score[static_cast<std::size_t>(b)]; });
  std::string why;
  for (int i : order) {
    const int s = score[static_cast<std::size_t>(i)];
    if (s < 3) break;
    Plan p = r.plan;
    p.intent = static_cast<Intent>(i);
    if (!needs_met(p, r, why)) continue;
    settle(p, r);
    p.confidence = std::min(1.0, 0.5 * explained + 0.5 * std::min(1.0, s / 8.0));
    if (explained < 0.5) {
      why = "too much of the question is not about race results";
      break;
    }
    return p;
  }
  r.refusal = why.empty() ? r.refusal : why;
  return std::nullopt;
}

std::vector<std::string> suggestions(const Catalog& catalog, const CatalogEvent* event) {
  const CatalogEvent* latest = event;
  for (const auto& e : catalog.events)
    if (!latest || e.event_date > latest->event_date) latest = &e;
  if (!latest) return {"Show me our events", "Which event had the most finishers last year?"};
  return {fmt::format("How many runners finished the {} {}?", latest->event_name, latest->year()),
          fmt::format("Who won the {} {}?", latest->event_name, latest->year()),
          fmt::format("Show me our events in {}", latest->year())};
}

}  // namespace racetiming::nl
