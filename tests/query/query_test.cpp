#define BOOST_TEST_MODULE query
#include <boost/test/unit_test.hpp>

#include <functional>
#include <set>

#include "racetiming/admin/partners.hpp"
#include "racetiming/error.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/query/events_query.hpp"
#include "racetiming/query/participants_query.hpp"
#include "racetiming/query/races_query.hpp"
#include "racetiming/query/results_query.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

const std::string kPayload = "x' OR 1=1; DROP TABLE ct_results; --";

// Every statement every builder can emit, with every filter set, for one partner and dialect.
std::vector<std::pair<std::string, Sql>> all_statements(std::int64_t partner, Dialect d) {
  EventsQuery events(partner, d);
  RacesQuery races(partner, d);
  ParticipantsQuery participants(partner, d);
  ResultsQuery results(partner, d);
  PageRequest page{10, "", ""};
  std::vector<std::pair<std::string, Sql>> out = {
      {"events.list", events.list({}, page)},
      {"events.list filtered", events.list({"completed", 2024, kPayload}, {5, "", "event_name"})},
      {"events.get", events.get(3)},
      {"races.list", races.list({}, page)},
      {"races.list filtered", races.list({7}, {5, "", "-distance_m"})},
      {"races.get", races.get(3)},
      {"participants.list", participants.list({}, page)},
      {"participants.list filtered",
       participants.list({1, 2, kPayload, kPayload, "F", kPayload, "finished"}, {5, "", "last_name"})},
      {"participants.get", participants.get(3)},
      {"results.list", results.list({}, page)},
      {"results.list filtered", results.list({1, 2, "M", kPayload, "finished", 1000, 2000}, {5, "", "-bib"})},
      {"results.get", results.get(3)},
      {"results.splits", results.splits(3)},
  };
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_builder_binds_the_partner_first_and_splices_no_value) {
  for (Dialect d : {Dialect::sqlite, Dialect::postgresql}) {
    const std::string first = d == Dialect::postgresql ? "$1" : "?1";
    for (const auto& [name, sql] : all_statements(42, d)) {
      BOOST_TEST_CONTEXT(name << (d == Dialect::postgresql ? " (postgresql)" : " (sqlite)")) {
        BOOST_REQUIRE(!sql.params.empty());
        BOOST_TEST(as_int(sql.params[0]) == std::optional<std::int64_t>(42));
        BOOST_TEST(sql.text.find("timing_partner_id = " + first) != std::string::npos, sql.text);
        // the first WHERE condition is the tenant predicate
        const auto where = sql.text.find(" WHERE ");
        BOOST_REQUIRE(where != std::string::npos);
        BOOST_TEST(sql.text.find("timing_partner_id = " + first, where) < where + 30u);
        BOOST_TEST(sql.text.find("DROP") == std::string::npos);
        BOOST_TEST(sql.text.find("1=1") == std::string::npos);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_parameters_name_themselves) {
  auto parameter_of = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      BOOST_TEST(e.code() == ErrorCode::invalid_parameter);
      return e.parameter();
    }
    return "no error";
  };
  EventsQuery events(1, Dialect::sqlite);
  ResultsQuery results(1, Dialect::sqlite);
  ParticipantsQuery participants(1, Dialect::sqlite);
  BOOST_TEST(parameter_of([&] { events.list({}, {0, "", ""}); }) == "limit");
  BOOST_TEST(parameter_of([&] { events.list({}, {1001, "", ""}); }) == "limit");
  BOOST_TEST(parameter_of([&] { events.list({}, {10, "", "price"}); }) == "sort");
  BOOST_TEST(parameter_of([&] { events.list({}, {10, "not a cursor!", ""}); }) == "cursor");
  BOOST_TEST(parameter_of([&] { events.list({}, {10, "QUJD", ""}); }) == "cursor");
  BOOST_TEST(parameter_of([&] { events.list({"done", {}, {}}, {}); }) == "status");
  BOOST_TEST(parameter_of([&] { events.list({{}, 1066, {}}, {}); }) == "year");
  BOOST_TEST(parameter_of([&] { results.list({.gender = "Q"}, {}); }) == "gender");
  BOOST_TEST(parameter_of([&] { results.list({.max_time_ms = -1}, {}); }) == "max_time");
  BOOST_TEST(parameter_of([&] { participants.list({.status = "running"}, {}); }) == "status");
}

namespace {

struct Loaded {
  Database db;
  std::int64_t a = 0, b = 0;
  explicit Loaded(const std::string& url) : db(Database::open(url)) {
    db.migrate();
    a = admin::add_partner(db, "Big River Race Management", "big-river");
    b = admin::add_partner(db, "Mid-Hudson Road Runners", "mid-hudson");
    ingest::import_interchange_csv(db, a, test::read_file(test::shared_dir() / "fixtures" / "big-river.csv"));
    ingest::import_interchange_csv(db, b, test::read_file(test::shared_dir() / "fixtures" / "mid-hudson.csv"));
  }
};

std::vector<std::int64_t> ids(const ResultSet& rs, const std::string& column) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < rs.rows.size(); ++i) out.push_back(as_int(rs.at(i, column)).value_or(0));
  return out;
}

// Every id of a list, walked page by page.
template <class Builder, class Filter>
std::vector<std::int64_t> walk_all(TenantSession& s, const Builder& b, const Filter& f, const std::string& sort,
                                   const std::string& id_column, std::size_t page_size) {
  std::vector<std::int64_t> walked;
  PageRequest page{page_size, "", sort};
  for (int guard = 0; guard < 10000; ++guard) {
    Page p = b.page(s.query(b.list(f, page)), page);
    BOOST_REQUIRE(p.rows.rows.size() <= page_size);
    for (auto id : ids(p.rows, id_column)) walked.push_back(id);
    if (p.next_cursor.empty()) break;
    page.cursor = p.next_cursor;
  }
  return walked;
}

// Small pages add up to the same rows in the same order as the largest pages, with no duplicate, and
// to as many rows as the table holds for the filter.
template <class Builder, class Filter>
void walk(TenantSession& s, const Builder& b, const Filter& f, const std::string& sort, const std::string& id_column,
          std::size_t page_size, std::int64_t expected_count) {
  const auto big = walk_all(s, b, f, sort, id_column, 1000);
  const auto small = walk_all(s, b, f, sort, id_column, page_size);
  BOOST_TEST(static_cast<std::int64_t>(big.size()) == expected_count);
  BOOST_TEST(small == big, boost::test_tools::per_element());
  BOOST_TEST(std::set<std::int64_t>(small.begin(), small.end()).size() == small.size());
}

std::int64_t count_where(TenantSession& s, const std::string& from_where, std::int64_t id) {
  SqlWriter w(s.dialect());
  w << "SELECT COUNT(*) " << from_where;
  w.bind(id);
  return as_int(s.query(w.take()).rows.at(0).at(0)).value_or(-1);
}

void check_isolation_and_pagination(const std::string& url) {
  Loaded l(url);
  TenantSession sa(l.db, l.a), sb(l.db, l.b);
  EventsQuery ea(l.a, l.db.dialect()), eb(l.b, l.db.dialect());
  const auto a_events = ids(sa.query(ea.list({}, {100, "", ""})), "event_id");
  const auto b_events = ids(sb.query(eb.list({}, {100, "", ""})), "event_id");
  BOOST_TEST(a_events.size() == 7u);
  BOOST_TEST(b_events.size() == 4u);
  // B's event ids do not exist for A
  for (auto id : b_events) BOOST_TEST(sa.query(ea.get(id)).rows.empty());
  BOOST_TEST(sb.query(eb.get(b_events[0])).rows.size() == 1u);
  // year and name filters
  BOOST_TEST(sa.query(ea.list({{}, 2024, {}}, {100, "", ""})).rows.size() == 4u);
  BOOST_TEST(sa.query(ea.list({{}, {}, "turkey"}, {100, "", ""})).rows.size() == 2u);
  BOOST_TEST(sa.query(ea.list({{}, {}, "%"}, {100, "", ""})).rows.empty());  // wildcards are literal

  // results of the Boston Marathon, fastest first, walked in pages of 37
  ResultsQuery ra(l.a, l.db.dialect()), rb(l.b, l.db.dialect());
  RacesQuery races(l.a, l.db.dialect());
  auto boston = sa.query(ea.list({{}, {}, "Boston"}, {10, "", ""}));
  const auto boston_id = as_int(boston.at(0, "event_id")).value_or(0);
  auto race = sa.query(races.list({boston_id}, {10, "", ""}));
  const auto race_id = as_int(race.at(0, "race_id")).value_or(0);
  const auto finals = count_where(sa, "FROM ct_results WHERE is_final AND race_id = ", race_id);
  BOOST_TEST(finals > 1000);
  walk(sa, ra, ResultsQuery::Filter{.race_id = race_id}, "", "result_id", 37, finals);
  walk(sa, ra, ResultsQuery::Filter{.race_id = race_id}, "-bib", "result_id", 50, finals);
  walk(sa, ra, ResultsQuery::Filter{.race_id = race_id}, "-results_time_ms", "result_id", 64, finals);
  walk(sa, ra, ResultsQuery::Filter{.race_id = race_id, .status = "finished"}, "", "result_id", 64,
       count_where(sa, "FROM ct_results r JOIN ct_participants p ON p.participant_id = r.participant_id "
                       "WHERE r.is_final AND p.status = 'finished' AND r.race_id = ", race_id));
  walk(sa, ra, ResultsQuery::Filter{.race_id = race_id, .gender = "F"}, "last_name", "result_id", 25,
       count_where(sa, "FROM ct_results r JOIN ct_participants p ON p.participant_id = r.participant_id "
                       "WHERE r.is_final AND p.gender = 'F' AND r.race_id = ", race_id));
  ParticipantsQuery pa(l.a, l.db.dialect());
  walk(sa, pa, ParticipantsQuery::Filter{.event_id = boston_id}, "last_name", "participant_id", 100,
       count_where(sa, "FROM ct_participants WHERE event_id = ", boston_id));
  // the default order is fastest first
  PageRequest first{20, "", ""};
  auto fastest = sa.query(ra.list({.race_id = race_id}, first));
  for (std::size_t i = 1; i < 20; ++i)
    BOOST_TEST(as_int(fastest.at(i - 1, "results_time_ms")).value_or(0) <= as_int(fastest.at(i, "results_time_ms")).value_or(0));
  // A's race seen by B: nothing
  BOOST_TEST(sb.query(rb.list({.race_id = race_id}, {10, "", ""})).rows.empty());
  // the fastest Boston finisher of the fixture (shared/nl/examples.tsv: 7758000 ms)
  auto top = sa.query(ra.list({.race_id = race_id, .status = "finished"}, {1, "", ""}));
  BOOST_TEST(as_int(top.at(0, "results_time_ms")) == std::optional<std::int64_t>(7'758'000));
  BOOST_TEST(as_int(top.at(0, "overall_place")) == std::optional<std::int64_t>(1));
  // time bounds are inclusive
  auto bounded = sa.query(ra.list({.race_id = race_id, .min_time_ms = 7'758'000, .max_time_ms = 8'045'000}, {10, "", ""}));
  BOOST_TEST(bounded.rows.size() == 2u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sqlite_isolation_and_pagination) {
  test::TempDir dir;
  check_isolation_and_pagination(dir.sqlite_url());
}

BOOST_AUTO_TEST_CASE(postgresql_isolation_and_pagination) {
  check_isolation_and_pagination(test::ThrowawayPostgres::shared().create_database());
}
