// The compositional grammar, rule by rule for the rules added with it (ordinals, teams, every event of a
// period, where events were held), and the refusals of their own: every word accounted for, requests to
// change data, predictions, fields the data model does not hold.
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

#include "nl/render.hpp"
#include "nl/rules.hpp"
#include "racetiming/nl/plan.hpp"

using namespace racetiming::nl;

namespace {

Catalog make_catalog() {
  Catalog c;
  auto event = [&](std::int64_t id, std::string name, std::string date, std::string state, std::vector<CatalogRace> races) {
    c.events.push_back(CatalogEvent{id, std::move(name), std::move(date), "completed", std::move(races), "Town", std::move(state)});
  };
  event(1, "Big River Marathon", "2023-10-15", "NY", {{11, "Marathon", 42195}, {12, "Half Marathon", 21098}, {13, "5K", 5000}});
  event(2, "Big River Marathon", "2024-10-20", "NY", {{21, "Marathon", 42195}, {22, "Half Marathon", 21098}, {23, "5K", 5000}});
  event(3, "Boston Marathon", "2024-04-15", "MA", {{31, "Marathon", 42195}});
  event(4, "Riverfront 10K", "2024-06-08", "NY", {{41, "10K", 10000}});
  event(5, "New York City Marathon", "2024-11-03", "NY", {{51, "Marathon", 42195}});
  c.teams = {"Dutchess Running Club", "Hudson Striders"};
  c.aliases = {{"the River", "Big River Marathon"}};
  return c;
}

const Catalog& catalog() {
  static const Catalog c = make_catalog();
  return c;
}

const AskContext kToday{.today = "2026-11-25"};

Plan must(std::string_view q, const AskContext& context = kToday) {
  auto out = parse_question(q, catalog(), context);
  BOOST_REQUIRE_MESSAGE(out.plan, "refused: \"" << q << "\" because: " << out.refusal.reason);
  BOOST_TEST(out.plan->confidence == 1.0);
  return *out.plan;
}

Refusal refused(std::string_view q, std::string_view words, const AskContext& context = kToday) {
  auto out = parse_question(q, catalog(), context);
  BOOST_TEST(!out.plan, "answered: \"" << q << "\" as " << (out.plan ? to_string(out.plan->intent) : ""));
  BOOST_TEST(out.refusal.reason.find(words) != std::string::npos, "reason for \"" << q << "\" is: " << out.refusal.reason);
  BOOST_TEST(!out.refusal.suggestions.empty());
  BOOST_TEST(out.refusal.suggestions.size() <= 3u);
  return out.refusal;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compositional)

BOOST_AUTO_TEST_CASE(rule_ordinals) {
  const Plan third = must("Who finished third at the Boston Marathon?");
  BOOST_TEST((third.measure == Measure::nth_place));
  BOOST_TEST(third.nth == 3);
  BOOST_TEST((third.intent == Intent::nth_place));
  BOOST_TEST(must("Who came 10th at the Boston Marathon?").nth == 10);
  const Plan second = must("Who was the runner-up among women at the Boston Marathon?");
  BOOST_TEST(second.nth == 2);
  BOOST_TEST((second.who.gender == std::optional<char>('F')));
  // "the first 4" is a limit, not a place
  const Plan first = must("Who were the first 4 finishers at the Boston Marathon?");
  BOOST_TEST((first.measure == Measure::top));
  BOOST_TEST(first.limit == 4);
  // a placed person's time, pace or age: the place, with what was asked said beside it
  const Plan fastest2 = must("What was the second fastest time at the Boston Marathon?");
  BOOST_TEST((fastest2.measure == Measure::nth_place));
  BOOST_TEST(fastest2.nth == 2);
  const Plan tenth = must("What was the time of the 10th place finisher at the Boston Marathon?");
  BOOST_TEST((tenth.measure == Measure::nth_place));
  BOOST_TEST(tenth.nth == 10);
  const Plan pace = must("What was the winner's pace at the Boston Marathon?");
  BOOST_TEST((pace.measure == Measure::nth_place));
  BOOST_TEST((pace.field == Field::pace));
  const Plan age = must("How old was the runner-up at the Boston Marathon?");
  BOOST_TEST(age.nth == 2);
  BOOST_TEST((age.field == Field::age));
  refused("What was the second slowest time at the Boston Marathon?", "n-th");
  refused("What was the third fastest average time at the Boston Marathon?", "n-th");
}

BOOST_AUTO_TEST_CASE(rule_teams) {
  const Plan team = must("How many Hudson Striders finished the Boston Marathon?");
  BOOST_TEST((team.who.team == std::optional<std::string>("Hudson Striders")));
  BOOST_TEST(!team.who.city);
  BOOST_TEST((must("How many runners from the Dutchess Running Club finished the Riverfront 10K?").who.team ==
              std::optional<std::string>("Dutchess Running Club")));
  const Plan distinct = must("How many teams had finishers at the Riverfront 10K?");
  BOOST_TEST((distinct.measure == Measure::count_distinct));
  BOOST_TEST((distinct.field == Field::team));
}

BOOST_AUTO_TEST_CASE(rule_every_event_of_a_period) {
  const Plan year = must("How many runners finished our races in 2024?");
  BOOST_TEST(year.all_events);
  BOOST_TEST(year.events.size() == 4u);  // every 2024 event
  BOOST_TEST(must("How many women finished one of our 2023 races?").events.size() == 1u);
  const Plan none = must("How many finishers did we have in 2021?");
  BOOST_TEST(none.events.empty());
  BOOST_TEST(scope_races(none).empty());  // the SQL then matches nothing
  // times across distances do not compare
  refused("What was the average finish time of our races in 2024?", "different distances");
  refused("How many runners finished our races in 2024 under 30 minutes?", "different distances");
  BOOST_TEST(must("What was the average marathon finish time in our races in 2024?").race_distance_m == 42195);
}

BOOST_AUTO_TEST_CASE(rule_where_events_were_held) {
  const Plan held = must("Which events did we hold in Massachusetts?");
  BOOST_TEST((held.measure == Measure::events));
  BOOST_TEST((held.event_state == std::optional<std::string>("MA")));
  // "New York" inside an event's name is the event's
  const Plan nyc = must("How many runners finished the New York City Marathon?");
  BOOST_TEST(nyc.event_name == "New York City Marathon");
  BOOST_TEST(!nyc.event_state);
}

BOOST_AUTO_TEST_CASE(aliases_of_the_partners_own) {
  const Plan alias = must("How many runners finished the River in 2023?");
  BOOST_TEST(alias.event_name == "Big River Marathon");
  BOOST_TEST(alias.event->event_id == 1);
}

BOOST_AUTO_TEST_CASE(shares_split_population_from_condition) {
  const Plan women = must("What percentage of Boston Marathon finishers were women?");
  BOOST_TEST((women.measure == Measure::share));
  BOOST_TEST((women.population == Population::finishers));
  BOOST_TEST((women.condition.gender == std::optional<char>('F')));
  BOOST_TEST(!women.who.gender);
  const Plan rate = must("What percentage of starters finished the Boston Marathon?");
  BOOST_TEST((rate.population == Population::starters));
  BOOST_TEST((rate.condition.status == std::optional<std::string>("finished")));
  BOOST_TEST((rate.intent == Intent::percent));
  const Plan among = must("What is the percentage of women among the Boston Marathon finishers?");
  BOOST_TEST((among.condition.gender == std::optional<char>('F')));
  const Plan of_women = must("What percentage of women finished the Boston Marathon?");
  BOOST_TEST((of_women.who.gender == std::optional<char>('F')));
  BOOST_TEST((of_women.condition.status == std::optional<std::string>("finished")));
  refused("What percentage of the Boston Marathon finishers?", "a share of whom?");
}

BOOST_AUTO_TEST_CASE(comparisons_differences_and_sums) {
  const Plan more = must("How many more finishers did the Big River Marathon have in 2024 than in 2023?");
  BOOST_TEST((more.combine == Combine::difference));
  BOOST_TEST(more.compare_years == (std::vector<int>{2024, 2023}), boost::test_tools::per_element());
  const Plan fewer = must("How many fewer finishers did the Big River Marathon have in 2023 than in 2024?");
  BOOST_TEST(fewer.compare_years == (std::vector<int>{2024, 2023}), boost::test_tools::per_element());
  const Plan together = must("How many people finished the Big River Marathon in 2023 and 2024 together?");
  BOOST_TEST((together.combine == Combine::sum));
  BOOST_TEST((together.grouping == Grouping::none));
  const Plan versus = must("How many finishers did the Big River Marathon have in 2023 compared with 2024?");
  BOOST_TEST((versus.combine == Combine::versus));
  BOOST_TEST((versus.grouping == Grouping::year));
  const Plan genders = must("Compare the average finish time of men and women at the Boston Marathon");
  BOOST_TEST((genders.grouping == Grouping::gender));
  BOOST_TEST(genders.compare_genders.size() == 2u);
  const Plan events = must("Did the Boston Marathon or the Riverfront 10K have more finishers?");
  BOOST_TEST(events.events.size() == 2u);
  BOOST_TEST((events.grouping == Grouping::event));
  const Plan top = must("How many of the top 50 finishers at the Boston Marathon were women?");
  BOOST_TEST((top.who.max_place == std::optional<int>(50)));
  BOOST_TEST(!top.place_among_gender);
  BOOST_TEST(must("How many of the top 10 women at the Boston Marathon were masters?").place_among_gender);
}

BOOST_AUTO_TEST_CASE(every_word_is_accounted_for) {
  const auto r = refused("How many runners finished the Boston Marathon in the rain?", "'rain'");
  BOOST_TEST(r.unknown_words == (std::vector<std::string>{"rain"}), boost::test_tools::per_element());
  refused("How many runners finished the Boston Marathon by shoe size?", "shoes");
  refused("How many runners finished the Boston Marathon, not counting walkers?", "'not'");
  refused("How many runners were at the Boston Marathon?", "count whom");
  refused("What was the time at the Boston Marathon?", "which statistic");
}

BOOST_AUTO_TEST_CASE(refusals_of_their_own) {
  refused("Change bib 12's time at the Riverfront 10K to 30 minutes", "never change data");
  refused("Please delete the Boston Marathon", "never change data");
  refused("Who will win the Boston Marathon next year?", "not predictions");
  refused("Predict the winning time at the Riverfront 10K", "not predictions");
  refused("What is the phone number of the Riverfront 10K winner?", "phone numbers");
  refused("How much prize money did the Boston Marathon winner get?", "prize money");
  refused("What were the email addresses of the Boston Marathon finishers?", "email addresses");
  refused("How many women with a gmail address finished the Boston Marathon?", "email addresses");
  refused("What was the average weight in kilograms of the Boston Marathon finishers?", "body weight");
}

BOOST_AUTO_TEST_CASE(follow_ups_reuse_the_previous_question) {
  AskContext after = kToday;
  after.previous = FollowUp{{"How many runners finished the Boston Marathon under 3 hours?"}};
  const Plan women = must("and for women?", after);
  BOOST_TEST(women.event_name == "Boston Marathon");
  BOOST_TEST((women.who.gender == std::optional<char>('F')));
  BOOST_TEST((women.who.max_time_ms == std::optional<std::int64_t>(10'800'000)));
  // three steps: the second's changes carry into the third
  after.previous = FollowUp{{"How many people finished the marathon at the 2023 Big River Marathon?", "and the half?"}};
  const Plan half_2024 = must("what about 2024?", after);
  BOOST_TEST(half_2024.event->event_id == 2);
  BOOST_TEST(half_2024.race->race_id == 22);
  // a follow-up of a refused question has nothing to follow
  after.previous = FollowUp{{"What's the weather in Boston?"}};
  BOOST_TEST(!parse_question("and for women?", catalog(), after).plan);
  // the other end of a ranking; a placed person's pace; every edition
  after.previous = FollowUp{{"Which state had the most finishers at the 2024 Big River Marathon?"}};
  const Plan fewest = must("and the fewest?", after);
  BOOST_TEST(fewest.rank_groups);
  BOOST_TEST(fewest.descending);
  after.previous = FollowUp{{"Who were the 5 fastest finishers at the 2024 Big River Marathon?"}};
  BOOST_TEST(must("and the slowest?", after).descending);
  after.previous = FollowUp{{"Who won the 2024 Big River Marathon?"}};
  BOOST_TEST((must("what was their pace?", after).field == Field::pace));
  BOOST_TEST((must("how old were they?", after).field == Field::age));
  after.previous = FollowUp{{"What was the fastest time at the Big River Marathon in 2024?"}};
  const Plan ever = must("and ever?", after);
  BOOST_TEST((ever.combine == Combine::sum));
  BOOST_TEST((ever.compare_years == std::vector<int>{2023, 2024}));
  after.previous = FollowUp{{"How many runners finished the 2024 Big River Marathon?"}};
  refused("and the fastest?", "of what", after);
  // spans of years: kept by a follow-up that names none, made one row each when a follow-up says one
  after.previous = FollowUp{{"How many finishers did the Big River Marathon have since 2023?"}};
  const Plan span_women = must("and for women?", after);
  BOOST_TEST((span_women.compare_years == std::vector<int>{2023, 2024}));
  BOOST_TEST((span_women.grouping == Grouping::year));
  const Plan one_year = must("and in 2023?", after);
  BOOST_TEST(one_year.compare_years.empty());
  BOOST_TEST((one_year.grouping == Grouping::none));
  BOOST_TEST(one_year.event->event_id == 1);
  after.previous = FollowUp{{"How many runners finished the 2024 Big River Marathon?"}};
  const Plan span = must("what about the last 4 years?", after);
  BOOST_TEST((span.compare_years == std::vector<int>{2023, 2024}));
  BOOST_TEST((span.combine == Combine::versus));
  after.previous = FollowUp{{"Who won the 2024 Big River Marathon?"}};
  BOOST_TEST((must("where was he from?", after).field == Field::state));
}

// A time relative to another runner is no chip-time bound: refused, never read as "under 10 minutes".
BOOST_AUTO_TEST_CASE(relative_times_are_refused) {
  refused("How many people finished within 10 minutes of the winner at the Riverfront 10K?", "within");
  refused("How many runners finished over 5 minutes behind the winner at the Boston Marathon?", "over");
  BOOST_TEST((must("How many runners finished the Riverfront 10K within 45 minutes?").who.max_time_ms == std::optional<std::int64_t>(2'700'000)));
}

// Words that look like a measure but ask something else: refused, or read as what they ask.
BOOST_AUTO_TEST_CASE(people_counts_relative_to_a_statistic_or_in_both_editions_are_refused) {
  refused("How many runners finished the Boston Marathon faster than the average?", "faster than what");
  refused("How many runners finished the Big River Marathon in both 2023 and 2024?", "both");
  BOOST_TEST(to_string(must("Who had the fastest time at the Boston Marathon?").intent) == "winner");
  BOOST_TEST(to_string(must("Who had the slowest time at the Boston Marathon?").intent) == "extreme_person");
  refused("Who had the best gun time at the Boston Marathon?", "who ranks");
  refused("What percentage of men finished under 4 hours at the Boston Marathon?", "belong to finishers");
  refused("How many runners did not finish under 4 hours at the Boston Marathon?", "belong to finishers");
  refused("How many runners are registered for upcoming events?", "upcoming");
  BOOST_TEST(to_string(must("What percentage of male finishers ran under 4 hours at the Boston Marathon?").intent) == "share");
}

// Initials of the words that tell an event apart, in capitals, are its alias without registering one;
// lower case "nyc" could be a word, so it is not read.
BOOST_AUTO_TEST_CASE(common_aliases_are_initials_in_capitals) {
  BOOST_TEST(must("How many runners finished NYC in 2024?").event->event_id == 5);
  BOOST_TEST(must("Who won the NYC Marathon?").event->event_id == 5);
  BOOST_TEST(must("how many finished the River in 2023?").event->event_id == 1);  // the partner's own alias
  refused("How many runners finished nyc in 2024?", "nyc");
}

// "Which X had the fastest average time / highest finish rate": groups ranked by the value, the first one
// (ties kept by the statement); a list of a part of the field; the top one of it; every edition summed.
BOOST_AUTO_TEST_CASE(rule_year_spans) {
  // a span of years is the event's editions within it (Big River: 2023 and 2024; today 2026-11-25)
  for (const char* q : {"How many finishers did the Big River Marathon have from 2023 to 2024?",
                        "How many finishers did the Big River Marathon have between 2023 and 2024?",
                        "How many finishers did the Big River Marathon have 2023-2024?",
                        "How many finishers did the Big River Marathon have since 2023?",
                        "How many finishers did the Big River Marathon have in the last 4 years?",
                        "How many finishers did the Big River Marathon have over the past 4 years?",
                        "How many finishers did the Big River Marathon have over its last 2 editions?",
                        "How many finishers did the Big River Marathon have from 2021 through 2024?"}) {
    const Plan p = must(q);
    BOOST_TEST((p.compare_years == std::vector<int>{2023, 2024}), q);
    BOOST_TEST((p.grouping == Grouping::year), q);
  }
  // the last 3 years are 2024 to 2026: one edition held in them
  const Plan recent = must("How many finishers did the Big River Marathon have in the last 3 years?");
  BOOST_TEST(recent.compare_years.empty());
  BOOST_TEST((recent.year == std::optional<int>(2024)));
  BOOST_TEST(recent.event->event_id == 2);
  const Plan total = must("How many finishers did the Big River Marathon have in total over the last 2 editions?");
  BOOST_TEST((total.combine == Combine::sum));
  BOOST_TEST((total.compare_years == std::vector<int>{2023, 2024}));
  // a superlative over a span is one person or value over its editions; "each year" one per edition
  const Plan youngest = must("Who was the youngest woman to finish the Big River Marathon since 2023?");
  BOOST_TEST((youngest.combine == Combine::sum));
  BOOST_TEST((youngest.compare_years == std::vector<int>{2023, 2024}));
  BOOST_TEST((must("What was the fastest time at the Big River Marathon each year since 2023?").grouping == Grouping::year));
  // the span's editions ranked
  const Plan ranked = must("Which year since 2023 had the most finishers at the Big River Marathon?");
  BOOST_TEST(ranked.rank_groups);
  BOOST_TEST((ranked.grouping == Grouping::year));
  BOOST_TEST((ranked.compare_years == std::vector<int>{2023, 2024}));
  // the period's events: every year of the span
  const Plan ours = must("How many runners finished our races since 2023?");
  BOOST_TEST(ours.all_events);
  BOOST_TEST((ours.compare_years == std::vector<int>{2023, 2024, 2025, 2026}));
  refused("How many finishers did the Big River Marathon have from 2019 to 2021?", "no edition from 2019 to 2021");
  refused("How many finishers did the Big River Marathon have in 2023, 2024 and 2025?", "no 2025 edition");
  refused("How many finishers did we have over the last 3 editions?", "which event");
  refused("How many finishers did the Big River Marathon and the Boston Marathon have since 2023?", "one event at a time");
  refused("How many finishers did the Big River Marathon have in the last few years?", "few");
  // a person's ages between two numbers; minutes when a unit says so
  const Plan aged = must("How many runners between 40 and 50 finished the Boston Marathon?");
  BOOST_TEST((aged.who.min_age == std::optional<int>(40)));
  BOOST_TEST((aged.who.max_age == std::optional<int>(50)));
  const Plan women = must("How many women aged between 30 and 39 finished the Boston Marathon?");
  BOOST_TEST((women.who.max_age == std::optional<int>(39)));
  BOOST_TEST((women.who.gender == std::optional<char>('F')));
  const Plan minutes = must("How many runners finished between 40 and 50 minutes at the Riverfront 10K?");
  BOOST_TEST(!minutes.who.min_age);
  BOOST_TEST((minutes.who.max_time_ms == std::optional<std::int64_t>(50 * 60'000)));
}

BOOST_AUTO_TEST_CASE(rule_each_event_and_genders_together) {
  for (const char* q : {"How many finishers did each of our events have in 2024?",
                        "How many finishers did every one of our races have in 2024?"}) {
    const Plan p = must(q);
    BOOST_TEST(p.all_events, q);
    BOOST_TEST((p.grouping == Grouping::event), q);
  }
  BOOST_TEST((must("How many runners finished any of our races in 2024?").grouping == Grouping::none));
  const Plan each_10k = must("What was the average finish time at each of our 10Ks in 2024?");
  BOOST_TEST((each_10k.grouping == Grouping::event));
  BOOST_TEST(each_10k.race_distance_m == 10000);
  BOOST_TEST((must("How many finishers each did our 2024 events have?").grouping == Grouping::event));
  // "which marathon": which of the period's events, by their marathons
  for (const char* q : {"Which marathon had the fastest average time in 2024?", "What marathon had the most finishers in 2024?"}) {
    const Plan p = must(q);
    BOOST_TEST((p.grouping == Grouping::event), q);
    BOOST_TEST(p.rank_groups, q);
    BOOST_TEST(p.race_distance_m == 42195, q);
  }
  refused("How many finishers did the Boston Marathon have each?", "each of what");
  // gun time: a statistic or a placed runner's, never a bound read on chip time instead
  refused("How many runners had a gun time under 4 hours at the Boston Marathon?", "read chip time");
  BOOST_TEST((must("What was the winner's gun time at the Boston Marathon?").field == Field::gun_time));
  BOOST_TEST((must("What was the average gun time at the Boston Marathon?").field == Field::gun_time));
  // "women or non-binary runners": both counted together; "more men or women" compares them
  const Plan either = must("How many women or non-binary runners finished the Boston Marathon?");
  BOOST_TEST((either.combine == Combine::sum));
  BOOST_TEST((either.compare_genders == std::vector<char>{'F', 'X'}));
  const Plan more = must("Did more women or men finish the Boston Marathon?");
  BOOST_TEST((more.combine != Combine::sum));
  refused("What was the average time of women or non-binary runners at the Boston Marathon?", "together is counted");
  // a runner's history is not kept: "first-time" is not the winner, "personal best" not the fastest
  refused("How many first-time runners were at the Boston Marathon?", "'first time'");
  refused("Who set a personal best at the Boston Marathon?", "not a runner's history");
  refused("How many returning runners finished the Boston Marathon?", "not a runner's history");
  // "who ran the most races" counts a person's races: not an event with the most runners
  refused("Who has run the most races with us?", "not by person");
  refused("Which runner ran the most races in 2024?", "not by person");
  // "more" against nothing named is refused, not dropped; "the difference between" men and women subtracts
  refused("How many people ran more than one of our races in 2024?", "against what");
  const Plan gap = must("What was the difference between the average times of men and women at the Boston Marathon?");
  BOOST_TEST((gap.combine == Combine::difference));
  BOOST_TEST((gap.compare_genders == std::vector<char>{'M', 'F'}));
  // when and where an event was: its editions' dates and places
  for (const char* q : {"When was the Boston Marathon in 2024?", "Where was the Boston Marathon held in 2024?",
                        "What date was the Boston Marathon?"}) {
    const Plan when = must(q);
    BOOST_TEST((when.measure == Measure::events), q);
    BOOST_TEST(when.event_name == "Boston Marathon", q);
  }
  const Plan home = must("Where was the winner of the Boston Marathon from?");
  BOOST_TEST((home.measure == Measure::nth_place));
  BOOST_TEST((home.field == Field::state));
  refused("When was the Boston Marathon by gender?", "date and place");
  // a breakdown with no population word asks whom to count
  refused("What is the gender breakdown at the Boston Marathon?", "count whom");
}

BOOST_AUTO_TEST_CASE(rule_ranked_groups_lists_and_totals) {
  const Plan fastest = must("Which age group had the fastest average time at the 2024 Big River Marathon?");
  BOOST_TEST((fastest.grouping == Grouping::division));
  BOOST_TEST(fastest.rank_groups);
  BOOST_TEST(fastest.descending);  // the smallest average first
  BOOST_TEST(fastest.limit == 1);
  const Plan slowest_win = must("Which year had the slowest winning time at the Big River Marathon?");
  BOOST_TEST((slowest_win.statistic == Statistic::minimum));
  BOOST_TEST((slowest_win.grouping == Grouping::year));
  BOOST_TEST(!slowest_win.descending);  // the largest of the winning times
  const Plan rate = must("Which event had the highest finish rate in 2024?");
  BOOST_TEST((rate.measure == Measure::share));
  BOOST_TEST((rate.grouping == Grouping::event));
  BOOST_TEST(!rate.descending);
  BOOST_TEST((must("Which gender had the most finishers at the Boston Marathon?").grouping == Grouping::gender));
  refused("Which age group had the fastest median time at the Boston Marathon?", "median");
  refused("Which event had the best finish rate in 2024?", "highest or lowest");

  const Plan list = must("Show me the finishers from New Jersey at the Boston Marathon");
  BOOST_TEST((list.measure == Measure::top));
  BOOST_TEST(list.list_all);
  BOOST_TEST(list.limit == 100);
  const Plan last = must("Who were the last 3 finishers at the Boston Marathon?");
  BOOST_TEST((last.measure == Measure::top));
  BOOST_TEST(last.descending);
  BOOST_TEST(last.limit == 3);
  const Plan one = must("Who was the top masters runner at the Boston Marathon?");
  BOOST_TEST((one.measure == Measure::nth_place));
  BOOST_TEST((one.who.min_age == std::optional<int>(40)));
  BOOST_TEST((must("Who were the top masters runners at the Boston Marathon?").measure == Measure::top));

  const Plan total = must("How many finishers did the Big River Marathon have in total over the years?");
  BOOST_TEST((total.grouping == Grouping::none));
  BOOST_TEST((total.combine == Combine::sum));
  BOOST_TEST((total.compare_years == std::vector<int>{2023, 2024}));
  BOOST_TEST((must("How many finishers did the Big River Marathon have in total each year?").grouping == Grouping::year));

  // an age group's ages without its gender; "between" two editions compares them
  const Plan band = must("How many finishers were in the 50-54 age group at the Boston Marathon?");
  BOOST_TEST((band.who.min_age == std::optional<int>(50)));
  BOOST_TEST((band.who.max_age == std::optional<int>(54)));
  BOOST_TEST(!band.who.gender);
  BOOST_TEST((must("How many runners aged 30-39 finished the Boston Marathon?").who.max_age == std::optional<int>(39)));
  refused("How many runners aged 40-30 finished the Boston Marathon?", "40-30");  // a range that is none: unread
  const Plan between = must("Compare finishers between the 2023 and 2024 Big River Marathon");
  BOOST_TEST((between.compare_years == std::vector<int>{2023, 2024}));
  BOOST_TEST((between.combine == Combine::versus));

  // yes-or-no questions answered by a count; represented states; ages by decade; the oldest average
  const Plan anyone = must("Did anyone break 3 hours at the Boston Marathon?");
  BOOST_TEST((anyone.measure == Measure::count));
  BOOST_TEST((anyone.who.max_time_ms == std::optional<std::int64_t>(3 * 3'600'000)));
  const Plan states = must("Which states were represented at the Boston Marathon?");
  BOOST_TEST((states.grouping == Grouping::state));
  BOOST_TEST((states.population == Population::entries));
  BOOST_TEST((must("What's the age breakdown of finishers at the Boston Marathon?").grouping == Grouping::age_band));
  const Plan youngest_avg = must("Which of our 2024 events had the youngest average age?");
  BOOST_TEST(youngest_avg.rank_groups);
  BOOST_TEST((youngest_avg.grouping == Grouping::event));
  BOOST_TEST(youngest_avg.descending);  // the lowest average first
  const Plan oldest_avg = must("Which event had the oldest average age in 2024?");
  BOOST_TEST((oldest_avg.statistic == Statistic::average));
  BOOST_TEST(oldest_avg.rank_groups);
  BOOST_TEST(!oldest_avg.descending);  // the highest average first
  const Plan clock = must("How many finishers ran between 3 and 3:30 at the Boston Marathon?");
  BOOST_TEST((clock.who.min_time_ms == std::optional<std::int64_t>(3 * 3'600'000)));
  BOOST_TEST((clock.who.max_time_ms == std::optional<std::int64_t>(7 * 1'800'000)));
  refused("What percentage of finishers at the Boston Marathon qualified for Boston?", "Boston qualifiers");

  // a place as a share's condition; "among" inside the population
  const Plan top_share = must("What percentage of women finished in the top 10 at the Boston Marathon?");
  BOOST_TEST((top_share.condition.max_place == std::optional<int>(10)));
  BOOST_TEST(!top_share.who.max_place);
  BOOST_TEST((top_share.who.gender == std::optional<char>('F')));
  BOOST_TEST((top_share.population == Population::finishers));
  const Plan among = must("What percentage of the women among the top 10 finishers were over 40 at the Boston Marathon?");
  BOOST_TEST((among.who.gender == std::optional<char>('F')));
  BOOST_TEST((among.who.max_place == std::optional<int>(10)));
  BOOST_TEST((among.condition.min_age == std::optional<int>(40)));

  // a team's win is not computed; a grouping over every edition together; one grouping at a time
  refused("Which team won the Boston Marathon?", "team");
  const Plan over = must("Which age group had the most finishers over the years at the Big River Marathon?");
  BOOST_TEST(over.rank_groups);
  BOOST_TEST((over.grouping == Grouping::division));
  BOOST_TEST((over.combine == Combine::sum));
  BOOST_TEST((over.compare_years == std::vector<int>{2023, 2024}));
  refused("Which age group had the most finishers at the Big River Marathon each year?", "one grouping");
  // "18 and under", "18 or younger": 18 included; "how fast was the winner": the winner's time
  BOOST_TEST((must("How many finishers were 18 or younger at the Boston Marathon?").who.max_age == std::optional<int>(18)));
  BOOST_TEST((must("How many finishers were 18 and under at the Boston Marathon?").who.max_age == std::optional<int>(18)));
  BOOST_TEST((must("How fast was the winner of the Boston Marathon?").measure == Measure::nth_place));
  // "pace" before a pace bound is also what is averaged
  const Plan paced = must("What was the average pace under 9 minutes per mile at the Boston Marathon?");
  BOOST_TEST((paced.field == Field::pace));
  BOOST_TEST(paced.who.max_pace_ms.has_value());

  const Plan marathons = must("How many runners finished our marathons in 2024?");
  BOOST_TEST(marathons.all_events);
  BOOST_TEST(marathons.race_distance_m == 42195);
}

BOOST_AUTO_TEST_SUITE_END()
