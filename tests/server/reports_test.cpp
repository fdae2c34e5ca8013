// GET /analytics/* and /reports/* over real HTTP: the routes reach the library (whose answers
// tests/python/test_analytics.py checks against values computed from the fixtures), answer JSON or CSV,
// and refuse bad input with a problem naming the parameter: an unknown race, another partner's race
// (404, never revealing it exists), a negative count, an unknown format, a missing permission.
#include <boost/test/unit_test.hpp>

#include "api_fixture.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

std::string parameter_of(const test::HttpReply& r) {
  const auto body = test::parse(r.body);
  return body.HasMember("parameter") ? body["parameter"].GetString() : "";
}

struct Partners {
  test::TempDir dir;
  test::Daemon d{dir.sqlite_url()};
  std::string pa = "/api/v1/partners/" + std::to_string(d.a), pb = "/api/v1/partners/" + std::to_string(d.b);
  std::string race_a = std::to_string(test::first_id(d, pa + "/races?limit=1", d.key_a, "race_id"));
  std::string race_b = std::to_string(test::first_id(d, pb + "/races?limit=1", d.key_b, "race_id"));
};

}  // namespace

BOOST_AUTO_TEST_SUITE(reports_routes)

BOOST_AUTO_TEST_CASE(answers_json_and_csv) {
  Partners p;
  auto& d = p.d;
  for (const std::string route : {"/reports/finishers", "/reports/awards", "/reports/boston-qualifiers", "/analytics/performance",
                                  "/analytics/demographics"}) {
    const auto r = d.get(p.pa + route + "?race_id=" + p.race_a, d.key_a);
    BOOST_TEST(r.status == 200u, route << ": " << r.body);
    const auto body = test::parse(r.body);
    BOOST_TEST(body["races"].GetArray().Size() == 1u, route);
    BOOST_TEST(body["races"][0]["race_id"].GetInt64() == std::stoll(p.race_a), route);
  }
  const auto finishers = test::parse(d.get(p.pa + "/reports/finishers?race_id=" + p.race_a, d.key_a).body);
  const auto& first = finishers["finishers"][0];
  BOOST_TEST(first["place"].GetInt64() == 1);
  BOOST_TEST(std::string(first["chip_time"].GetString()).find(':') != std::string::npos);  // printed beside the ms
  BOOST_TEST(first["age_grade"].IsNumber());
  // CSV by parameter or by Accept; format=csv&table= picks a table of a report with several
  const auto csv = d.get(p.pa + "/reports/finishers?format=csv&race_id=" + p.race_a, d.key_a);
  BOOST_TEST(csv.status == 200u);
  BOOST_TEST(csv.headers.at("content-type").starts_with("text/csv"));
  BOOST_TEST(csv.body.starts_with("place,bib,name,gender,age,division,division_place,gender_place,chip_time_ms,chip_time,"));
  const auto accepted = d.get(p.pa + "/reports/awards?race_id=" + p.race_a, d.key_a, {{"Accept", "text/csv"}});
  BOOST_TEST(accepted.body.starts_with("award,category,place,name,bib,"));
  const auto bins = d.get(p.pa + "/analytics/performance?format=csv&table=histogram&race_id=" + p.race_a, d.key_a);
  BOOST_TEST(bins.body.starts_with("race_id,from_time_ms,from_time,to_time_ms,to_time,finishers\r\n"), bins.body.substr(0, 80));
  // awards: a tie is a JSON boolean
  const auto awards = test::parse(d.get(p.pa + "/reports/awards?race_id=" + p.race_a, d.key_a).body);
  BOOST_TEST(awards["awards"][0]["tie"].IsBool());
  // trends and demographics without a race; the header form of tenancy reaches the same routes
  BOOST_TEST(d.get(p.pa + "/analytics/trends?event_name=Boston%20Marathon", d.key_a).status == 200u);
  BOOST_TEST(d.get(p.pa + "/analytics/trends?year_from=2022&year_to=2024", d.key_a).status == 200u);
  BOOST_TEST(d.get(p.pa + "/analytics/demographics?year=2024", d.key_a).status == 200u);
  BOOST_TEST(d.get("/api/v1/reports/finishers?race_id=" + p.race_a, d.key_a, {{"X-Timing-Partner-ID", std::to_string(d.a)}}).status ==
             200u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_problem_naming_the_parameter) {
  Partners p;
  auto& d = p.d;
  struct Case {
    std::string target;
    unsigned status;
    std::string code, parameter;
  };
  const std::vector<Case> cases{
      {"/reports/finishers", 400, "invalid_parameter", "race_id"},
      {"/reports/finishers?race_id=abc", 400, "invalid_parameter", "race_id"},
      {"/reports/finishers?race_id=999999", 404, "not_found", "race_id"},
      {"/reports/finishers?race_id=" + p.race_b, 404, "not_found", "race_id"},  // partner B's race
      {"/reports/awards?race_id=" + p.race_b, 404, "not_found", "race_id"},
      {"/analytics/performance?race_id=" + p.race_b, 404, "not_found", "race_id"},
      {"/reports/awards?overall=-1&race_id=" + p.race_a, 400, "invalid_parameter", "overall"},
      {"/reports/awards?division=-3&race_id=" + p.race_a, 400, "invalid_parameter", "division"},
      {"/reports/awards?masters=two&race_id=" + p.race_a, 400, "invalid_parameter", "masters"},
      {"/reports/awards?double_awards=maybe&race_id=" + p.race_a, 400, "invalid_parameter", "double_awards"},
      {"/reports/finishers?format=xml&race_id=" + p.race_a, 400, "invalid_parameter", "format"},
      {"/analytics/performance?format=csv&table=nope&race_id=" + p.race_a, 400, "invalid_parameter", "table"},
      {"/analytics/performance", 400, "invalid_parameter", "race_id"},
      {"/analytics/performance?event_id=999999", 404, "not_found", "event_id"},
      {"/analytics/demographics?year=abc", 400, "invalid_parameter", "year"},
      {"/analytics/demographics?year=2024&race_id=" + p.race_a, 400, "invalid_parameter", "year"},
      {"/analytics/trends?event_name=No%20Such%20Race", 404, "not_found", "event_name"},
      {"/analytics/trends?year_from=2025&year_to=2020", 400, "invalid_parameter", "year_from"},
      {"/analytics/trends?event_name=Boston%20Marathon&distance_m=0", 400, "invalid_parameter", "distance_m"},
  };
  for (const auto& c : cases) {
    const auto r = d.get(p.pa + c.target, d.key_a);
    BOOST_TEST(r.status == c.status, c.target << ": " << r.body);
    BOOST_TEST(test::code_of(r) == c.code, c.target);
    BOOST_TEST(parameter_of(r) == c.parameter, c.target << ": " << r.body);
    BOOST_TEST(r.headers.at("content-type") == "application/problem+json", c.target);
  }
  // a key without the permission, and a key of another partner on this partner's path
  const auto forbidden = d.get(p.pa + "/analytics/performance?race_id=" + p.race_a, d.key_a_events_only);
  BOOST_TEST(forbidden.status == 403u);
  BOOST_TEST(test::code_of(forbidden) == "forbidden");
  const auto mismatch = d.get(p.pa + "/reports/finishers?race_id=" + p.race_a, d.key_b);
  BOOST_TEST(mismatch.status == 403u);
  BOOST_TEST(test::code_of(mismatch) == "tenant_mismatch");
}

BOOST_AUTO_TEST_SUITE_END()
