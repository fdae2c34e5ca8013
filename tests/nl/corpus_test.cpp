// The generated corpus (tests/nl/corpus.tsv, 1,000+ questions over `seed --scale demo` for all 13 partners,
// answers computed by tests/nl/gen_corpus.py from the raw rows, never by the engine's SQL) and its trap
// corpus (tests/nl/traps.tsv: good questions with a clause nothing in the data answers), asked through the
// library's engine on SQLite and PostgreSQL. It prints correct / refused / wrong and holds the goals:
// correct >= 98%, wrong <= 0.5%, every trap refused.
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

struct Tally {
  std::size_t correct = 0, refused = 0, wrong = 0;
  std::size_t total() const { return correct + refused + wrong; }
};

// Asks every case; a refusal of a question that has an answer counts as refused, any other miss as wrong.
Tally ask_all(Database& db, const std::vector<test::QuestionCase>& cases, const char* corpus) {
  nl::NlEngine engine(db, {.cache_entries = 0});
  std::map<std::string, std::int64_t> partners;
  Tally tally;
  std::size_t shown = 0;
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
    } catch (const nl::NlUnsupported&) {
      status = 422;
      body = R"({"code":"nl_unsupported"})";
    } catch (const Error& e) {
      status = e.code() == ErrorCode::invalid_parameter ? 400 : 500;
      body = R"({"code":"error"})";
    }
    const std::string why = test::check_answer(c, status, body);
    const bool expects_refusal = c.expected.find("\"refuse\"") != std::string::npos;
    if (why.empty()) {
      ++tally.correct;
      continue;
    }
    (status == 422 && !expects_refusal ? tally.refused : tally.wrong)++;
    // Every miss is named so a regression is readable without rerunning; capped to keep the log short.
    if (shown++ < 60) BOOST_TEST_MESSAGE(corpus << " miss: " << c.partner << ": " << c.question << ": " << why);
  }
  return tally;
}

void check_corpus(const std::string& url) {
  auto db = Database::open(url);
  db.migrate();
  seed::SeedOptions options;
  options.scale = seed::Scale::demo;
  seed::seed_demo_data(db, options);
  const std::filesystem::path dir = std::filesystem::path(RACETIMING_SOURCE_DIR) / "tests/nl";

  const auto corpus = test::read_question_tsv(dir / "corpus.tsv");
  BOOST_REQUIRE(corpus.size() >= 1000u);
  const Tally answers = ask_all(db, corpus, "corpus");
  const double n = static_cast<double>(answers.total());
  BOOST_TEST_MESSAGE(fmt::format("corpus: {} questions: {} correct ({:.1f}%), {} refused, {} wrong ({:.2f}%)",
                                 answers.total(), answers.correct, 100.0 * answers.correct / n, answers.refused,
                                 answers.wrong, 100.0 * answers.wrong / n));
  BOOST_TEST(answers.correct >= 0.98 * n);
  BOOST_TEST(answers.wrong <= 0.005 * n);

  const auto traps = test::read_question_tsv(dir / "traps.tsv");
  BOOST_REQUIRE(traps.size() >= 300u);
  const Tally trapped = ask_all(db, traps, "traps");
  BOOST_TEST_MESSAGE(fmt::format("traps: {} refused of {}, {} answered", trapped.correct, trapped.total(),
                                 trapped.wrong));
  BOOST_TEST(trapped.correct == trapped.total());
}

}  // namespace

BOOST_AUTO_TEST_CASE(generated_corpus_on_sqlite) {
  test::TempDir dir;
  check_corpus(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(generated_corpus_on_postgresql) {
  check_corpus(test::ThrowawayPostgres::shared().create_database());
}
