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
#include "racetiming/sport/dates.hpp"
#include "racetiming/nl/plan.hpp"

namespace racetiming::nl {

std::string_view to_string(Intent i) noexcept {
  static constexpr std::array<std::string_view, 23> kNames{
      "count_finishers", "count_participants", "count_status", "count_distinct", "top_finishers",
      "winner",          "nth_place",          "extreme_person", "division_winners", "time_stat",
      "pace_stat",       "stat_age",           "time_stat_by",  "participant_result", "breakdown",
      "trend",           "compare",            "list_events",   "ranking_events",   "percent",
      "share",           "bq_qualifiers",      "llm_query"};
  return kNames[static_cast<std::size_t>(i)];
}

std::string_view to_string(Measure m) noexcept {
  static constexpr std::array<std::string_view, 11> kNames{"count",   "count_distinct", "share",  "statistic",
                                                           "nth_place", "extreme",      "top",    "division_winners",
                                                           "person",  "events",         "bq_count"};
  return kNames[static_cast<std::size_t>(m)];
}
std::string_view to_string(Field f) noexcept {
  static constexpr std::array<std::string_view, 10> kNames{"none", "chip_time", "gun_time", "pace", "age",
                                                           "team", "state",     "city",     "country", "event"};
  return kNames[static_cast<std::size_t>(f)];
}
std::string_view to_string(Statistic s) noexcept {
  static constexpr std::array<std::string_view, 4> kNames{"average", "median", "minimum", "maximum"};
  return kNames[static_cast<std::size_t>(s)];
}
std::string_view to_string(Grouping g) noexcept {
  static constexpr std::array<std::string_view, 10> kNames{"none", "gender", "division", "age_band", "state",
                                                           "city", "team",   "year",     "event",    "race"};
  return kNames[static_cast<std::size_t>(g)];
}
std::string_view to_string(Population p) noexcept {
  static constexpr std::array<std::string_view, 4> kNames{"finishers", "starters", "entries", "status"};
  return kNames[static_cast<std::size_t>(p)];
}

Intent intent_of(const Plan& p) {
  if (p.combine == Combine::difference || (p.combine == Combine::versus && p.grouping != Grouping::none &&
                                           (p.compare_years.size() >= 2 || p.events.size() >= 2 || p.compare_genders.size() >= 2)))
  {
    // genders side by side are a grouping by gender; years and events are a comparison
    if (p.compare_genders.size() >= 2 && p.combine == Combine::versus)
      return p.measure == Measure::statistic ? Intent::time_stat_by : Intent::breakdown;
    return p.measure == Measure::statistic && p.compare_genders.size() >= 2 ? Intent::time_stat_by : Intent::compare;
  }
  switch (p.measure) {
    case Measure::count:
      if (p.rank_groups && p.grouping == Grouping::event) return Intent::ranking_events;
      if (p.grouping == Grouping::year) return Intent::trend;
      if (p.grouping != Grouping::none) return Intent::breakdown;
      return p.population == Population::finishers ? Intent::count_finishers
             : p.population == Population::status  ? Intent::count_status
                                                   : Intent::count_participants;
    case Measure::count_distinct: return Intent::count_distinct;
    case Measure::share:
      // a rate (finished, DNF, DNS among starters or entrants) is a percent; a share has a condition on who
      return p.condition.status && !p.condition.on_entry() && !p.condition.on_time() && !p.condition.max_place
                 ? Intent::percent
                 : Intent::share;
    case Measure::statistic:
      if (p.grouping != Grouping::none) return Intent::time_stat_by;
      return p.field == Field::age ? Intent::stat_age : p.field == Field::pace ? Intent::pace_stat : Intent::time_stat;
    case Measure::nth_place:
      if (p.nth == 1) return p.who.division ? Intent::division_winners : Intent::winner;
      return Intent::nth_place;
    case Measure::extreme: return Intent::extreme_person;
    case Measure::top: return Intent::top_finishers;
    case Measure::division_winners: return Intent::division_winners;
    case Measure::person: return Intent::participant_result;
    case Measure::events: return Intent::list_events;
    case Measure::bq_count: return Intent::bq_qualifiers;
  }
  return Intent::count_finishers;
}

bool reads_main_race(const Plan& p) {
  switch (p.measure) {
    case Measure::statistic: return p.field != Field::age;
    case Measure::nth_place:
    case Measure::top:
    case Measure::division_winners: return true;
    case Measure::extreme: return p.field != Field::age;
    // a place or a finish time means something within one distance: "under 50 minutes at the Lancaster
    // County 10K" is its 10K, not its 5K as well (a pace bound holds across distances)
    default:
      return p.who.max_place || p.condition.max_place || p.who.min_time_ms || p.who.max_time_ms || p.condition.min_time_ms ||
             p.condition.max_time_ms;
  }
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
  const std::string today = sport::today_utc();
  int y = 0;
  std::from_chars(today.data(), today.data() + 4, y);
  return y;
}

}  // namespace

// ---- the reader: tokens, and the words rules look for --------------------------------------------

// A word's first three letters, to one of 1024 buckets: a cue is looked for only where some token begins
// as it does. Three bytes, not a hash of the word: finding the end of the cue's first word cost more
// than the scans the index saves.
unsigned Reader::prefix_bucket(std::string_view word) {
  unsigned h = 0;
  for (std::size_t i = 0; i < 3 && i < word.size() && word[i] != ' '; ++i) h = h * 31 + static_cast<unsigned char>(word[i]);
  return h & 1023;
}

Reader::Reader(std::string_view question, const Catalog& events, std::span<const NamedEvent> event_names, const AskContext& asked)
    : tokens(tokenize(question)), catalog(events), names(event_names), context(asked), today_year(current_year(asked)) {
  // a question is at most kMaxQuestionBytes, so far fewer tokens than a chain index holds
  const std::size_t indexed = std::min<std::size_t>(tokens.size(), kNoToken);
  first_at_.fill(kNoToken);
  next_same_.assign(indexed, kNoToken);
  std::array<std::uint16_t, 1024> last{};
  for (std::size_t i = 0; i < indexed; ++i) {
    const auto bucket = prefix_bucket(tokens[i].text);
    const auto at = static_cast<std::uint16_t>(i);
    if (first_at_[bucket] == kNoToken) first_at_[bucket] = at;
    else next_same_[last[bucket]] = at;
    last[bucket] = at;
  }
}

bool Reader::may_hold(std::string_view phrase) const { return first_at_[prefix_bucket(phrase)] != kNoToken; }

std::size_t Reader::phrase_at(std::size_t i, std::string_view phrase) const {
  // word by word, without splitting the phrase first: this runs for every cue at every token
  for (std::size_t n = 0;; ++n) {
    if (!free(i + n)) return 0;
    const std::string& word = tokens[i + n].text;
    const std::size_t size = word.size();
    if (size == 0 || size > phrase.size()) return 0;
    // by hand: most cues differ from the word in its first or second letter, before a memcmp call pays
    for (std::size_t c = 0; c < size; ++c)
      if (phrase[c] != word[c]) return 0;
    if (phrase.size() == size) return n + 1;
    if (phrase[size] != ' ') return 0;
    phrase.remove_prefix(size + 1);
  }
}

std::optional<std::size_t> Reader::find(std::string_view phrase) const {
  return first_start(phrase, [&](std::size_t i) { return phrase_at(i, phrase) != 0; });
}

void Reader::use(std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count && i < tokens.size(); ++i) tokens[i].used = true;
}

bool Reader::take(std::string_view phrase) { return take_at(phrase).has_value(); }

std::optional<std::size_t> Reader::take_at(std::string_view phrase) {
  return first_start(phrase, [&](std::size_t i) {
    const auto n = phrase_at(i, phrase);
    if (n) use(i, n);
    return n != 0;
  });
}

bool Reader::has(std::string_view word) const {
  return std::any_of(tokens.begin(), tokens.end(), [&](const Token& t) { return t.text == word; });
}

// ---- parse ----------------------------------------------------------------------------------------

namespace {

// Words a follow-up says instead of a measure: "and", "what about", "how about".
bool follow_up_words(Reader& r) {
  bool any = false;
  for (auto phrase : {"what about", "how about", "and for", "and in", "and at", "same for", "same question for", "same but",
                      "what if", "and"})
    while (r.take(phrase)) any = true;
  return any;
}

std::string quoted_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? (i + 1 == words.size() ? " and " : ", ") : "") + ("'" + words[i] + "'");
  return out;
}

std::string not_understood(const std::vector<std::string>& words) {
  return fmt::format("I can't answer {}: {} not something the race data answers", quoted_words(words),
                     words.size() == 1 ? "it is" : "they are");
}

void inherit_filters(Plan& p, const Reader& r, const Filters& n);

// The previous question's plan with what the follow-up's words name put in its place.
std::optional<Plan> merge_follow_up(Reader& r, const Plan& before) {
  Plan p = before;
  const Plan& now = r.plan;
  // the conversation's event with no year of this question's own: the previous years stand ("since 2022",
  // then "and for women?")
  const bool same_editions = r.event_from_context && (!now.year || r.year_from_context) && now.compare_years.empty();
  if ((!now.event_name.empty() && !same_editions) || now.events.size() >= 2 || now.all_events) {
    p.event = now.event;
    p.event_name = now.event_name;
    p.editions = now.editions;
    p.events = now.events;
    p.all_events = now.event_name.empty() && now.events.empty();
    p.year = now.year;
    p.compare_years = now.compare_years;
    p.race = nullptr;
  }
  if (p.all_events && (now.year || now.compare_years.size() >= 2 || now.event_state || now.month || now.date_from)) {
    if (now.year || now.compare_years.size() >= 2) p.year = now.year, p.compare_years = now.compare_years;
    if (now.event_state) p.event_state = now.event_state;
    p.events = period_events(r.catalog, p);
  }
  if (!now.compare_years.empty()) p.compare_years = now.compare_years;
  // "and in 2023?" after several years or each year: that edition alone
  if (now.year && !r.year_from_context && now.compare_years.empty() &&
      (before.compare_years.size() >= 2 || before.grouping == Grouping::year)) {
    p.compare_years.clear();
    if (p.grouping == Grouping::year) p.grouping = Grouping::none;
    if (p.compare_genders.size() < 2 && p.events.size() < 2) p.combine = Combine::none;
  }
  // "what about since 2022?" after one edition's count: one row per edition, as the question asked alone
  if (p.compare_years.size() >= 2 && before.compare_years.size() < 2 && p.combine == Combine::none) {
    p.combine = Combine::versus;
    if (p.grouping == Grouping::none) p.grouping = Grouping::year;
  }
  if (now.month || now.date_from) {
    p.month = now.month;
    p.date_from = now.date_from;
    p.date_to = now.date_to;
  }
  if (now.event_state) p.event_state = now.event_state;
  // the race: the one named now, else the previous one's distance in this edition
  if (r.race_word) {
    p.race = now.race;
    p.race_distance_m = now.race_distance_m;
    if (r.race_missing) {
      r.refusal = r.refusal.empty() ? "that race is not part of the event" : r.refusal;
      return std::nullopt;
    }
  } else if (p.event && before.race) {
    p.race = nullptr;
    for (const auto& race : p.event->races)
      if (same_distance(race.distance_m, before.race->distance_m)) p.race = &race;
    if (!p.race) {
      r.refusal = fmt::format("the {} {} has no {} race", p.event->event_name, p.event->year(), before.race->race_name);
      return std::nullopt;
    }
  }
  inherit_filters(p, r, now.who);
  if (r.colon_min || r.colon_max) {
    p.who.min_time_ms = now.who.min_time_ms;
    p.who.max_time_ms = now.who.max_time_ms;
  }
  if (now.compare_genders.size() >= 2) {
    p.compare_genders = now.compare_genders;
    p.who.gender.reset();
    if (p.grouping == Grouping::none) p.grouping = Grouping::gender;
    if (p.combine == Combine::none) p.combine = Combine::versus;
  }
  if (now.grouping != Grouping::none) p.grouping = now.grouping;
  if (r.limit_given) p.limit = now.limit;
  // "and ever?": every edition of the event as one population
  if (r.every_edition && p.editions.size() >= 2) {
    p.year.reset();
    p.compare_years = edition_years(p);
    p.combine = Combine::sum;
  }
  // "and the fewest?", "and the slowest?" after a ranking of groups; "and the slowest?" after the fastest few
  const bool low = r.take("fewest") || r.take("least") || r.take("lowest") || r.take("youngest");
  const bool high = !low && (r.take("most") || r.take("highest") || r.take("oldest"));
  const bool quick = !low && !high && (r.take("fastest") || r.take("quickest"));
  const bool slow = !low && !high && !quick && r.take("slowest");
  if (low || high || quick || slow) {
    const bool times = p.field != Field::age && p.measure == Measure::statistic;
    if (p.rank_groups && (p.measure == Measure::count || p.measure == Measure::share || p.field == Field::age) && (low || high))
      p.descending = low;
    else if (p.rank_groups && times && (quick || slow))  // the fastest average, or the fastest winning time, first
      p.descending = quick;
    else if (p.measure == Measure::top && (quick || slow))
      p.descending = slow;
    else {
      r.refusal = "the fastest, slowest, most or fewest of what? ask the whole question";
      return std::nullopt;
    }
  }
  // "what was their pace?", "how old were they?" after a placed person: said beside the place
  if (p.measure == Measure::nth_place) {
    if (r.take("pace")) p.field = Field::pace;
    else if (r.take("how old") || r.take("age")) p.field = Field::age;
    else if (r.has("where") && r.take("from")) p.field = Field::state;  // "where was he from?"
  }
  if (std::find(r.cues.begin(), r.cues.end(), "ordinal") != r.cues.end()) p.nth = now.nth;
  if (p.who.status && p.population != Population::status && p.measure != Measure::share) p.population = Population::status;
  return p;
}

// The filters the follow-up says replace the previous plan's of the same kind (in a share, the
// condition's when the condition held that kind: "what share were women?" then "and men?").
void inherit_filters(Plan& p, const Reader& r, const Filters& n) {
  for (const auto& m : r.marks) {
    const bool in_condition = p.measure == Measure::share && [&] {
      const Filters& c = p.condition;
      switch (m.kind) {
        case FilterKind::gender: return c.gender.has_value();
        case FilterKind::age: return c.min_age || c.max_age;
        case FilterKind::state: return c.state.has_value();
        case FilterKind::city: return c.city.has_value();
        case FilterKind::time: return c.on_time();
        default: return false;
      }
    }();
    Filters& w = in_condition ? p.condition : p.who;
    switch (m.kind) {
      case FilterKind::gender: w.gender = n.gender; break;
      case FilterKind::age: w.min_age = n.min_age, w.max_age = n.max_age; break;
      case FilterKind::division: w.division = n.division, w.gender = n.gender; break;
      case FilterKind::state: w.state = n.state, w.city.reset(); break;
      case FilterKind::city: w.city = n.city, w.state.reset(); break;
      case FilterKind::team: w.team = n.team; break;
      case FilterKind::country: w.country = n.country; break;
      case FilterKind::time:
        w.min_time_ms = n.min_time_ms, w.max_time_ms = n.max_time_ms, w.time_inclusive = n.time_inclusive;
        w.min_pace_ms = n.min_pace_ms, w.max_pace_ms = n.max_pace_ms, w.pace_per_mile = n.pace_per_mile;
        break;
      case FilterKind::status: w.status = n.status; break;
      case FilterKind::place: w.max_place = n.max_place; break;
    }
  }
}

ParseOutcome parse_one(std::string_view question, const Catalog& catalog, std::span<const NamedEvent> names,
                       const AskContext& context, std::size_t depth);

// The plan of the conversation's last question before this one (itself perhaps a follow-up).
std::optional<Plan> previous_plan(const Catalog& catalog, std::span<const NamedEvent> names, const AskContext& context,
                                  std::size_t depth) {
  if (!context.previous || context.previous->questions.empty() || depth >= kMaxFollowUps) return std::nullopt;
  AskContext earlier = context;
  earlier.previous->questions.pop_back();
  if (earlier.previous->questions.empty()) earlier.previous.reset();
  auto outcome = parse_one(context.previous->questions.back(), catalog, names, earlier, depth + 1);
  return outcome.plan;
}

ParseOutcome parse_one(std::string_view question, const Catalog& catalog, std::span<const NamedEvent> names,
                       const AskContext& context, std::size_t depth) {
  ParseOutcome out;
  if (question.size() > kMaxQuestionBytes) {
    out.refusal = {fmt::format("the question is longer than {} characters", kMaxQuestionBytes), suggestions(catalog, nullptr), {}};
    return out;
  }
  const std::optional<Plan> before = previous_plan(catalog, names, context, depth);
  // a follow-up names no event of its own: the previous question's is the one it is about
  AskContext asked = context;
  if (before && !before->event_name.empty() && !asked.event_name) {
    asked.event_name = before->event_name;
    if (before->event && before->compare_years.size() < 2 && !asked.year) asked.year = before->event->year();
  }
  Reader r(question, catalog, names, asked);
  for (const EntityRule& rule : entity_rules()) rule.apply(r);
  if (std::string why = out_of_scope(r); !why.empty()) {
    out.refusal = {std::move(why), suggestions(catalog, r.plan.event ? &r.plan : nullptr), {}};
    return out;
  }
  std::optional<Plan> plan;
  std::optional<Reader> own;  // a follow-up may be a whole question of its own ("and how many women finished?")
  const Reader* read = &r;
  if (before) {
    own.emplace(r);
    follow_up_words(*own);
    plan = plan_question(*own);
    // "what about the top 5?" after "the top 3 states by finishers": the same groups, five of them (not the
    // five fastest runners)
    const bool more_groups = plan && before->rank_groups && before->grouping != Grouping::none &&
                             plan->measure == Measure::top && plan->who.empty() && plan->grouping == Grouping::none &&
                             own->limit_given;
    if (more_groups) {
      plan.reset();
      r.take("top");
    }
    if (plan) {
      // a measure of its own, about the previous question's people unless it names others
      if (plan->measure != Measure::share && before->measure != Measure::share) {
        const Filters said = plan->who;
        plan->who = before->who;
        plan->who.max_place = said.max_place;
        plan->who.status = said.status;
        inherit_filters(*plan, *own, said);
      }
      read = &*own;
    } else {
      follow_up_words(r);
      plan = merge_follow_up(r, *before);
    }
  } else {
    plan = plan_question(r);
  }
  std::vector<std::string> unknown;
  for (const Token& t : read->tokens)
    if (!t.used && !is_filler_word(t.text)) unknown.push_back(t.original);
  if (!unknown.empty()) {
    out.refusal = {not_understood(unknown), suggestions(catalog, plan ? &*plan : (r.plan.event ? &r.plan : nullptr)), unknown};
    return out;
  }
  if (!plan) {
    out.refusal = {r.refusal.empty() ? "the question does not say what to count, rank or list" : r.refusal,
                   suggestions(catalog, r.plan.event ? &r.plan : nullptr), {}};
    return out;
  }
  plan->intent = intent_of(*plan);
  plan->confidence = 1.0;  // every word is explained by the plan: nothing was guessed
  out.plan = std::move(plan);
  return out;
}

}  // namespace

ParseOutcome parse_question(std::string_view question, const Catalog& catalog, std::span<const NamedEvent> names,
                            const AskContext& context) {
  return parse_one(question, catalog, names, context, 0);
}

ParseOutcome parse_question(std::string_view question, const Catalog& catalog, const AskContext& context) {
  const auto names = event_names(catalog);
  return parse_one(question, catalog, names, context, 0);
}

}  // namespace racetiming::nl
