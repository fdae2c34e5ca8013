// racetiming::Engine, the one API every host calls: open, administer, authenticate, and through a Tenant
// read, write, import and ask, on SQLite and on a throwaway PostgreSQL, against the shared fixtures.
#define BOOST_TEST_MODULE engine
#include <boost/test/unit_test.hpp>

#include <thread>

#include "racetiming/format/markdown.hpp"
#include "racetiming/racetiming.hpp"
#include "test_support.hpp"

using namespace racetiming;
using service::Resource;

namespace {

const nl::AskContext kToday{.today = "2026-11-25"};

void check_engine(const std::string& url) {
  Engine engine(url);
  BOOST_TEST(engine.schema_version() > 0);
  const auto big_river = engine.add_partner("Big River Race Management", "big-river");
  const auto other = engine.add_partner("Mid-Hudson Road Runners", "mid-hudson");
  auto tenant = engine.tenant(big_river);

  // import from a file; a second import changes nothing
  const auto report = tenant.import_file((test::shared_dir() / "fixtures" / "big-river.csv").string());
  BOOST_TEST(report.created == 10470u);
  BOOST_TEST(tenant.import_file((test::shared_dir() / "fixtures" / "big-river.csv").string()).unchanged == 10470u);
  engine.tenant(other).import_file((test::shared_dir() / "fixtures" / "mid-hudson.csv").string());

  // typed reads with filters and paging
  const auto boston = tenant.events({.name_contains = "Boston"}, {.limit = 10});
  BOOST_REQUIRE(!boston.items.empty());
  BOOST_TEST(boston.items[0].event_name == "Boston Marathon");
  BOOST_TEST(tenant.event(boston.items[0].event_id).event_date == boston.items[0].event_date);
  const auto races = tenant.races({.event_id = boston.items[0].event_id});
  BOOST_REQUIRE(races.items.size() == 1u);
  BOOST_TEST(races.items[0].distance_m == 42195);
  const auto top = tenant.results({.race_id = races.items[0].race_id}, {.limit = 3});
  BOOST_REQUIRE(top.items.size() == 3u);
  BOOST_TEST(!top.next_cursor.empty());
  BOOST_TEST(top.items[0].overall_place == 1);
  BOOST_TEST(*top.items[0].results_time_ms <= *top.items[1].results_time_ms);
  const auto next = tenant.results({.race_id = races.items[0].race_id}, {.limit = 3, .cursor = top.next_cursor});
  BOOST_TEST(*next.items[0].results_time_ms >= *top.items[2].results_time_ms);
  BOOST_TEST(tenant.result(top.items[0].result_id).participant_id == top.items[0].participant_id);
  BOOST_TEST(tenant.participant(top.items[0].participant_id).bib == top.items[0].bib);
  const auto dnfs = tenant.participants({.race_id = races.items[0].race_id, .status = "dnf"}, {.limit = 1000});
  for (const auto& p : dnfs.items) BOOST_TEST(p.status == "dnf");
  BOOST_TEST(!dnfs.items.empty());
  BOOST_TEST(test::error_code_of([&] { tenant.results({}, {.limit = 0}); }) == ErrorCode::invalid_parameter);
  // another partner's ids are not found, whether or not they exist
  BOOST_TEST(test::error_code_of([&] { engine.tenant(other).event(boston.items[0].event_id); }) == ErrorCode::not_found);

  // questions: an answer, a follow-up through its context, a refusal with suggestions
  auto answer = tenant.ask("How many runners finished the Boston Marathon under 3 hours?", kToday);
  BOOST_REQUIRE(answer.has_value());
  BOOST_TEST(as_int(answer->rows.rows.at(0).at(0)) == 73);
  BOOST_TEST(!answer->interpretation.empty());
  nl::AskContext follow = kToday;
  follow.previous = answer->context;
  const auto women = tenant.ask("and for women?", follow);
  BOOST_REQUIRE(women.has_value());
  BOOST_TEST(*as_int(women->rows.rows.at(0).at(0)) < 73);
  const auto refused = tenant.ask("What is the phone number of the Boston Marathon winner?", kToday);
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(!refused.error().reason.empty());
  BOOST_TEST(test::error_code_of([&] { tenant.ask("bad \xff utf-8"); }) == ErrorCode::invalid_parameter);

  // writes, then the record reads back through the typed read
  const auto created = tenant.create(Resource::event, {{"event_name", std::string("Engine 5K")}, {"event_date", std::string("2026-05-01")}});
  BOOST_TEST(tenant.event(created.id).event_name == "Engine 5K");
  tenant.update(Resource::event, created.id, {{"city", std::string("Albany")}});
  BOOST_TEST(tenant.event(created.id).city.value_or("") == "Albany");
  tenant.remove(Resource::event, created.id);
  BOOST_TEST(test::error_code_of([&] { tenant.event(created.id); }) == ErrorCode::not_found);
  BOOST_TEST(test::error_code_of([&] { tenant.create(Resource::event, {{"event_name", std::string("No date")}}); }) ==
             ErrorCode::invalid_parameter);

  // aliases through the tenant reach ask
  const auto alias = tenant.add_event_alias("the BRM", "Big River Marathon");
  BOOST_TEST(tenant.event_aliases().size() == 1u);
  BOOST_TEST(tenant.ask("How many finishers did the BRM have in 2023?", kToday).has_value());
  tenant.remove_event_alias(alias.event_alias_id);
  BOOST_TEST(tenant.event_aliases().empty());

  // bad input loses nothing: a bad row aborts the whole file; a missing file is a parameter error
  const auto before = tenant.events({}, {.limit = 1000}).items.size();
  const std::string bad =
      "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\n"
      "New 10K,2026-06-01,10K,10000,1,Ann,Lee,F,34,finished,0:40:00\n"
      "New 10K,2026-06-01,10K,10000,2,Bob,Ray,Q,34,finished,0:41:00\n";
  BOOST_TEST(test::error_code_of([&] { tenant.import_csv(bad); }) == ErrorCode::invalid_input);
  BOOST_TEST(tenant.events({}, {.limit = 1000}).items.size() == before);
  const auto skipped = tenant.import_csv(bad, {.on_error = ingest::OnError::skip});
  BOOST_TEST(skipped.skipped == 1u);
  BOOST_TEST(skipped.errors.size() == 1u);
  BOOST_TEST(test::error_code_of([&] { tenant.import_file("/nonexistent/results.csv"); }) == ErrorCode::invalid_parameter);
  BOOST_TEST(test::error_code_of([&] { engine.tenant(987654); }) == ErrorCode::not_found);

  // credentials: a key's tenant carries the key's permissions, and each call checks them
  const auto key = engine.create_key(big_river);
  const auto reader = engine.authenticate_key(key.api_key);
  BOOST_TEST(reader.partner_id() == big_river);
  BOOST_TEST(reader.results({}, {.limit = 1}).items.size() == 1u);
  BOOST_TEST(test::error_code_of([&] { reader.create(Resource::event, {{"event_name", std::string("X")}}); }) == ErrorCode::forbidden);
  BOOST_TEST(test::error_code_of([&] { reader.import_csv(bad); }) == ErrorCode::forbidden);
  BOOST_TEST(engine.cached_key(key.api_key).has_value());
  BOOST_TEST(test::error_code_of([&] { engine.authenticate_key("rt_000000000000_nope"); }) == ErrorCode::unauthenticated);
  BOOST_TEST(test::error_code_of([&] { engine.authenticate_key(""); }) == ErrorCode::unauthenticated);
  BOOST_TEST(!engine.issues_tokens());
  BOOST_TEST(test::error_code_of([&] { engine.authenticate_token("x.y.z"); }) == ErrorCode::unauthenticated);
  BOOST_TEST(test::error_code_of([&] { engine.issue_token(reader); }) == ErrorCode::not_found);

  // the natural-language login: the message names the person and partner, the key proves them
  engine.add_user(big_river, "Josh Adams");
  const auto login = engine.natural_login(reader, "I'm Josh from Big River Race Management, show me our events");
  BOOST_TEST(login.tenant.partner_id() == big_river);
  BOOST_TEST(login.request == "show me our events");
  BOOST_TEST(test::error_code_of([&] { engine.natural_login(reader, "I'm Josh from Mid-Hudson Road Runners"); }) ==
             ErrorCode::unauthenticated);

  // a Tenant keeps its engine's database open after the Engine handle is gone
  std::optional<Tenant> kept;
  {
    Engine copy = engine;
    kept = copy.tenant(big_river);
  }
  BOOST_TEST(kept->events({}, {.limit = 1}).items.size() == 1u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(engine_api)

BOOST_AUTO_TEST_CASE(sqlite) {
  test::TempDir dir;
  check_engine(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(postgresql) { check_engine(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_CASE(bad_urls_are_parameter_errors) {
  BOOST_TEST(test::error_code_of([] { Engine("mysql://localhost/x"); }) == ErrorCode::invalid_parameter);
  test::TempDir dir;
  BOOST_TEST(test::error_code_of([&] { Engine("sqlite:" + (dir.path() / "no" / "such" / "dir.db").string()); }) == ErrorCode::unavailable);
}

BOOST_AUTO_TEST_CASE(tokens_round_trip) {
  test::TempDir dir;
  EngineOptions options;
  options.jwt = auth::JwtConfig{.keys = {{"k1", std::string(40, 's')}}};
  Engine engine(dir.sqlite_url(), options);
  const auto partner = engine.add_partner("Token Timing", "token-timing");
  const auto reader = engine.authenticate_key(engine.create_key(partner).api_key);
  const auto token = engine.issue_token(reader);
  const auto back = engine.authenticate_token(token);
  BOOST_TEST(back.partner_id() == partner);
  BOOST_TEST(back.context().permissions == reader.context().permissions);
  BOOST_TEST(test::error_code_of([&] { engine.authenticate_token(token + "x"); }) == ErrorCode::unauthenticated);
}

// Several threads share one Engine (and its pool) at once.
BOOST_AUTO_TEST_CASE(threads_share_an_engine) {
  test::TempDir dir;
  Engine engine(dir.sqlite_url(), {.pool_size = 4});
  const auto partner = engine.add_partner("Big River Race Management", "big-river");
  engine.tenant(partner).import_file((test::shared_dir() / "fixtures" / "big-river.csv").string());
  std::vector<std::thread> threads;
  std::atomic<int> answered = 0;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      const auto tenant = engine.tenant(partner);
      for (int i = 0; i < 5; ++i)
        if (auto a = tenant.ask("How many DNFs were there in the Boston Marathon?", kToday); a && as_int(a->rows.rows.at(0).at(0)) == 47)
          ++answered;
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(answered == 20);
}

BOOST_AUTO_TEST_SUITE_END()

// A chat turn through the Tenant: follow-ups from the earlier user turns, refusals as replies, the
// rows as a Markdown table; the Markdown writer keeps a cell from breaking the table.
BOOST_AUTO_TEST_CASE(chat_turns) {
  test::TempDir dir;
  Engine engine(dir.sqlite_url());
  const auto partner = engine.tenant(engine.add_partner("Big River Race Management", "big-river"));
  partner.import_file((test::shared_dir() / "fixtures" / "big-river.csv").string());
  using chat::Role;
  const std::string q = "How many runners finished the Boston Marathon under 3 hours?";
  auto reply = partner.chat(std::vector<chat::Message>{{Role::system, "You are helpful."}, {Role::user, q}});
  BOOST_TEST(reply.answered);
  BOOST_TEST(reply.content.starts_with("73 runners finished"));
  BOOST_TEST(reply.content.find("| count |\n|---|\n| 73 |") != std::string::npos);
  BOOST_TEST(reply.usage.prompt_words == 3u + 10u);
  // the refused middle turn is left out of the context: "and for women?" still follows the first
  const std::vector<chat::Message> turns{{Role::user, q}, {Role::assistant, reply.content},
                                         {Role::user, "What is the phone number of the winner?"},
                                         {Role::assistant, "I can't answer that."}, {Role::user, "and for women?"}};
  reply = partner.chat(turns);
  BOOST_TEST(reply.content.starts_with("12 women finished"), reply.content);
  reply = partner.chat(std::vector<chat::Message>{{Role::user, "What is the phone number of the winner?"}});
  BOOST_TEST(!reply.answered);
  BOOST_TEST(reply.content.starts_with("I can't answer that: "));
  reply = partner.chat(std::vector<chat::Message>{{Role::user, "Show me the top 30 finishers of the Boston Marathon"}},
                       {.show_sql = true, .max_rows = 20});
  BOOST_TEST(reply.content.find("…and 10 more rows.") != std::string::npos);
  BOOST_TEST(reply.content.find("```sql\nSELECT") != std::string::npos);
  BOOST_TEST(reply.content.find("| results_time |") != std::string::npos);  // times printed, not in ms
  BOOST_TEST(test::error_code_of([&] { partner.chat(std::vector<chat::Message>{{Role::assistant, "hello"}}); }) ==
             ErrorCode::invalid_parameter);

  ResultSet rows{{"team", "results_time_ms"}, {{std::string("A|B\nC"), std::int64_t{3723000}}}};
  BOOST_TEST(format::rows_markdown(rows) == "| team | results_time |\n|---|---|\n| A\\|B C | 1:02:03 |\n");
}
