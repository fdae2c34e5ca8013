// Measure rules: once the entity rules have read the event, the filters and the numbers, these read what
// is asked of them (a count, a share, a statistic, a place, a list), of whom (finishers, starters,
// entrants), grouped or compared how. Each cue phrase they act on is marked used; a question with any
// word left that is neither used nor a filler word is refused, naming the words.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "nl/render.hpp"
#include "nl/rules.hpp"

namespace racetiming::nl {
namespace {

using namespace std::string_view_literals;

// Words that say nothing the plan must account for: articles, pronouns, auxiliaries, politeness, and
// nouns every question about runners shares. Words that change an answer ("not", "except", "more",
// "will") are never here.
constexpr std::array kFillers{
    "the"sv,     "a"sv,        "an"sv,       "of"sv,       "in"sv,         "at"sv,         "for"sv,       "on"sv,
    "to"sv,      "and"sv,      "was"sv,      "were"sv,     "is"sv,         "are"sv,        "be"sv,        "been"sv,
    "what"sv,    "who"sv,      "whom"sv,     "whose"sv,    "how"sv,        "which"sv,      "me"sv,        "our"sv,
    "we"sv,      "us"sv,       "my"sv,       "i"sv,        "you"sv,        "your"sv,       "did"sv,       "do"sv,
    "does"sv,    "have"sv,     "has"sv,      "had"sv,      "there"sv,      "with"sv,       "from"sv,      "that"sv,
    "this"sv,    "these"sv,    "those"sv,    "please"sv,   "show"sv,       "tell"sv,       "give"sv,      "list"sv,
    "find"sv,    "get"sv,      "got"sv,      "display"sv,  "'s"sv,         "can"sv,        "could"sv,     "runners"sv,
    "runner"sv,  "people"sv,   "person"sv,   "athletes"sv, "athlete"sv,    "race"sv,       "event"sv,     "by"sv,
    "it"sv,      "they"sv,     "them"sv,     "their"sv,    "its"sv,        "all"sv,        "any"sv,       "overall"sv,
    "whole"sv,   "entire"sv,   "field"sv,    "so"sv,       "far"sv,        "ever"sv,       "exactly"sv,   "just"sv,
    "only"sv,    "really"sv,   "actually"sv, "know"sv,     "want"sv,       "like"sv,       "need"sv,      "see"sv,
    "hold"sv,    "holds"sv,    "held"sv,     "host"sv,     "hosted"sv,   "put"sv,        "among"sv,      "amongst"sv,   "as"sv,
    "total"sv,   "number"sv,   "data"sv,     "aged"sv,       "'"sv,
    "?"sv,       "there's"sv,  "what's"sv,   "who's"sv,    "how's"sv,      "it's"sv,       "let"sv,       "let's"sv,
    "hey"sv,     "hi"sv,       "thanks"sv,   "thank"sv,    "quick"sv,      "question"sv,   "about"sv,     "or"sv,
    "into"sv,    "during"sv,   "when"sv,     "where"sv,    "then"sv,       "also"sv,       "now"sv,       "some"sv,
    "same"sv,    "one"sv,      "ones"sv,    "up"sv,        "out"sv,        "her"sv,        "his"sv,       "he"sv,
    "she"sv,     "'re"sv,      "respectively"sv, "altogether"sv, "in total"sv, "count"sv,  "counts"sv,    "stats"sv,
    "statistics"sv, "numbers"sv, "figure"sv, "figures"sv, "value"sv,    "official"sv,   "recorded"sv,
    "take"sv,    "takes"sv,    "may"sv,      "changed"sv,  "evolved"sv,    "grown"sv,      "trended"sv,   "develop"sv,
    "took"sv,    "drew"sv,     "attracted"sv, "saw"sv,     "still"sv,      "currently"sv,  "happened"sv,  "look"sv,
    "looking"sv, "interested"sv, "curious"sv, "wondering"sv, "wonder"sv,   "tally"sv,      "rundown"sv,
    "everyone"sv, "everybody"sv, "across"sv, "ppl"sv, "whats"sv, "whos"sv, "hows"sv, "pls"sv, "plz"sv,
    "we've"sv, "i've"sv, "you've"sv, "they've"sv,
};

bool filler(std::string_view w) { return std::find(kFillers.begin(), kFillers.end(), w) != kFillers.end(); }

// ---- cue words ------------------------------------------------------------------------------------

constexpr std::array kFinishWords{"results"sv, "crossed the finish line"sv, "crossed the line"sv, "finishers"sv, "finisher"sv,
                                  "finished"sv,  "finishing"sv,  "finish"sv,   "completed"sv,  "completers"sv,
                                  "complete"sv,  "completing"sv, "crossed"sv,  "made it"sv};
constexpr std::array kStartWords{"toed the line"sv, "starters"sv, "started"sv, "starting"sv, "start"sv,
                                 "ran"sv,           "run"sv,      "raced"sv,   "racing"sv,   "running"sv,
                                 "competed"sv,      "took part"sv, "line up"sv};
constexpr std::array kEntryWords{"signed up"sv, "sign up"sv,   "sign ups"sv,  "signups"sv,      "registered"sv,
                                 "register"sv,  "registrants"sv, "registrations"sv, "entrants"sv, "entries"sv,
                                 "entry"sv,     "entered"sv,   "participants"sv, "participant"sv, "participated"sv,
                                 "participating"sv, "field size"sv};

struct Found {
  std::size_t at = 0;
  bool found = false;
};

template <std::size_t N>
Found take_first(Reader& r, const std::array<std::string_view, N>& words) {
  Found f;
  for (auto w : words)
    r.first_start(w, [&](std::size_t i) {
      if (const auto n = r.phrase_at(i, w)) {
        r.use(i, n);
        if (!f.found || i < f.at) f = {i, true};
      }
      return false;  // every place it is said
    });
  return f;
}

bool take_any(Reader& r, std::initializer_list<std::string_view> phrases) {
  bool any = false;
  for (auto p : phrases)
    while (r.take(p)) any = true;
  return any;
}
std::optional<std::size_t> take_any_at(Reader& r, std::initializer_list<std::string_view> phrases) {
  std::optional<std::size_t> first;
  for (auto p : phrases)
    while (auto at = r.take_at(p))
      if (!first || *at < *first) first = at;
  return first;
}

// Moves the filters said after `split` (or before it) into the share's condition.
void split_condition(const Reader& r, Plan& p, std::size_t split, bool condition_first) {
  // a division says its gender too ("F45-49"): the gender goes where the division goes unless said apart
  const bool gender_said = std::any_of(r.marks.begin(), r.marks.end(), [](const auto& m) { return m.kind == FilterKind::gender; });
  for (const auto& m : r.marks) {
    if ((m.at < split) != condition_first) continue;
    Filters& w = p.who;
    Filters& c = p.condition;
    switch (m.kind) {
      case FilterKind::gender: std::swap(w.gender, c.gender); break;
      case FilterKind::age: std::swap(w.min_age, c.min_age), std::swap(w.max_age, c.max_age); break;
      case FilterKind::division:
        std::swap(w.division, c.division);
        if (!gender_said) std::swap(w.gender, c.gender);
        break;
      case FilterKind::state: std::swap(w.state, c.state); break;
      case FilterKind::city: std::swap(w.city, c.city); break;
      case FilterKind::team: std::swap(w.team, c.team); break;
      case FilterKind::country: std::swap(w.country, c.country); break;
      case FilterKind::time:
        std::swap(w.min_time_ms, c.min_time_ms), std::swap(w.max_time_ms, c.max_time_ms);
        std::swap(w.min_pace_ms, c.min_pace_ms), std::swap(w.max_pace_ms, c.max_pace_ms);
        std::swap(w.time_inclusive, c.time_inclusive), std::swap(w.pace_per_mile, c.pace_per_mile);
        break;
      case FilterKind::status: std::swap(w.status, c.status); break;
      case FilterKind::place: std::swap(w.max_place, c.max_place); break;
    }
  }
}

}  // namespace

bool is_filler_word(std::string_view w) { return filler(w); }

std::vector<int> edition_years(const Plan& p) {
  std::vector<int> years;
  for (const CatalogEvent* e : p.editions)
    if (std::find(years.begin(), years.end(), e->year()) == years.end()) years.push_back(e->year());
  std::sort(years.begin(), years.end());
  return years;
}

std::vector<const CatalogEvent*> period_events(const Catalog& catalog, const Plan& p) {
  std::vector<const CatalogEvent*> out;
  for (const CatalogEvent& e : catalog.events) {
    const int y = e.year();
    if (p.compare_years.size() >= 2 ? std::find(p.compare_years.begin(), p.compare_years.end(), y) == p.compare_years.end()
                                    : (p.year && y != *p.year))
      continue;
    if (p.month && e.event_date.size() >= 7 && std::stoi(e.event_date.substr(5, 2)) != *p.month) continue;
    if (p.date_from && e.event_date < *p.date_from) continue;
    if (p.date_to && e.event_date > *p.date_to) continue;
    if (p.event_state && e.state != *p.event_state) continue;
    out.push_back(&e);
  }
  return out;
}

std::optional<Plan> plan_question(Reader& r) {
  Plan& p = r.plan;
  auto refuse = [&](std::string why) -> std::optional<Plan> {
    r.refusal = std::move(why);
    return std::nullopt;
  };
  const bool bq = std::find(r.cues.begin(), r.cues.end(), "bq") != r.cues.end();
  const bool ordinal = std::find(r.cues.begin(), r.cues.end(), "ordinal") != r.cues.end();
  const bool person = p.who.bib || p.who.first_name;

  // ---- what is asked: cue phrases, longest first where they overlap
  // "top 5 states", "the 3 biggest age groups", "which 5 cities had the most finishers": a number of
  // groups, ranked by how many they had (the group's noun right after the number, or after "biggest")
  std::optional<Grouping> counted_groups;
  for (std::size_t i = 0; i + 1 < r.tokens.size() && !counted_groups; ++i) {
    static constexpr std::array<std::pair<std::string_view, Grouping>, 11> kGroups{{
        {"age groups", Grouping::division}, {"divisions", Grouping::division}, {"age categories", Grouping::division},
        {"categories", Grouping::division}, {"states", Grouping::state}, {"cities", Grouping::city},
        {"towns", Grouping::city}, {"hometowns", Grouping::city}, {"home towns", Grouping::city},
        {"teams", Grouping::team}, {"clubs", Grouping::team}}};
    const auto n = r.tokens[i].is_number() ? integer(r.tokens[i]) : std::nullopt;
    if (!n || *n <= 0 || r.tokens[i].text.find('.') != std::string::npos) continue;
    const std::size_t noun = i + 1 + (r.is(i + 1, "biggest") || r.is(i + 1, "largest") || r.is(i + 1, "most"));
    for (const auto& [words, g] : kGroups)
      if (const auto length = r.phrase_at(noun, words)) {
        counted_groups = g;
        r.use(noun, length);
        p.limit = std::min(*n, 1000);
        r.limit_given = true;
        if (r.free(i)) r.use(i, 1);
        take_any(r, {"by number of"sv, "by the number of"sv, "by count of"sv, "by"sv, "with"sv});  // what they rank by
        break;
      }
  }
  // "which year", singular: one group is asked for, so a statistic of each group is ranked and the first
  // given ("which year had the fastest winning time": the year, not every year's winning time)
  bool which_one = false;
  if (take_any(r, {"which years"sv})) p.grouping = Grouping::year;
  if (take_any(r, {"which year"sv, "what year"sv, "which edition"sv, "what edition"sv, "the year with"sv, "the edition with"sv}))
    p.grouping = Grouping::year, which_one = true;
  if (take_any(r, {"which age group"sv, "what age group"sv, "which division"sv, "the age group with"sv, "the division with"sv}))
    p.grouping = Grouping::division, which_one = true;
  // "which state", "which team": a group is asked for by name (a team's win is not a person's)
  bool which_group = false;
  if (take_any(r, {"which state"sv, "what state"sv, "which states"sv, "what states"sv, "the state with"sv}))
    p.grouping = Grouping::state, which_group = true;
  if (which_group || p.grouping == Grouping::state) take_any(r, {"sent"sv, "brought"sv});  // "which state sent the most runners"
  if (take_any(r, {"which gender"sv, "what gender"sv, "which sex"sv})) p.grouping = Grouping::gender;
  if (take_any(r, {"which team"sv, "what team"sv, "which club"sv, "which teams"sv, "what teams"sv, "the team with"sv}))
    p.grouping = Grouping::team, which_group = true;
  if (take_any(r, {"which city"sv, "what city"sv, "which cities"sv, "what cities"sv, "the city with"sv}))
    p.grouping = Grouping::city, which_group = true;
  const auto share_at = take_any_at(r, {"percentage"sv, "percent"sv, "%"sv, "proportion"sv, "fraction"sv, "share"sv,
                                        "portion"sv, "ratio"sv});
  const auto rate_at = take_any_at(r, {"finish rate"sv, "finishing rate"sv, "completion rate"sv, "finisher rate"sv,
                                       "dnf rate"sv, "dropout rate"sv, "drop out rate"sv, "attrition rate"sv,
                                       "no show rate"sv, "dns rate"sv});
  // "did anyone break 3 hours": a count answers it
  const bool how_many = take_any(r, {"how many"sv, "number of"sv, "count of"sv, "count"sv, "total number"sv, "tally"sv,
                                     "anyone"sv, "anybody"sv});
  const bool distinct = take_any(r, {"different"sv, "distinct"sv, "unique"sv, "separate"sv});
  const bool average = take_any(r, {"on average"sv, "average"sv, "avg"sv, "mean"sv});
  const bool median = take_any(r, {"median"sv, "typical"sv, "middle"sv});
  const bool oldest = take_any(r, {"oldest"sv, "eldest"sv});
  const bool youngest = take_any(r, {"youngest"sv});
  const bool first_n = r.limit_at && r.is(*r.limit_at, "first") && r.free(*r.limit_at);
  if (first_n) r.use(*r.limit_at, 1);
  // "the last 3 finishers": the slowest three (the number was read as the limit)
  const bool last_n = r.limit_at && r.is(*r.limit_at, "last") && r.free(*r.limit_at);
  if (last_n) r.use(*r.limit_at, 1);
  const bool fastest = take_any(r, {"fastest"sv, "quickest"sv, "best"sv, "winning"sv, "lowest"sv, "shortest"sv,
                                    "minimum"sv, "min"sv, "record"sv});
  const bool slowest = last_n || take_any(r, {"finished last"sv, "came in last"sv, "came last"sv, "last finisher"sv, "last finishers"sv,
                                    "last to finish"sv, "last across the line"sv, "slowest"sv, "longest"sv, "worst"sv, "maximum"sv, "max"sv, "highest"sv, "last place"sv,
                                    "dead last"sv});
  const bool group_winners = take_any(r, {"age group winners"sv, "age group winner"sv, "division winners"sv,
                                          "category winners"sv, "age category winners"sv});
  const bool won = group_winners || take_any(r, {"who won"sv, "won"sv, "win"sv, "winner"sv, "winners"sv, "took first"sv, "champion"sv,
                                "champions"sv, "victory"sv, "victor"sv});
  const bool timed_verb = take_any(r, {"did we time"sv, "we timed"sv, "we time"sv, "timed"sv});
  const bool split_words = take_any(r, {"break down"sv, "breakdown"sv, "broken down"sv, "split"sv, "distribution"sv,
                                        "broken out"sv, "spread"sv});
  const auto top_at = take_any_at(r, {"top"sv, "leaderboard"sv, "podium"sv, "leaders"sv, "fastest runners"sv});
  const bool top = first_n || top_at;
  // "the top masters runner", "the top woman": one person, the first; "the top women": a list
  static constexpr std::array kOne{"runner"sv, "finisher"sv, "woman"sv, "man"sv, "athlete"sv, "person"sv,
                                   "female"sv, "male"sv,   "lady"sv,  "guy"sv, "girl"sv,     "boy"sv, "one"sv};
  bool top_one = false;
  for (std::size_t i = top_at.value_or(r.tokens.size()) + 1; i < r.tokens.size() && i <= *top_at + 3 && !top_one; ++i)
    top_one = std::find(kOne.begin(), kOne.end(), r.tokens[i].text) != kOne.end();
  const bool name_first = r.phrase_at(0, "name") && r.free(0);
  if (name_first) r.use(0, 1);  // "Name the oldest finisher"
  const bool who = r.has("who") || r.has("whom") || r.has("whose") || name_first ||
                   take_any(r, {"name of"sv, "names of"sv, "name"sv, "names"sv, "which runner"sv, "which runners"sv});
  const bool age_word = take_any(r, {"ages"sv, "age"sv, "how old"sv, "years old"sv});
  const bool pace_word = take_any(r, {"pace"sv, "paces"sv, "per mile"sv, "per km"sv, "per kilometer"sv, "per kilometre"sv,
                                      "minutes per mile"sv, "min mile"sv, "min km"sv});
  const bool gun_word = take_any(r, {"gun time"sv, "gun times"sv, "clock time"sv});
  const bool time_word = take_any(r, {"chip time"sv, "chip times"sv, "net time"sv, "finish time"sv, "finish times"sv,
                                      "finishing time"sv, "finishing times"sv, "winning time"sv, "time"sv, "times"sv,
                                      "how long"sv, "how fast"sv, "duration"sv});
  const bool faster = take_any(r, {"faster"sv, "slower"sv, "quicker"sv});
  const bool more = take_any(r, {"how many more"sv, "how many fewer"sv, "how much bigger"sv, "how much smaller"sv});
  const bool fewer_said = r.has("fewer") || r.has("less") || r.has("smaller");
  const bool difference = more || take_any(r, {"difference"sv, "more"sv, "fewer"sv, "less"sv, "bigger"sv, "smaller"sv,
                                               "larger"sv, "grew"sv, "growth"sv, "change"sv, "increase"sv, "decrease"sv, "gap"sv});
  const bool than = take_any(r, {"than"sv});
  const bool difference_word = r.has("difference") || r.has("gap");  // "the difference between men and women"
  // "ever", "of all time": every edition as one population (the fastest time ever run there, every finisher it had)
  const bool sum_words = take_any(r, {"together"sv, "combined"sv, "in total"sv, "altogether"sv, "between them"sv,
                                      "overall total"sv, "sum"sv, "total"sv});
  const bool sum = sum_words || r.every_edition;
  bool every_edition_group = false;  // a grouping over every edition together ("over the years")
  // "both" is not a sum: "the runners who finished both 2023 and 2024" are the people in both, which no
  // measure computes; the word is left unread and the question refused
  const bool versus = take_any(r, {"compared with"sv, "compared to"sv, "compare"sv, "comparison"sv, "versus"sv, "vs"sv,
                                   "against"sv, "each"sv, "respectively"sv, "separately"sv});
  const bool most = take_any(r, {"the most"sv, "most"sv, "biggest"sv, "largest"sv, "most popular"sv, "popular"sv});
  const bool at_least_one = take_any(r, {"with at least one"sv, "with at least 1"sv});  // "teams with at least one finisher"
  const bool fewest = take_any(r, {"the fewest"sv, "fewest"sv, "the least"sv, "least"sv, "smallest"sv});
  const bool event_status_word = take_any(r, {"scheduled"sv, "upcoming"sv, "cancelled"sv, "canceled"sv});
  const bool events_word = take_any(r, {"events"sv, "races"sv, "calendar"sv, "schedule"sv}) || event_status_word;
  const bool teams_word = take_any(r, {"teams"sv, "clubs"sv});
  const bool states_word = take_any(r, {"states"sv});
  const bool cities_word = take_any(r, {"home towns"sv, "home cities"sv, "cities"sv, "towns"sv, "hometowns"sv});
  const bool countries_word = take_any(r, {"countries"sv, "nations"sv, "nationalities"sv});
  const bool result_word = take_any(r, {"how did"sv, "result"sv, "placed"sv, "place"sv, "position"sv, "do"sv, "came"sv,
                                        "come"sv, "go"sv, "went"sv});

  if (counted_groups) {
    if (average || median || share_at || rate_at || time_word || pace_word || age_word || fastest || slowest || oldest || youngest)
      return refuse("a number of groups is ranked by how many runners each had; ask which age group had the fastest average time");
  }

  // "the youngest field" is an average age; "the youngest in the field" a person
  bool aged_field = false;
  for (std::size_t i = 1; i < r.tokens.size(); ++i)
    if ((r.is(i, "field") || r.is(i, "fields")) && r.free(i) && (r.is(i - 1, "youngest") || r.is(i - 1, "oldest"))) {
      r.use(i, 1);
      aged_field = true;
    }
  take_any(r, {"in the field"sv});

  // ---- whose entries: the population words, where they were said
  const Found finish = take_first(r, kFinishWords);
  const Found start = take_first(r, kStartWords);
  const Found entry = take_first(r, kEntryWords);
  const bool status = p.who.status.has_value();

  // ---- the measure
  auto population_from_words = [&]() {
    if (status) return Population::status;
    if (finish.found || p.who.on_time() || p.who.max_place) return Population::finishers;
    if (start.found) return Population::starters;
    if (entry.found) return Population::entries;
    return Population::finishers;
  };
  const bool said_population = status || finish.found || start.found || entry.found;
  bool represented = false;  // "which states were represented": entrants, though no population word says so
  bool place_condition = false;  // a share's condition is a place bound ("... finished in the top 10")

  // "in total over the years", "all editions combined": one number over every edition, not one per year
  const bool editions_to_span = p.editions.size() >= 2 && !p.year && p.compare_years.empty();
  if (p.grouping == Grouping::none && (r.multi_year_words || r.every_edition) && sum && !r.per_year_words && editions_to_span) {
    p.compare_years = edition_years(p);
  } else if (p.grouping == Grouping::none && r.multi_year_words) {
    p.grouping = Grouping::year;
  } else if (r.multi_year_words && p.grouping != Grouping::year) {
    // "which age group had the most finishers over the years": every edition together, grouped once
    if (r.per_year_words) return refuse("one grouping at a time: by year, or by the other");
    if (editions_to_span) {
      p.compare_years = edition_years(p);
      every_edition_group = true;
    }
  }

  // a free "faster" beside "how many" compares runners with something no time bound says ("faster than
  // the average"): "faster than 3:30" is a bound the entity rules already read
  if (faster && how_many) return refuse("faster than what? a count of runners needs a time: under 3:30, between 3 and 4 hours");
  if (counted_groups && !bq) {
    if (how_many) return refuse("the runners of several groups are not counted together: ask for the top 3 states by finishers");
    if (p.grouping != Grouping::none && p.grouping != *counted_groups) return refuse("one grouping at a time");
    p.measure = Measure::count;
    p.grouping = *counted_groups;
    p.rank_groups = true;
    p.descending = fewest;
    if (!said_population && (most || r.has("biggest") || r.has("largest"))) p.population = Population::entries;
  } else if (bq && (share_at || rate_at)) {
    return refuse("the share of Boston qualifiers is not computed: ask how many finishers qualified for Boston");
  } else if (bq) {
    p.measure = Measure::bq_count;
  } else if (share_at || rate_at) {
    p.measure = Measure::share;
  } else if (person) {
    p.measure = Measure::person;
  } else if ((oldest || youngest) && (average || median || aged_field)) {
    // "which event had the oldest average age", "the youngest field": the average ranked (below), not the
    // oldest person
    p.measure = Measure::statistic;
    p.field = Field::age;
    p.statistic = median ? Statistic::median : Statistic::average;
  } else if (oldest || youngest) {
    // "the age of the oldest finisher" is a number; "who was the oldest" a person
    p.field = Field::age;
    p.statistic = oldest ? Statistic::maximum : Statistic::minimum;
    p.measure = age_word && !who ? Measure::statistic : Measure::extreme;
  } else if (ordinal && !average && !median && !slowest && !gun_word) {
    // "who finished third", "the 10th place finisher's time", "the second fastest time", "the runner-up's pace"
    p.measure = Measure::nth_place;
    if (pace_word) p.field = Field::pace;
    else if (age_word) p.field = Field::age;
  } else if (average || median || ((fastest || slowest) && (time_word || pace_word || gun_word || age_word || r.has("record"))) ||
             ((time_word || pace_word || gun_word || age_word) && !how_many && !top && !won && !who)) {
    p.measure = Measure::statistic;
    p.field = age_word ? Field::age : pace_word ? Field::pace : gun_word ? Field::gun_time : Field::chip_time;
    p.statistic = median ? Statistic::median : average ? Statistic::average : fastest ? Statistic::minimum
                  : slowest                           ? Statistic::maximum
                                                      : Statistic::average;
    if (!average && !median && !fastest && !slowest && !faster && !versus && p.grouping == Grouping::none &&
        p.compare_years.size() < 2 && p.compare_genders.size() < 2)
      return refuse("which statistic of the time: average, median, fastest or slowest?");
    if (ordinal) return refuse("an n-th slowest time, or an n-th of an average, is not something I compute; ask who finished n-th");
  } else if (how_many && (teams_word || states_word || cities_word || countries_word ||
                          (distinct && (events_word || p.grouping != Grouping::none)))) {
    p.measure = Measure::count_distinct;
    take_any(r, {"were represented"sv, "represented"sv, "had runners"sv, "sent runners"sv});
    p.field = teams_word ? Field::team : states_word ? Field::state : cities_word ? Field::city
              : countries_word ? Field::country : Field::event;
    if (distinct && p.grouping != Grouping::none && !teams_word && !states_word && !cities_word && !countries_word) {
      p.field = p.grouping == Grouping::team ? Field::team : p.grouping == Grouping::state ? Field::state
                : p.grouping == Grouping::city ? Field::city : Field::event;
      p.grouping = Grouping::none;
    }
  } else if (how_many && events_word && !finish.found && !start.found && !entry.found && !status) {
    p.measure = Measure::count_distinct;  // "how many events did we hold in 2024"
    p.field = Field::event;
  } else if (how_many || faster || difference || (most || fewest) || (sum_words && said_population)) {
    p.measure = Measure::count;
    if (faster) {  // "was 2024 faster than 2023": the average chip time of each
      p.measure = Measure::statistic;
      p.field = Field::chip_time;
      p.statistic = Statistic::average;
    }
  } else if (top && top_one && !r.limit_given && !slowest) {
    p.measure = Measure::nth_place;
    p.nth = 1;
    p.limit = 1;
  } else if (top || (r.limit_given && (fastest || slowest))) {
    p.measure = Measure::top;
    p.descending = slowest;
  } else if (won && which_one && (fastest || slowest) && !pace_word && !age_word && !group_winners &&
             (p.grouping == Grouping::year || p.grouping == Grouping::division)) {
    // "which year had the fastest winner": each group's winning time, ranked below; the group is the answer
    p.measure = Measure::statistic;
    p.field = Field::chip_time;
    p.statistic = Statistic::minimum;
  } else if (won || ((fastest || slowest) && (who || p.who.gender))) {
    if (slowest) {
      p.measure = Measure::extreme;
      p.field = Field::chip_time;
      p.statistic = Statistic::maximum;
    } else {
      p.measure = Measure::nth_place;
      p.nth = 1;
      p.limit = 1;
      if (pace_word) p.field = Field::pace;  // "the winner's pace": said beside the time
      else if (age_word) p.field = Field::age;
    }
    if (won && !p.who.division && !r.limit_given && take_any(r, {"age groups"sv, "age group"sv, "divisions"sv, "division"sv, "age categories"sv}))
      p.grouping = Grouping::division;
    if (won && (group_winners || p.grouping == Grouping::division || std::find(r.cues.begin(), r.cues.end(), "division") != r.cues.end()))
      p.measure = Measure::division_winners;
  } else if ((versus || r.year_span || r.last_editions) && (p.compare_years.size() >= 2 || p.events.size() >= 2) &&
             said_population) {
    // "finishers at X, 2022 vs 2024", "finishers at X, 2022-2024": the count of each
    p.measure = Measure::count;
  } else if (versus && (p.compare_years.size() >= 2 || p.events.size() >= 2)) {
    // "compare 2023 vs 2024" names no measure: each side's finishers and average time, side by side
    p.measure = Measure::statistic;
    p.field = Field::chip_time;
    p.statistic = Statistic::average;
  } else if (versus && !p.event_name.empty()) {
    return refuse("which years to compare? name two editions");
  } else if (events_word || r.event_word) {
    p.measure = Measure::events;
  } else if (p.grouping != Grouping::none &&
             (said_population || std::find(r.cues.begin(), r.cues.end(), "breakdown") != r.cues.end())) {
    // "finishers by gender"; "the gender breakdown at X": how many finishers each
    p.measure = Measure::count;
  } else if ((p.grouping == Grouping::state || p.grouping == Grouping::city || p.grouping == Grouping::team) &&
             take_any(r, {"were represented"sv, "represented"sv})) {
    // "which states were represented": every state with an entry, and how many each had
    p.measure = Measure::count;
    p.population = Population::entries;
    represented = true;
  } else if (finish.found && !r.limit_given && (who || r.has("which") || r.has("show") || r.has("list") || r.has("give") ||
                                                r.has("display") || r.has("see"))) {
    // "show the finishers from New York", "which women from NJ finished", "the results of X": the rows
    p.measure = Measure::top;
    p.list_all = true;
    p.limit = kListRows;
  } else if (!p.event_name.empty() && p.events.size() < 2 && !said_population && !(r.has("where") && r.find("from")) &&
             (r.has("when") || r.has("where") || take_any(r, {"what date"sv, "which date"sv, "date"sv, "dates"sv, "location"sv,
                                                               "located"sv, "venue"sv}))) {
    // "when was the Jersey Shore Marathon", "where was it held in 2024": the event's editions, with date and place
    p.measure = Measure::events;
  } else {
    return refuse("the question does not say what to count, rank or list");
  }

  // "where was the winner from", "where did the runner-up come from": the placed person's home, said
  if (p.measure == Measure::nth_place && p.field != Field::pace && p.field != Field::age && r.has("where") && r.take("from"))
    p.field = Field::state;
  // "the winner's gun time": said beside the chip time; a bound or count on gun time is not read (bounds
  // are chip time), so the words are refused rather than dropped
  if (p.measure == Measure::nth_place && gun_word && (p.field == Field::none || p.field == Field::chip_time)) p.field = Field::gun_time;
  if (gun_word && p.field != Field::gun_time)
    return refuse("gun time is given as a statistic or a placed runner's time; counts and time bounds read chip time");
  if (at_least_one && p.measure != Measure::count_distinct) return refuse("at least one of what?");
  // "which team won the most races", "the average age of the winners", "the top 3 age group winners":
  // winners are people one at a time; counts, statistics and lists of them are not computed
  if (won && p.measure != Measure::nth_place && p.measure != Measure::division_winners && p.measure != Measure::extreme &&
      p.measure != Measure::person && !(which_one && p.statistic == Statistic::minimum))
    return refuse("wins are not counted or averaged: ask who won a race, or who won each age group");
  // "which team won": team scores are not kept; each team's fastest runner is not the team's win
  if (won && which_group) return refuse("team or state scores are not computed: ask who won, or the fastest runner of each team");
  // "who had the fastest time": a person, the winner (or the slowest finisher), not a number
  if (who && !age_word && p.measure == Measure::statistic && (p.statistic == Statistic::minimum || p.statistic == Statistic::maximum)) {
    if (p.field != Field::chip_time) return refuse("who ranks by chip time (or the race's own placing time); ask who won");
    if (p.statistic == Statistic::minimum) p.measure = Measure::nth_place, p.nth = 1, p.limit = 1;
    else p.measure = Measure::extreme;
  }
  if (split_words && p.grouping == Grouping::none) return refuse("broken down by what? say by gender, age group, state, ...");
  (void)timed_verb;  // read for its words: "did we time" is a verb, not a time

  // ---- whose entries
  if (!represented) p.population = population_from_words();
  if (p.measure == Measure::share) {
    // the words after the first verb past the share word are the condition ("... finishers were women")
    const std::size_t cue = share_at ? *share_at : *rate_at;
    std::size_t split = r.tokens.size();
    static constexpr std::array kSplit{"were"sv, "was"sv,   "are"sv,  "is"sv,  "ran"sv,      "did"sv,  "who"sv,
                                       "that"sv, "came"sv,  "had"sv,  "broke"sv, "went"sv,   "got"sv,  "finished"sv,
                                       "completed"sv, "crossed"sv, "run"sv, "have"sv, "among"sv};
    // "the runners who finished X were men", "the people who signed up for X finished": a relative clause
    // right after the share's noun says whose share it is, so the condition starts at the next verb
    static constexpr std::array kRelativeVerbs{"finished"sv, "completed"sv, "crossed"sv, "ran"sv, "registered"sv,
                                               "signed"sv,   "entered"sv,   "started"sv};
    auto is_split = [&](std::size_t i) { return std::find(kSplit.begin(), kSplit.end(), r.tokens[i].text) != kSplit.end(); };
    for (std::size_t i = cue + 1; i < r.tokens.size() && split == r.tokens.size(); ++i) {
      if (!is_split(i)) continue;
      const bool relative = (r.is(i, "who") || r.is(i, "that")) && i + 1 < r.tokens.size() &&
                            std::find(kRelativeVerbs.begin(), kRelativeVerbs.end(), r.tokens[i + 1].text) != kRelativeVerbs.end();
      bool later = false;
      for (std::size_t k = i + 2; relative && k < r.tokens.size() && !later; ++k) later = is_split(k);
      if (relative && later) {
        ++i;  // the clause's verb is the population's, not the condition's
        continue;
      }
      split = i;
    }
    // "the women among the top 10 finishers were over 40": "among" inside the population, the verb after it
    // starts the condition; with no verb after it ("the share of women among the finishers") the condition
    // is what comes before
    if (r.is(split, "among"))
      for (std::size_t k = split + 1; k < r.tokens.size(); ++k)
        if (is_split(k) && !r.is(k, "among")) {
          split = k;
          break;
        }
    const bool among = r.is(split, "among");
    // "the percentage of women among the finishers": the condition before, the population after; with no
    // verb and one filter ("the percentage of women at X", "the share of runners over 50") the filter is
    // the condition (with several and no verb, which is whose is not said: the share is refused below)
    const bool one_filter_no_verb = split == r.tokens.size() && r.marks.size() == 1;
    split_condition(r, p, split, among || one_filter_no_verb);
    // "what percentage of women finished in the top 10": the place is the condition, of the women who finished
    place_condition = r.limit_given && top && r.limit_at && (*r.limit_at >= split) != among;
    if (place_condition) {
      p.condition.max_place = p.limit;
      r.mark(FilterKind::place, *r.limit_at);
      for (const auto& m : r.marks)  // "in the top 10 women": among women
        if (m.kind == FilterKind::gender && m.at > *r.limit_at && m.at <= *r.limit_at + 2) p.place_among_gender = true;
    }
    if (rate_at) {
      const std::string& w = r.tokens[*rate_at].text;
      p.condition.status = w == "dnf" || w == "dropout" || w == "drop" || w == "attrition" ? "dnf"
                           : w == "no" || w == "dns"                                     ? "dns"
                                                                                         : "finished";
    } else if (finish.found && finish.at >= split && !among && !place_condition) {
      p.condition.status = "finished";  // "what percentage of starters finished"
    }
    if (p.condition.status && !p.who.status) {
      p.population = entry.found && entry.at < split ? Population::entries
                     : p.condition.status == "dns"   ? Population::entries
                                                     : Population::starters;
      if (p.who.on_time()) return refuse("a share of finishers by time cannot also be a finish rate");
    } else {
      p.population = (finish.found && finish.at < split) || !said_population || place_condition ? Population::finishers
                     : start.found                                          ? Population::starters
                     : entry.found                                          ? Population::entries
                                                                            : Population::finishers;
      if (status && p.who.status) p.population = Population::status;
    }
    if (p.condition.empty()) return refuse("a share of whom? say which runners to count (women, under 3 hours, ...)");
  } else if (p.measure == Measure::nth_place || p.measure == Measure::top || p.measure == Measure::division_winners ||
             (p.measure == Measure::extreme && p.field != Field::age)) {
    // places belong to finishers: "who ran the fastest 50K" ranks the runners who finished it
    if (p.population == Population::status) return refuse("only finishers are ranked");
    p.population = Population::finishers;
  } else if (p.measure == Measure::statistic && p.field != Field::age && p.population != Population::finishers) {
    // only finishers have a time: "the fastest time run by women" reads the women who finished
    if (p.population == Population::status) return refuse("only finishers have times");
    p.population = Population::finishers;
  } else if (p.measure == Measure::count && !said_population && !represented && !p.who.on_time() && !p.who.max_place &&
             p.grouping != Grouping::event && p.grouping != Grouping::race && !most && !fewest && !(r.limit_given && top)) {
    return refuse("count whom: finishers, starters or everyone registered?");
  }

  // ---- rankings read "the top 50" as a place bound when something else is measured
  if (r.limit_given && p.measure != Measure::top && p.measure != Measure::events && !p.rank_groups && !place_condition) {
    if (!(top || r.is(r.limit_at.value_or(0), "first"))) return refuse("what does the number refer to?");
    p.who.max_place = p.limit;
    p.population = Population::finishers;
    r.mark(FilterKind::place, *r.limit_at);
    // "the top 10 women": the gender said right after the number ranks among that gender
    for (const auto& m : r.marks)
      if (m.kind == FilterKind::gender && m.at > *r.limit_at && m.at <= *r.limit_at + 2) p.place_among_gender = true;
  }

  // ---- comparisons: several editions, events or genders
  const bool several = p.compare_years.size() >= 2 || p.events.size() >= 2 || p.compare_genders.size() >= 2;
  if (several) take_any(r, {"between"sv});  // "compare finishers between the 2023 and 2024 editions"
  // "how many women or non-binary runners": both, counted together; "were there more men or women" compares
  const bool either = r.genders_either && !difference && !most && !fewest && !versus;
  if (either && (p.measure != Measure::count || p.compare_genders.size() < 2))
    return refuse("one gender or another together is counted, not averaged or ranked: ask how many, or ask each");
  if (several) {
    // "the youngest woman since 2022", "the fastest time in the last 3 editions": one person or value over
    // the span, as "ever" is over every edition ("each year" still asks one per edition)
    const bool span_superlative = (r.year_span || r.last_editions) && !r.per_year_words && p.grouping == Grouping::none &&
                                  (p.measure == Measure::extreme ||
                                   (p.measure == Measure::statistic &&
                                    (p.statistic == Statistic::minimum || p.statistic == Statistic::maximum)));
    if (sum || every_edition_group || either || span_superlative) p.combine = Combine::sum;
    else if (difference && (than || difference_word)) p.combine = Combine::difference;
    else p.combine = Combine::versus;
    if (fewer_said && p.combine == Combine::difference) {
      std::reverse(p.compare_years.begin(), p.compare_years.end());
      std::reverse(p.events.begin(), p.events.end());
      std::reverse(p.compare_genders.begin(), p.compare_genders.end());
    }
    if (p.combine != Combine::sum && p.compare_genders.size() >= 2 && p.compare_years.size() >= 2)
      return refuse("compare either years or genders, not both at once");
  } else if (difference && than && p.year && !p.event_name.empty()) {
    return refuse("which years to compare? name both");
  } else if (difference) {
    // "more than one of our races", "how did finishers change": more or less than nothing the question names
    return refuse("more, fewer or a change against what? name the two years, events or genders");
  } else if (versus && p.grouping == Grouping::none) {
    // "how many finishers each did our 2024 events have": one row per event of the period; "each" or
    // "compared" about one population sets nothing side by side
    if (!p.event_name.empty()) return refuse("each of what, or compared with what? name the years, events or groups");
    p.grouping = Grouping::event;
  }
  if (p.compare_genders.size() >= 2 && p.combine == Combine::versus && p.grouping == Grouping::none) p.grouping = Grouping::gender;
  if (p.events.size() >= 2 && p.combine == Combine::versus && p.grouping == Grouping::none) p.grouping = Grouping::event;
  if (p.compare_years.size() >= 2 && p.combine == Combine::versus && p.grouping == Grouping::none) p.grouping = Grouping::year;
  if (p.combine == Combine::difference &&
      !(p.measure == Measure::count || (p.measure == Measure::statistic && p.statistic != Statistic::median)))
    return refuse("differences are of counts and of average, fastest or slowest times");

  // ---- "which age group had the fastest average time", "which year had the slowest winning time", "which
  // event had the highest finish rate": groups ranked by their statistic or share, not every group listed
  // "which half marathon was fastest on average": which of the period's events, by their half marathons
  const bool which_distance = r.race_at && *r.race_at > 0 && (r.is(*r.race_at - 1, "which") || r.is(*r.race_at - 1, "what")) &&
                              !p.event && p.event_name.empty();  // no one event named: the period's
  const bool which_events = which_distance || (r.has("which") && (r.has("event") || r.has("events") || r.has("race") ||
                                                                  r.has("races") || events_word || r.event_word || r.has("edition")));
  const bool higher = r.has("highest") || r.has("higher") || most, lower = r.has("lowest") || r.has("lower") || fewest;
  const bool aged = p.field == Field::age && (oldest || youngest);  // "the oldest average age": the highest
  const bool ranks_statistic =
      p.measure == Measure::statistic && ((p.statistic == Statistic::average && (fastest || slowest || aged)) ||
                                          (p.statistic == Statistic::median && (fastest || slowest || aged)) ||
                                          (p.statistic == Statistic::minimum && (slowest || (which_one && fastest))));
  const bool ranks_share = p.measure == Measure::share && (higher || lower || fastest || slowest);
  // "which year since 2019 had the most finishers": the span's editions ranked, one row each as "each year"
  if ((most || fewest || ranks_statistic || ranks_share) && p.grouping == Grouping::year && p.combine == Combine::versus &&
      (r.year_span || r.last_editions) && p.compare_genders.size() < 2)
    p.combine = Combine::none;
  const bool one_population = p.combine == Combine::none || (p.combine == Combine::sum && every_edition_group);
  if ((ranks_statistic || ranks_share) && one_population && (p.grouping != Grouping::none || which_events)) {
    if (p.statistic == Statistic::median && p.measure == Measure::statistic)
      return refuse("groups are ranked by their average, fastest or slowest time, not their median");
    if (ranks_share && !higher && !lower) return refuse("the best or worst share is unclear: say highest or lowest");
    if (p.grouping == Grouping::none) p.grouping = r.has("race") && p.event ? Grouping::race : Grouping::event;
    p.rank_groups = true;
    // smallest first: the fastest average time, the lowest share, the fastest of the winning times; the
    // slowest of the winning times is the largest
    p.descending = ranks_share ? lower : p.statistic == Statistic::minimum ? !slowest : aged ? youngest : fastest && !slowest;
    if (!r.limit_given) p.limit = 1;
  }

  // ---- "which event had the most finishers": groups ranked by their count
  if ((most || fewest) && p.measure == Measure::count && one_population) {
    // "who has run the most races": a person's races counted, which results kept race by race do not
    // tell (no identity joins one race's runner to another's); an event is not the answer
    if (who && (p.grouping == Grouping::none || p.grouping == Grouping::event || p.grouping == Grouping::race))
      return refuse("a runner's races are not counted: results are kept race by race, not by person");
    if (p.grouping == Grouping::none) {
      if (!(r.has("event") || r.has("race") || events_word || r.has("which") || which_distance)) return refuse("the most of what?");
      p.grouping = r.has("race") && p.event ? Grouping::race : Grouping::event;
    }
    p.rank_groups = true;
    p.descending = fewest;
    if (!said_population) p.population = Population::entries;  // "the biggest event": the most entrants
    if (!r.limit_given) p.limit = 1;
  } else if ((most || fewest) && p.measure != Measure::events && !(p.rank_groups && p.measure == Measure::share)) {
    return refuse("the most of what?");
  }

  if (event_status_word && p.measure != Measure::events)
    return refuse("upcoming, scheduled or cancelled events are listed, not counted into: ask to show them");

  // ---- the scope each measure needs
  const bool one_event = p.event || p.events.size() >= 2;
  if (p.measure == Measure::events) {
    if ((p.event && p.event_name.empty()) || p.events.size() >= 2)
      return refuse("which events? ask about one event's results, or list events by date or place");
    if (!p.event_name.empty() && (p.grouping != Grouping::none || p.who.on_entry() || p.who.on_time() || r.limit_given))
      return refuse("an event's date and place are listed as they are: ask about its results apart");
    if (r.has("scheduled") || r.has("upcoming")) p.who.status = "scheduled";
    if (r.has("cancelled") || r.has("canceled")) p.who.status = "cancelled";
    if (r.has("completed") || r.has("past")) p.who.status = "completed";
    if (p.who.on_entry() || p.who.on_time()) return refuse("events are listed by date, place and status");
    return p;
  }
  if (r.race_missing) return refuse(r.refusal);
  if (!one_event && p.event_name.empty()) {
    // every event of a period ("our races in 2023", "in 2024"), or all of the partner's
    if (!r.refusal.empty()) return refuse(r.refusal);
    p.all_events = true;
    p.events = period_events(r.catalog, p);
    const bool mixes_distances = !p.race_distance_m;
    const bool finish_time_bound = p.who.min_time_ms || p.who.max_time_ms || p.condition.min_time_ms || p.condition.max_time_ms;
    if (mixes_distances && ((p.measure == Measure::statistic && p.field != Field::age) || finish_time_bound))
      return refuse("times across races of different distances do not compare: name an event or a distance");
    if (mixes_distances && (p.measure == Measure::top || p.measure == Measure::nth_place || p.measure == Measure::division_winners ||
                            (p.measure == Measure::extreme && p.field != Field::age)))
      return refuse("rankings and times need an event or a distance");
    // "the marathon" with no event, no period and no "our races": one event's race, unnamed
    if (r.race_word && !r.event_word && !p.year && !p.month && !p.date_from && !p.event_state && !r.has("we") && !r.has("our"))
      return refuse("no event of yours matches: which event's race?");
    if (p.measure == Measure::person) return refuse("at which event? name one");
  } else if (!one_event && !(p.grouping == Grouping::year || p.combine != Combine::none)) {
    return refuse(r.refusal.empty() ? "no edition of that event matches" : r.refusal);
  }
  if (p.grouping == Grouping::year && p.event_name.empty() && !p.all_events)
    return refuse("each year of what? name an event");
  if (p.combine != Combine::none && p.compare_years.size() >= 2 && p.event_name.empty() && !p.all_events)
    return refuse("which event's editions? name one");

  if (p.measure == Measure::person && !p.event) return refuse("at which event? name one");
  if (p.measure == Measure::person && (p.combine != Combine::none || p.grouping != Grouping::none))
    return refuse("one runner's result is one row");
  if ((p.measure == Measure::division_winners) && p.who.division) p.measure = Measure::nth_place, p.nth = 1;
  if ((p.measure == Measure::top || p.measure == Measure::nth_place || p.measure == Measure::extreme ||
       p.measure == Measure::person || p.measure == Measure::division_winners) &&
      p.combine != Combine::none && p.combine != Combine::sum && p.grouping != Grouping::gender && p.grouping != Grouping::year &&
      p.grouping != Grouping::event)
    return refuse("rankings compare by year, event or gender");
  // one ranking over several editions ("the fastest ever"): only of editions run over the same distance
  if ((p.measure == Measure::top || p.measure == Measure::nth_place || (p.measure == Measure::extreme && p.field != Field::age) ||
       p.measure == Measure::statistic) &&
      p.combine == Combine::sum && p.compare_years.size() >= 2 && !p.race_distance_m) {
    std::int64_t distance = -1;
    for (const CatalogEvent* e : p.editions) {
      if (std::find(p.compare_years.begin(), p.compare_years.end(), e->year()) == p.compare_years.end()) continue;
      const CatalogRace* main = main_race(*e);
      if (distance >= 0 && (!main || !same_distance(main->distance_m, distance)))
        return refuse("its editions were run over different distances: name the distance");
      distance = main ? main->distance_m : 0;
    }
  }
  if (p.measure == Measure::share && p.combine == Combine::difference) return refuse("differences of shares are not computed");
  // only finishers have times and places: a DNF under 4 hours, or the share of starters who finished
  // under 4 hours (of starters, or of finishers?), is no question to guess at
  if (p.population != Population::finishers &&
      (p.who.on_time() || p.who.max_place || p.condition.on_time() || p.condition.max_place))
    return refuse("times and places belong to finishers: ask e.g. what percentage of finishers ran under 4 hours");
  if (p.measure == Measure::nth_place) p.limit = 1;
  p.limit = std::clamp(p.limit, 1, 1000);
  (void)result_word;  // read for its words: "how did", "placed" belong to a person's result
  return p;
}

std::vector<std::string> suggestions(const Catalog& catalog, const Plan* near) {
  const CatalogEvent* latest = near && near->event ? near->event : nullptr;
  if (!latest)
    for (const auto& e : catalog.events)
      if (!latest || e.event_date > latest->event_date) latest = &e;
  if (!latest) return {"Show me our events", "Which event had the most finishers last year?"};
  const std::string name = fmt::format("the {} {}", latest->event_name, latest->year());
  std::vector<std::string> out;
  if (near) {
    // what was understood, asked in words the grammar reads
    switch (near->measure) {
      case Measure::statistic:
        if (near->field == Field::age) out.push_back(fmt::format("What was the average age of finishers at {}?", name));
        else out.push_back(fmt::format("What was the average finish time at {}?", name));
        break;
      case Measure::nth_place:
      case Measure::extreme:
      case Measure::top: out.push_back(fmt::format("Who won {}?", name)); break;
      case Measure::share: out.push_back(fmt::format("What percentage of {} finishers were women?", name)); break;
      default: break;
    }
  }
  for (auto q : {fmt::format("How many runners finished {}?", name), fmt::format("Who won {}?", name),
                 fmt::format("Show me our events in {}", latest->year())})
    if (out.size() < 3 && std::find(out.begin(), out.end(), q) == out.end()) out.push_back(q);
  return out;
}

}  // namespace racetiming::nl
