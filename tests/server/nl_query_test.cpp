// POST /nl-query over real HTTP: every question of shared/nl/examples.tsv and examples-2.tsv against the imported fixtures
// (big-river and mid-hudson as two partners), on SQLite and on PostgreSQL, compared as the TSV says;
// the answer's shape, formats, refusals with suggestions, and the body errors.
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "api_fixture.hpp"
#include "nl_expectations.hpp"
#include "racetiming/admin/api_keys.hpp"
#include "racetiming/admin/users.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

std::string ask_body(const std::string& question, const std::string& format = "json", const std::string& previous = "") {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("query");
  w.String(question.c_str(), static_cast<rapidjson::SizeType>(question.size()));
  w.Key("format");
  w.String(format.c_str());
  w.Key("context");
  w.StartObject();
  w.Key("today");
  w.String("2026-11-25");
  if (!previous.empty()) {
    w.Key("previous");
    w.RawValue(previous.c_str(), previous.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  w.EndObject();
  return buffer.GetString();
}

// The answer's context.previous, as JSON text to send back.
std::string previous_of(const std::string& answer) {
  auto a = test::parse(answer);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  a["context"]["previous"].Accept(w);
  return buffer.GetString();
}

// Conversations: each follow-up, asked with the context the previous answer returned, answers as the
// question written out in full does (asked without context).
void check_follow_ups(const std::string& url) {
  test::Daemon d(url);
  const std::string path = "/api/v1/partners/" + std::to_string(d.a) + "/nl-query";
  const std::string key = d.full_key(d.a);
  struct Step {
    std::string question, written_out;  // written_out empty: the first question, or a refusal expected ("!")
  };
  const std::vector<std::vector<Step>> conversations{
      {{"How many runners finished the Boston Marathon under 3 hours?", ""},
       {"and for women?", "How many women finished the Boston Marathon under 3 hours?"},
       {"what about men?", "How many men finished the Boston Marathon under 3 hours?"}},
      {{"How many finishers did the Turkey Trot 5K have in 2023?", ""},
       {"What about 2024?", "How many finishers did the Turkey Trot 5K have in 2024?"}},
      {{"How many people finished the marathon at the 2023 Big River Marathon?", ""},
       {"and the half?", "How many people finished the half marathon at the 2023 Big River Marathon?"},
       {"and in 2024?", "How many people finished the half marathon at the 2024 Big River Marathon?"}},
      {{"Who won the Riverfront 10K?", ""}, {"and among women?", "Who was the fastest woman at the Riverfront 10K?"}},
      {{"What was the average finish time at the Boston Marathon?", ""},
       {"and for men?", "What was the average finish time for men at the Boston Marathon?"},
       {"and the median?", "What was the median finish time for men at the Boston Marathon?"}},
      {{"How many women finished one of our 2024 races?", ""},
       {"and in 2023?", "How many women finished one of our 2023 races?"}},
      {{"What percentage of Boston Marathon finishers were women?", ""},
       {"and men?", "What percentage of Boston Marathon finishers were men?"}},
      {{"Who finished third at the Boston Marathon?", ""}, {"and 10th?", "Who finished 10th at the Boston Marathon?"}},
      {{"What was the average age of the Boston Marathon finishers?", ""},
       {"and of the women?", "What was the average age of women who finished the Boston Marathon?"},
       {"and at the Riverfront 10K?", "What was the average age of women who finished the Riverfront 10K?"}},
      {{"How many DNFs were there in the Boston Marathon?", ""}, {"and DNS?", "How many DNS were there at the Boston Marathon?"}},
      {{"How many finishers did the Big River Marathon have each year?", ""},
       {"and for women?", "How many women finished the Big River Marathon each year?"}},
      {{"How many runners finished the Riverfront 10K?", ""}, {"and their email addresses?", "!"}},
  };
  for (const auto& steps : conversations) {
    std::string previous;
    for (const Step& step : steps) {
      auto r = d.send("POST", path, key, ask_body(step.question, "json", previous));
      BOOST_TEST_CONTEXT(step.question) {
        if (step.written_out == "!") {
          BOOST_TEST(r.status == 422u);
          BOOST_TEST(test::code_of(r) == "nl_unsupported");
          continue;
        }
        BOOST_REQUIRE_MESSAGE(r.status == 200u, r.body);
        if (!step.written_out.empty()) {
          auto full = d.send("POST", path, key, ask_body(step.written_out));
          BOOST_REQUIRE_MESSAGE(full.status == 200u, step.written_out << ": " << full.body);
          const auto a = test::parse(r.body), b = test::parse(full.body);
          BOOST_TEST(std::string(a["sql_generated"].GetString()) == std::string(b["sql_generated"].GetString()));
          BOOST_TEST(std::string(a["summary"].GetString()) == std::string(b["summary"].GetString()));
        }
        previous = previous_of(r.body);
      }
    }
  }
  // a context that is not one an answer returned is a 400 naming it
  for (const std::string bad : {R"({"questions": 5})", R"({"questions": [1]})", R"("x")"}) {
    auto r = d.send("POST", path, key, R"({"query":"and for women?","context":{"previous":)" + bad + "}}");
    BOOST_TEST(r.status == 400u, bad);
    BOOST_TEST(std::string(test::parse(r.body)["parameter"].GetString()) == "context.previous", bad);
  }
}

void check_examples(const std::string& url) {
  test::Daemon d(url);
  const std::map<std::string, std::pair<std::int64_t, std::string>> partners{
      {"big-river", {d.a, d.full_key(d.a)}}, {"mid-hudson", {d.b, d.full_key(d.b)}}};
  auto cases = test::read_question_tsv(test::shared_dir() / "nl" / "examples.tsv");
  BOOST_REQUIRE(cases.size() >= 30u);
  const auto second = test::read_question_tsv(test::shared_dir() / "nl" / "examples-2.tsv");
  BOOST_REQUIRE(second.size() >= 30u);
  cases.insert(cases.end(), second.begin(), second.end());
  for (const auto& c : cases) {
    const auto& [id, key] = partners.at(c.partner);
    auto r = d.send("POST", "/api/v1/partners/" + std::to_string(id) + "/nl-query", key, ask_body(c.question));
    const std::string why = test::check_answer(c, r.status, r.body);
    BOOST_TEST(why.empty(), c.partner << ": " << c.question << ": " << why);
  }
}

void check_answer_shape(const std::string& url) {
  test::Daemon d(url);
  const std::string path = "/api/v1/partners/" + std::to_string(d.a) + "/nl-query";
  const std::string key = d.full_key(d.a);
  auto r = d.send("POST", path, key, ask_body("How many runners finished the Boston Marathon under 3 hours?"));
  BOOST_REQUIRE(r.status == 200u);
  auto a = test::parse(r.body);
  for (const char* member : {"query", "intent", "entities", "sql_generated", "params", "columns", "results", "summary",
                             "interpretation", "context", "execution_time_ms", "cached"})
    BOOST_TEST(a.HasMember(member), member);
  BOOST_TEST(std::string(a["summary"].GetString()) == "73 runners finished the Boston Marathon 2024 under 3:00:00.");
  BOOST_TEST(std::string(a["interpretation"].GetString()) ==
             "Counted finishers of the Boston Marathon 2024 with chip time under 3:00:00.");
  BOOST_TEST(a["context"]["previous"]["questions"].Size() == 1u);
  BOOST_TEST(a["entities"]["event"]["year"].GetInt() == 2024);
  BOOST_TEST(a["entities"]["max_time_ms"].GetInt64() == 10800000);
  BOOST_TEST(a["params"][0].GetInt64() == d.a);  // the partner binds first
  // entries of no team form no group: the team with the most finishers is a team (182 by the raw rows)
  auto team = test::parse(d.send("POST", "/api/v1/partners/" + std::to_string(d.b) + "/nl-query", d.full_key(d.b),
                                 ask_body("Which team had the most finishers at the Hudson Valley Half?")).body);
  BOOST_REQUIRE(team.HasMember("results") && team["results"].Size() == 1u);
  BOOST_TEST(std::string(team["results"][0]["team"].GetString()) == "Dutchess Running Club");
  BOOST_TEST(team["results"][0]["count"].GetInt64() == 182);
  BOOST_TEST(std::string(a["sql_generated"].GetString()).find("timing_partner_id") != std::string::npos);
  BOOST_TEST(a["cached"].GetBool() == false);
  // the same question again comes from the cache; a write moves the data version and the cache with it
  BOOST_TEST(test::parse(d.send("POST", path, key, ask_body("How many runners finished the Boston Marathon under 3 hours?")).body)["cached"].GetBool());
  BOOST_TEST(d.send("POST", "/api/v1/partners/" + std::to_string(d.a) + "/events", key,
                    R"({"event_name":"Cache Buster 5K","event_date":"2025-01-01"})").status == 201u);
  BOOST_TEST(!test::parse(d.send("POST", path, key, ask_body("How many runners finished the Boston Marathon under 3 hours?")).body)["cached"].GetBool());

  auto csv = d.send("POST", path, key, ask_body("Show me the top 5 finishers of the Boston Marathon", "csv"));
  BOOST_TEST(csv.headers.at("content-type").starts_with("text/csv"));
  BOOST_TEST(csv.body.starts_with("overall_place,"));
  BOOST_TEST(std::count(csv.body.begin(), csv.body.end(), '\n') == 6);
  auto summary = d.send("POST", path, key, ask_body("Who won the Riverfront 10K?", "summary"));
  BOOST_TEST(summary.body == "Justin Hernandez won the Riverfront 10K 2024 in 0:35:17.\n");

  auto refused = d.send("POST", path, key, ask_body("What's the weather in Boston?"));
  BOOST_TEST(refused.status == 422u);
  auto problem = test::parse(refused.body);
  BOOST_TEST(std::string(problem["code"].GetString()) == "nl_unsupported");
  BOOST_TEST(problem["suggestions"].Size() >= 1u);
  BOOST_TEST(problem["suggestions"].Size() <= 3u);
  // every word accounted for: what was not understood is named
  auto phone = test::parse(d.send("POST", path, key, ask_body("How many runners finished the Riverfront 10K in the rain?")).body);
  BOOST_TEST(std::string(phone["code"].GetString()) == "nl_unsupported");
  BOOST_TEST(std::string(phone["detail"].GetString()).find("'rain'") != std::string::npos, phone["detail"].GetString());
  BOOST_TEST(phone["unknown_words"].Size() == 1u);

  for (const auto& [body, parameter] : std::vector<std::pair<std::string, std::string>>{
           {"{}", "query"}, {"not json", "body"}, {R"({"query": 5})", "query"}, {R"({"query":"x","format":"xml"})", "format"},
           {R"({"query":"x","context":{"today":"soon"}})", "context.today"},
           {R"({"query":"x","context":{"today":"2026-02-30"}})", "context.today"}}) {
    auto bad = d.send("POST", path, key, body);
    BOOST_TEST(bad.status == 400u, body);
    BOOST_TEST(std::string(test::parse(bad.body)["parameter"].GetString()) == parameter, body);
  }
  // the permission is run:nl-query
  BOOST_TEST(test::code_of(d.send("POST", path, d.key_a_events_only, ask_body("Who won the Riverfront 10K?"))) == "forbidden");
  BOOST_TEST(test::code_of(d.send("POST", "/api/v1/partners/" + std::to_string(d.b) + "/nl-query", key,
                                  ask_body("Who won the Riverfront 10K?"))) == "tenant_mismatch");
}

}  // namespace

// A partner's event aliases over HTTP: registered, listed, read by /nl-query, removed; bad bodies, unknown
// events, duplicates, missing permissions and other partners' aliases each get their problem code.
void check_event_aliases(const std::string& url) {
  test::Daemon d(url);
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a);
  const std::string writer = d.full_key(d.a);
  const std::string question = ask_body("How many runners finished the Big B under 3 hours?");
  BOOST_TEST(test::code_of(d.send("POST", pa + "/nl-query", writer, question)) == "nl_unsupported");

  auto created = d.send("POST", pa + "/event-aliases", writer, R"({"alias":"the Big B","event_name":"boston marathon"})");
  BOOST_REQUIRE_EQUAL(created.status, 201u);
  const auto alias = test::parse(created.body);
  BOOST_TEST(std::string(alias["event_name"].GetString()) == "Boston Marathon");
  const std::string id = std::to_string(alias["event_alias_id"].GetInt64());
  const auto listed = test::parse(d.get(pa + "/event-aliases", d.key_a).body);
  BOOST_REQUIRE_EQUAL(listed["data"].Size(), 1u);
  BOOST_TEST(std::string(listed["data"][0]["alias"].GetString()) == "the Big B");

  const auto by_alias = test::parse(d.send("POST", pa + "/nl-query", writer, question).body);
  const auto by_name = test::parse(d.send("POST", pa + "/nl-query", writer, ask_body("How many runners finished the Boston Marathon under 3 hours?")).body);
  BOOST_REQUIRE(by_alias.HasMember("results"));
  BOOST_TEST(by_alias["results"][0]["count"].GetInt64() == by_name["results"][0]["count"].GetInt64());

  for (const auto& [body, code] : std::vector<std::pair<std::string, std::string>>{
           {"not json", "invalid_parameter"}, {R"({"alias":"x"})", "invalid_parameter"},
           {R"({"event_name":"Boston Marathon"})", "invalid_parameter"}, {R"({"alias":5,"event_name":"Boston Marathon"})", "invalid_parameter"},
           {R"({"alias":"the trot","event_name":"No Such Event"})", "not_found"},
           {R"({"alias":"THE BIG B","event_name":"Riverfront 10K"})", "conflict"}})
    BOOST_TEST(test::code_of(d.send("POST", pa + "/event-aliases", writer, body)) == code, body);
  BOOST_TEST(test::code_of(d.send("POST", pa + "/event-aliases", d.key_a, R"({"alias":"x","event_name":"Boston Marathon"})")) == "forbidden");
  BOOST_TEST(test::code_of(d.get("/api/v1/partners/" + std::to_string(d.b) + "/event-aliases", d.key_a)) == "tenant_mismatch");
  BOOST_TEST(test::parse(d.get("/api/v1/partners/" + std::to_string(d.b) + "/event-aliases", d.key_b).body)["data"].Size() == 0u);
  BOOST_TEST(test::code_of(d.send("DELETE", "/api/v1/partners/" + std::to_string(d.b) + "/event-aliases/" + id, d.full_key(d.b))) == "not_found");

  BOOST_TEST(d.send("DELETE", pa + "/event-aliases/" + id, writer).status == 204u);
  BOOST_TEST(test::code_of(d.send("DELETE", pa + "/event-aliases/" + id, writer)) == "not_found");
  BOOST_TEST(test::code_of(d.send("POST", pa + "/nl-query", writer, question)) == "nl_unsupported");
}

BOOST_AUTO_TEST_CASE(event_aliases_on_sqlite) {
  test::TempDir dir;
  check_event_aliases(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(event_aliases_on_postgresql) { check_event_aliases(test::ThrowawayPostgres::shared().create_database()); }

BOOST_AUTO_TEST_CASE(nl_examples_on_sqlite) {
  test::TempDir dir;
  check_examples(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(nl_examples_on_postgresql) { check_examples(test::ThrowawayPostgres::shared().create_database()); }
BOOST_AUTO_TEST_CASE(nl_follow_ups_on_sqlite) {
  test::TempDir dir;
  check_follow_ups(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(nl_follow_ups_on_postgresql) { check_follow_ups(test::ThrowawayPostgres::shared().create_database()); }
BOOST_AUTO_TEST_CASE(nl_answer_shape_formats_and_errors) {
  test::TempDir dir;
  check_answer_shape(dir.sqlite_url());
}

// POST /auth/natural-language: the message names the user and partner, the key proves them.
BOOST_AUTO_TEST_CASE(natural_language_login) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url());
  const auto josh = admin::add_user(d.db, d.a, "Josh Miller", "josh@example.test");
  const std::string josh_key = admin::create_api_key(d.db, d.a, josh).api_key;
  auto login = [&](const std::string& message, const std::string& key) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("message");
    w.String(message.c_str());
    w.EndObject();
    return d.send("POST", "/api/v1/auth/natural-language", key, buffer.GetString());
  };
  auto ok = login("I'm Josh from Big River Race Management, show me our events in 2024", josh_key);
  BOOST_REQUIRE_MESSAGE(ok.status == 200u, ok.body);
  auto body = test::parse(ok.body);
  BOOST_TEST(body["authenticated"].GetBool());
  BOOST_TEST(body["timing_partner_id"].GetInt64() == d.a);
  BOOST_TEST(body["user_id"].GetInt64() == josh);
  BOOST_TEST(std::string(body["token"].GetString()).size() > 20u);
  BOOST_TEST(std::string(body["answer"]["intent"].GetString()) == "list_events");
  BOOST_TEST(body["answer"]["results"].Size() == 4u);
  // the token works like any bearer token of the partner
  BOOST_TEST(d.get("/api/v1/events", "", {{"Authorization", std::string("Bearer ") + body["token"].GetString()}}).status == 200u);
  // an introduction alone authenticates and answers nothing
  auto hello = test::parse(login("Hi, this is Josh Miller from big-river.", josh_key).body);
  BOOST_TEST(hello["authenticated"].GetBool());
  BOOST_TEST(hello["answer"].IsNull());

  for (const auto& [message, key] : std::vector<std::pair<std::string, std::string>>{
           {"I'm Josh from Big River Race Management, show me our events", ""},            // a name alone
           {"I'm Josh from Mid-Hudson Road Runners, show me our events", josh_key},        // another partner
           {"I'm Zed from Big River Race Management, show me our events", josh_key},       // not a user there
           {"I'm Josh from Big River Race Management, show me our events", d.key_b},       // B's key
           {"show me our events", josh_key},                                               // no one named
           {"I'm Josh from Big River Race Management and Mid-Hudson Road Runners", josh_key},  // two partners
           {"I'm Josh from Big River Race Management, show me mid-hudson events", josh_key},   // the other by slug
       }) {
    auto r = login(message, key);
    BOOST_TEST(r.status == 401u, message);
    BOOST_TEST(test::code_of(r) == "unauthenticated", message);
    BOOST_TEST(r.body.find("Turkey Trot") == std::string::npos);
  }
  BOOST_TEST(test::code_of(d.send("POST", "/api/v1/auth/natural-language", josh_key, "{}")) == "invalid_parameter");
  // the partner the request names by header or Host must be the key's, as on every other route
  const std::string message = R"({"message":"I'm Josh from Big River Race Management"})";
  auto header = d.send("POST", "/api/v1/auth/natural-language", josh_key, message, {{"X-Timing-Partner-ID", std::to_string(d.b)}});
  BOOST_TEST(header.status == 403u);
  BOOST_TEST(test::code_of(header) == "tenant_mismatch");
  auto host = d.send("POST", "/api/v1/auth/natural-language", josh_key, message, {{"Host", "mid-hudson-api.example.test"}});
  BOOST_TEST(test::code_of(host) == "tenant_mismatch");
  BOOST_TEST(d.send("POST", "/api/v1/auth/natural-language", josh_key, message, {{"Host", "big-river-api.example.test"}}).status == 200u);
  BOOST_TEST(test::code_of(d.send("POST", "/api/v1/auth/token", josh_key, "", {{"X-Timing-Partner-ID", std::to_string(d.b)}})) ==
             "tenant_mismatch");
}
