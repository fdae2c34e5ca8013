// A partner's own event aliases: stored per partner, read by the engine (its cached catalog reloads on a
// change), matched only within that partner's catalog; every bad input is an error with its code. Also
// the aliases every partner gets without registering: initials of an event name in capitals.
#include <boost/test/unit_test.hpp>

#include "racetiming/admin/partners.hpp"
#include "racetiming/nl/engine.hpp"
#include "racetiming/nl/event_aliases.hpp"
#include "racetiming/seed/demo_seed.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

TenantContext tenant(std::int64_t partner) {
  TenantContext ctx;
  ctx.partner_id = partner;
  return ctx;
}

void check_aliases(const std::string& url) {
  auto db = Database::open(url);
  db.migrate();
  seed::SeedOptions options;
  options.scale = seed::Scale::demo;
  seed::seed_demo_data(db, options);
  const auto a = tenant(admin::find_partner_by_slug(db, "big-river")->timing_partner_id);
  const auto b = tenant(admin::find_partner_by_slug(db, "mid-hudson")->timing_partner_id);
  nl::NlEngine engine(db);  // answer and catalog caches on: a new alias must still be read at once
  const nl::AskContext when{.today = "2026-11-25"};
  const std::string question = "How many runners finished the Big B in 2024?";

  BOOST_CHECK_THROW(engine.ask(a, question, when), nl::NlUnsupported);
  const auto added = nl::add_event_alias(db, a, "the Big B", "BOSTON marathon");
  BOOST_TEST(added.event_name == "Boston Marathon");
  BOOST_TEST(added.alias == "the Big B");
  const auto answer = engine.ask(a, question, when);
  BOOST_TEST(answer.interpretation.find("Boston Marathon 2024") != std::string::npos, answer.interpretation);
  // the same count as the event's own name gives
  const auto by_name = engine.ask(a, "How many runners finished the Boston Marathon in 2024?", when);
  BOOST_TEST(as_int(answer.rows.rows.at(0).at(0)) == as_int(by_name.rows.rows.at(0).at(0)));

  // listed for its partner only; another partner neither sees nor reads it
  const auto listed = nl::list_event_aliases(db, a);
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_TEST(listed[0].event_alias_id == added.event_alias_id);
  BOOST_TEST(nl::list_event_aliases(db, b).empty());
  BOOST_CHECK_THROW(engine.ask(b, question, when), nl::NlUnsupported);
  BOOST_TEST(test::error_code_of([&] { nl::remove_event_alias(db, b, added.event_alias_id); }) == ErrorCode::not_found);

  // bad input: each with its code, nothing stored
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, "THE big b?", "Turkey Trot 5K"); }) == ErrorCode::conflict);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, "the Trot", "No Such Race"); }) == ErrorCode::not_found);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, b, "the Big B", "Boston Marathon"); }) == ErrorCode::not_found);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, "", "Boston Marathon"); }) == ErrorCode::invalid_parameter);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, "???", "Boston Marathon"); }) == ErrorCode::invalid_parameter);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, std::string(101, 'x'), "Boston Marathon"); }) == ErrorCode::invalid_parameter);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, "bad \xff", "Boston Marathon"); }) == ErrorCode::invalid_parameter);
  BOOST_TEST(test::error_code_of([&] { nl::add_event_alias(db, a, "the Trot", ""); }) == ErrorCode::invalid_parameter);
  BOOST_TEST(nl::list_event_aliases(db, a).size() == 1u);

  // removed: the engine stops reading it
  nl::remove_event_alias(db, a, added.event_alias_id);
  BOOST_TEST(nl::list_event_aliases(db, a).empty());
  BOOST_CHECK_THROW(engine.ask(a, question, when), nl::NlUnsupported);
  BOOST_TEST(test::error_code_of([&] { nl::remove_event_alias(db, a, added.event_alias_id); }) == ErrorCode::not_found);
}

}  // namespace

BOOST_AUTO_TEST_CASE(event_aliases_on_sqlite) {
  test::TempDir dir;
  check_aliases(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(event_aliases_on_postgresql) { check_aliases(test::ThrowawayPostgres::shared().create_database()); }
