// Answers worked out by hand on a tiny partner, on both databases: rankings of groups with a tie for the
// first place (every tied group is named, none chosen at random), finish-time bounds on an event of two
// distances (the main race's, not a 5K's times mixed with a 10K's), and pace bounds (across distances,
// per mile or per km, refused in no unit).
#include <boost/test/unit_test.hpp>

#include <set>

#include "racetiming/admin/partners.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/nl/engine.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

// The Creek 10K of 2024 has a 10K and a 5K; its 2023 edition a 10K of two finishers (average 47:00). Paces: Ann 4:00/km (6:26/mile), Bea 4:48 (7:43), Cal 5:30 (8:51),
// Dan 6:30 (10:28); Eve 4:48 (7:43), Fay 9:00 (14:29). NJ and NY have two finishers each, so do teams
// Alder and Birch.
const std::string kCreek =
    "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,state,team,status,chip_time,gun_time,"
    "splits\n"
    "Creek 10K,2024-05-04,10K,10000,1,Ann,Lee,F,34,NJ,Alder,finished,0:40:00,,\n"
    "Creek 10K,2024-05-04,10K,10000,2,Bea,Kim,F,36,NY,Birch,finished,0:48:00,,\n"
    "Creek 10K,2024-05-04,10K,10000,3,Cal,Day,M,41,NJ,Alder,finished,0:55:00,,\n"
    "Creek 10K,2024-05-04,10K,10000,4,Dan,Eng,M,45,NY,Birch,finished,1:05:00,,\n"
    "Creek 10K,2024-05-04,5K,5000,5,Eve,Fox,F,29,PA,,finished,0:24:00,,\n"
    "Creek 10K,2024-05-04,5K,5000,6,Fay,Gray,F,30,CT,,finished,0:45:00,,\n"
    "Creek 10K,2023-05-06,10K,10000,1,Gil,Hunt,M,50,NJ,Alder,finished,0:50:00,,\n"
    "Creek 10K,2023-05-06,10K,10000,2,Hal,Ives,F,40,NY,,finished,0:44:00,,\n";

const nl::AskContext kToday{.today = "2026-11-25"};

double number(nl::NlEngine& engine, const TenantContext& ctx, const std::string& q, std::size_t column = 0) {
  const auto answer = engine.ask(ctx, q, kToday);
  BOOST_REQUIRE_MESSAGE(answer.rows.rows.size() == 1u, q);
  const Value& v = answer.rows.rows.at(0).at(column);
  if (const auto i = as_int(v)) return static_cast<double>(*i);
  return std::get<double>(v);
}

// The groups an answer names (its first column), as a set.
std::set<std::string> groups(nl::NlEngine& engine, const TenantContext& ctx, const std::string& q) {
  std::set<std::string> out;
  for (const auto& row : engine.ask(ctx, q, kToday).rows.rows) out.insert(as_text(row.at(0)));
  return out;
}

void check_hand_answers(const std::string& url) {
  auto db = Database::open(url);
  db.migrate();
  TenantContext ctx;
  ctx.partner_id = admin::add_partner(db, "Creek Timing", "creek");
  ingest::import_interchange_csv(db, ctx.partner_id, kCreek);
  nl::NlEngine engine(db, {.cache_entries = 0});

  // ties for the first place: both groups, and the sentence says they tied
  const auto states = engine.ask(ctx, "Which state had the most finishers at the Creek 10K?", kToday);
  BOOST_TEST(states.rows.rows.size() == 2u);
  BOOST_TEST((groups(engine, ctx, "Which state had the most finishers at the Creek 10K?") == std::set<std::string>{"NJ", "NY"}));
  BOOST_TEST(states.summary.find("tied") != std::string::npos, states.summary);
  BOOST_TEST((groups(engine, ctx, "Which team had the most finishers at the Creek 10K?") == std::set<std::string>{"Alder", "Birch"}));
  // no tie: one group; and the fewest, tied three ways among the states of one finisher
  BOOST_TEST((groups(engine, ctx, "Which gender had the most finishers at the Creek 10K?") == std::set<std::string>{"F"}));
  BOOST_TEST((groups(engine, ctx, "Which state had the fewest finishers at the Creek 10K?") == std::set<std::string>{"CT", "PA"}));

  // a finish time bounds the main race (the 10K): Ann and Bea, not Eve and Fay of the 5K as well
  BOOST_TEST(number(engine, ctx, "How many runners finished the Creek 10K under 50 minutes?") == 2);
  BOOST_TEST(number(engine, ctx, "What percentage of Creek 10K finishers ran under 50 minutes?") == 50.0);
  BOOST_TEST(number(engine, ctx, "How many runners finished the 5K at the Creek 10K under 50 minutes?") == 2);

  // a pace holds across distances: Ann, Bea and Eve ran under 8:00 a mile (4:58 a km)
  BOOST_TEST(number(engine, ctx, "How many runners had a pace under 8 minutes per mile at the Creek 10K?") == 3);
  BOOST_TEST(number(engine, ctx, "How many runners finished the Creek 10K slower than 6:00 per km?") == 2);
  BOOST_TEST(number(engine, ctx, "How many runners finished the Creek 10K between 4:30 and 6:00 per km?") == 3);
  BOOST_TEST(number(engine, ctx, "What percentage of Creek 10K finishers ran faster than 5:00 per km?") == 50.0);
  const auto paced = engine.ask(ctx, "How many women finished the Creek 10K under 8:00 per mile?", kToday);
  BOOST_TEST(paced.summary.find("8:00 per mile") != std::string::npos, paced.summary);
  BOOST_CHECK_THROW(engine.ask(ctx, "How many runners ran a pace under 5 minutes at the Creek 10K?", kToday), nl::NlUnsupported);
  BOOST_TEST(number(engine, ctx, "How many runners finished the 2024 Creek 10K in under an hour?") == 3);
  BOOST_TEST(number(engine, ctx, "How many runners finished the 2024 Creek 10K in under 1 and a half hours?") == 4);

  // groups ranked by a statistic or a share: the one asked for, not every group listed
  BOOST_TEST((groups(engine, ctx, "Which state had the slowest average time at the 2024 Creek 10K?") == std::set<std::string>{"NY"}));
  BOOST_TEST((groups(engine, ctx, "Which year had the fastest average finish time at the Creek 10K?") == std::set<std::string>{"2023"}));
  const auto by_race = engine.ask(ctx, "What percentage of finishers were women at the 2024 Creek 10K by race?", kToday);
  BOOST_TEST(by_race.summary.find("10K 50.0%") != std::string::npos, by_race.summary);  // the share, not the race's size
  BOOST_TEST(by_race.summary.find("5K 100.0%") != std::string::npos, by_race.summary);

  // every edition in total, or one row per edition
  BOOST_TEST(number(engine, ctx, "How many finishers did the Creek 10K have in total over the years?") == 8);
  BOOST_TEST(engine.ask(ctx, "How many finishers did the Creek 10K have each year?", kToday).rows.rows.size() == 2u);
  // the fastest and slowest over every edition's 10K (each race's own, then the best of them)
  BOOST_TEST(number(engine, ctx, "What is the course record at the Creek 10K?") == 2'400'000);
  BOOST_TEST(number(engine, ctx, "What is the slowest time ever run at the Creek 10K?") == 3'900'000);
  BOOST_TEST(number(engine, ctx, "What is the fastest time ever run by a man at the Creek 10K?") == 3'000'000);  // Gil, 2023

  // lists and single people: the last two, everyone of a kind, the top one of a part of the field
  const auto last = engine.ask(ctx, "Who were the last 2 finishers at the 2024 Creek 10K?", kToday);
  BOOST_REQUIRE(last.rows.rows.size() == 2u);
  BOOST_TEST(as_text(last.rows.at(0, "first_name")) == "Dan");
  BOOST_TEST(as_text(last.rows.at(1, "first_name")) == "Cal");
  const auto women = engine.ask(ctx, "Which women finished the 2024 Creek 10K?", kToday);
  BOOST_REQUIRE(women.rows.rows.size() == 2u);  // the 10K's: Ann and Bea
  BOOST_TEST(as_text(women.rows.at(0, "first_name")) == "Ann");
  const auto top_ny = engine.ask(ctx, "Who was the top runner from NY at the 2024 Creek 10K?", kToday);
  BOOST_REQUIRE(top_ny.rows.rows.size() == 1u);
  BOOST_TEST(as_text(top_ny.rows.at(0, "first_name")) == "Bea");
  BOOST_TEST(top_ny.summary.find("won") == std::string::npos, top_ny.summary);  // first among NY runners, not the winner

  // a person per group is said per group; a grouped value says whose it is
  const auto winners = engine.ask(ctx, "Who won among women at the Creek 10K each year?", kToday);
  BOOST_REQUIRE(winners.rows.rows.size() == 2u);
  BOOST_TEST(winners.summary.find("2023: Hal Ives") != std::string::npos, winners.summary);
  BOOST_TEST(winners.summary.find("2024: Ann Lee") != std::string::npos, winners.summary);
  const auto ages = engine.ask(ctx, "What was the average age of women finishers at the Creek 10K each year?", kToday);
  BOOST_TEST(ages.summary.find("women") != std::string::npos, ages.summary);

  // spans of years: the editions within them, one row each, or their sum
  const auto since = engine.ask(ctx, "How many finishers did the Creek 10K have since 2023?", kToday);
  BOOST_REQUIRE(since.rows.rows.size() == 2u);
  BOOST_TEST(number(engine, ctx, "How many finishers did the Creek 10K have in total over the last 2 editions?") == 8);
  BOOST_TEST(number(engine, ctx, "How many finishers did the Creek 10K have in the last 3 years?") == 6);  // 2024-2026: 2024's
  BOOST_TEST(number(engine, ctx, "How many runners between 40 and 50 finished the Creek 10K in 2024?") == 2);  // Cal 41, Dan 45
  const auto busiest = engine.ask(ctx, "Which year since 2023 had the most finishers at the Creek 10K?", kToday);
  BOOST_REQUIRE(busiest.rows.rows.size() == 1u);
  BOOST_TEST(as_int(busiest.rows.rows.at(0).at(0)) == std::optional<std::int64_t>(2024));
  // genders together: one count, said so; a single runner said in the singular
  const auto either = engine.ask(ctx, "How many women or men finished the 2024 Creek 10K?", kToday);
  BOOST_REQUIRE(either.rows.rows.size() == 1u);
  BOOST_TEST(as_int(either.rows.rows.at(0).at(0)) == std::optional<std::int64_t>(6));
  BOOST_TEST(either.summary.find("6 women and men finished") != std::string::npos, either.summary);
  const auto when = engine.ask(ctx, "When was the Creek 10K in 2023?", kToday);
  BOOST_REQUIRE(when.rows.rows.size() == 1u);
  BOOST_TEST(when.summary.find("2023-05-06") != std::string::npos, when.summary);
  BOOST_TEST(engine.ask(ctx, "When was the Creek 10K?", kToday).rows.rows.size() == 2u);  // both editions
  BOOST_TEST(engine.ask(ctx, "Show me our events in 2023 and 2024", kToday).rows.rows.size() == 2u);  // each year's
  // a span kept by a follow-up: women each year since 2023 (Hal in 2023; Ann, Bea, Eve and Fay in 2024)
  nl::AskContext after = kToday;
  after.previous = nl::FollowUp{{"How many finishers did the Creek 10K have since 2023?"}};
  const auto span_women = engine.ask(ctx, "and for women?", after);
  BOOST_REQUIRE(span_women.rows.rows.size() == 2u);
  BOOST_TEST(as_int(span_women.rows.rows.at(0).at(1)) == std::optional<std::int64_t>(1));
  BOOST_TEST(as_int(span_women.rows.rows.at(1).at(1)) == std::optional<std::int64_t>(4));
  const auto home = engine.ask(ctx, "Where was the winner of the 2024 Creek 10K from?", kToday);
  BOOST_TEST(home.summary.find("Ann Lee") != std::string::npos, home.summary);
  BOOST_TEST(home.summary.find("from NJ") != std::string::npos, home.summary);
  const auto one = engine.ask(ctx, "How many women finished the 2024 Creek 10K under 41 minutes?", kToday);
  BOOST_TEST(one.summary.find("1 woman finished") != std::string::npos, one.summary);

  // "which year" asks for one year: the winning times ranked (2024: Ann 40:00; 2023: Hal 44:00), the men's
  // the other way round (2023: Gil 50:00; 2024: Cal 55:00)
  BOOST_TEST((groups(engine, ctx, "Which year had the fastest winning time at the Creek 10K?") == std::set<std::string>{"2024"}));
  BOOST_TEST((groups(engine, ctx, "Which year had the slowest winning time at the Creek 10K?") == std::set<std::string>{"2023"}));
  BOOST_TEST((groups(engine, ctx, "What year had the quickest winner at the Creek 10K?") == std::set<std::string>{"2024"}));
  const auto men = engine.ask(ctx, "Which year had the fastest men's winner at the Creek 10K?", kToday);
  BOOST_REQUIRE(men.rows.rows.size() == 1u);
  BOOST_TEST(as_text(men.rows.rows.at(0).at(0)) == "2023");
  BOOST_TEST(men.summary.find("men") != std::string::npos, men.summary);
  BOOST_TEST(engine.ask(ctx, "What was the fastest time each year at the Creek 10K?", kToday).rows.rows.size() == 2u);
  BOOST_TEST((groups(engine, ctx, "What was the year with the fastest winning time at the Creek 10K?") == std::set<std::string>{"2024"}));
  BOOST_TEST((groups(engine, ctx, "The state with the most finishers at the Creek 10K") == std::set<std::string>{"NJ", "NY"}));

  // a number of groups ranked by their count (2024: NJ 2, NY 2, CT 1, PA 1; ties with the last kept)
  const auto two = engine.ask(ctx, "Top 2 states by number of finishers at the 2024 Creek 10K", kToday);
  BOOST_TEST((groups(engine, ctx, "Top 2 states by number of finishers at the 2024 Creek 10K") == std::set<std::string>{"NJ", "NY"}));
  BOOST_TEST(two.summary.find("The 2 states with the most finishers") != std::string::npos, two.summary);
  BOOST_TEST((groups(engine, ctx, "Which 3 states had the most finishers at the 2024 Creek 10K?") ==
              std::set<std::string>{"NJ", "NY", "CT", "PA"}));
  BOOST_CHECK_THROW(engine.ask(ctx, "How many runners from the top 2 states finished the 2024 Creek 10K?", kToday), nl::NlUnsupported);
  BOOST_CHECK_THROW(engine.ask(ctx, "Top 2 states by average time at the 2024 Creek 10K", kToday), nl::NlUnsupported);
  BOOST_CHECK_THROW(engine.ask(ctx, "Top 2 states by finishers at the Creek 10K each year", kToday), nl::NlUnsupported);
  // "the youngest field" is the lowest average age (2024: 35.8; 2023: 45); "the youngest in the field" a person
  BOOST_TEST((groups(engine, ctx, "Which year had the youngest field at the Creek 10K?") == std::set<std::string>{"2024"}));
  const auto youngest = engine.ask(ctx, "Who was the youngest in the field at the 2024 Creek 10K?", kToday);
  BOOST_REQUIRE(youngest.rows.rows.size() == 1u);
  BOOST_TEST(as_text(youngest.rows.at(0, "first_name")) == "Eve");
  // follow-ups keep the groups: more of them, or the other end
  nl::AskContext after_states = kToday;
  after_states.previous = nl::FollowUp{{"Top 2 states by number of finishers at the 2024 Creek 10K"}};
  std::set<std::string> more;
  for (const auto& row : engine.ask(ctx, "what about the top 3?", after_states).rows.rows) more.insert(as_text(row.at(0)));
  BOOST_TEST((more == std::set<std::string>{"NJ", "NY", "CT", "PA"}));
  nl::AskContext after_year = kToday;
  after_year.previous = nl::FollowUp{{"Which year had the fastest winning time at the Creek 10K?"}};
  const auto slowest_year = engine.ask(ctx, "and the slowest?", after_year);
  BOOST_REQUIRE(slowest_year.rows.rows.size() == 1u);
  BOOST_TEST(as_text(slowest_year.rows.rows.at(0).at(0)) == "2023");
  // a share with no verb and one filter: the filter is the condition (4 women of the 6 finishers)
  const auto share = engine.ask(ctx, "Percentage of women at the 2024 Creek 10K", kToday);
  BOOST_TEST(share.summary.find("who were women: 66.7%") != std::string::npos, share.summary);
  BOOST_CHECK_THROW(engine.ask(ctx, "Percentage of women from NJ at the 2024 Creek 10K", kToday), nl::NlUnsupported);
  // a narrowed set of division winners says so
  const auto masters = engine.ask(ctx, "Who won the masters division at the 2024 Creek 10K?", kToday);
  BOOST_TEST(masters.summary.find("aged 40 or older") != std::string::npos, masters.summary);
}

}  // namespace

BOOST_AUTO_TEST_CASE(hand_answers_on_sqlite) {
  test::TempDir dir;
  check_hand_answers(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(hand_answers_on_postgresql) {
  check_hand_answers(test::ThrowawayPostgres::shared().create_database());
}
