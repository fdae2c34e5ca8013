// 221 questions of our own over the demo data (tests/nl/demo_questions.tsv, answers computed by
// tests/nl/gen_demo_questions.py from raw rows, never by the engine's SQL), asked through the library's
// engine on SQLite and PostgreSQL: paraphrases, events it was never tuned on, and adversarial text.
#include <boost/test/unit_test.hpp>

#include <map>

#include <fmt/format.h>

#include "nl_expectations.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/format/json.hpp"
#include "racetiming/nl/engine.hpp"
#include "racetiming/seed/demo_seed.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

void check_demo_questions(const std::string& url) {
  auto db = Database::open(url);
  db.migrate();
  seed::SeedOptions options;
  options.scale = seed::Scale::demo;
  seed::seed_demo_data(db, options);
  nl::NlEngine engine(db);
  const auto cases = test::read_question_tsv(std::filesystem::path(RACETIMING_SOURCE_DIR) / "tests/nl/demo_questions.tsv");
  BOOST_REQUIRE(cases.size() >= 150u);
  std::map<std::string, std::int64_t> partners;
  std::size_t passed = 0;
  for (const auto& c : cases) {
    if (!partners.count(c.partner)) {
      auto p = admin::find_partner_by_slug(db, c.partner);
      BOOST_REQUIRE_MESSAGE(p, "no demo partner " + c.partner);
      partners[c.partner] = p->timing_partner_id;
    }
    TenantContext ctx;
    ctx.partner_id = partners[c.partner];
    unsigned status = 200;
    std::string body;
    try {
      body = format::answer_json(engine.ask(ctx, c.question, {.today = "2026-11-25"}));
    } catch (const nl::NlUnsupported& e) {
      status = 422;
      body = R"({"code":"nl_unsupported"})";
    } catch (const Error& e) {
      status = e.code() == ErrorCode::invalid_parameter ? 400 : 500;
      body = R"({"code":"error"})";
    }
    const std::string why = test::check_answer(c, status, body);
    BOOST_TEST(why.empty(), c.partner << ": " << c.question << ": " << why);
    passed += why.empty();
  }
  BOOST_TEST_MESSAGE(fmt::format("demo questions: {} correct of {}", passed, cases.size()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(demo_questions_on_sqlite) {
  test::TempDir dir;
  check_demo_questions(dir.sqlite_url());
}

// The trap corpus: every answerable demo question with a clause nothing in the data answers appended must
// be refused, never answered as the question without it.
BOOST_AUTO_TEST_CASE(demo_questions_with_an_unanswerable_clause_are_refused) {
  test::TempDir dir;
  auto db = Database::open(dir.sqlite_url());
  db.migrate();
  seed::SeedOptions options;
  options.scale = seed::Scale::demo;
  seed::seed_demo_data(db, options);
  nl::NlEngine engine(db, {.cache_entries = 0});
  const std::vector<std::string> clauses{
      " and their email addresses", " next year",          " in kilograms",          " by shoe size",
      " and what were their phone numbers", " weighted by heart rate", " including their home addresses",
      " and how much prize money they won", " sorted by their favourite colour", " on Strava",
      " per hour of sleep", " in the rain", " wearing red", " who ran barefoot", " by temperature",
      " and their payment status", " excluding walkers", " not counting relay teams"};
  const auto cases = test::read_question_tsv(std::filesystem::path(RACETIMING_SOURCE_DIR) / "tests/nl/demo_questions.tsv");
  std::map<std::string, std::int64_t> partners;
  std::size_t traps = 0, refused = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (c.expected.find("refuse") != std::string::npos) continue;
    if (!partners.count(c.partner)) partners[c.partner] = admin::find_partner_by_slug(db, c.partner)->timing_partner_id;
    std::string question = c.question;
    while (!question.empty() && (question.back() == '?' || question.back() == ' ')) question.pop_back();
    question += clauses[i % clauses.size()] + "?";
    TenantContext ctx;
    ctx.partner_id = partners[c.partner];
    ++traps;
    try {
      const auto answer = engine.ask(ctx, question, {.today = "2026-11-25"});
      BOOST_TEST(false, "answered a trap: " << question << " -> " << answer.summary);
    } catch (const nl::NlUnsupported&) {
      ++refused;
    }
  }
  BOOST_TEST(traps >= 150u);
  BOOST_TEST_MESSAGE(fmt::format("traps: {} refused of {}, {} answered", refused, traps, traps - refused));
}

BOOST_AUTO_TEST_CASE(demo_questions_on_postgresql) {
  check_demo_questions(test::ThrowawayPostgres::shared().create_database());
}
