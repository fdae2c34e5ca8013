// 221 questions of our own over the demo data (tests/nl/demo_questions.tsv, answers computed by
// tests/nl/gen_demo_questions.py from raw rows, never by the engine's SQL), asked through the library's
// engine on SQLite and PostgreSQL: paraphrases, events it was never tuned on, and adversarial text.
#include <boost/test/unit_test.hpp>

#include <map>

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
  BOOST_TEST_MESSAGE(passed << " of " << cases.size() << " demo questions answered as expected");
}

}  // namespace

BOOST_AUTO_TEST_CASE(demo_questions_on_sqlite) {
  test::TempDir dir;
  check_demo_questions(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(demo_questions_on_postgresql) {
  check_demo_questions(test::ThrowawayPostgres::shared().create_database());
}
