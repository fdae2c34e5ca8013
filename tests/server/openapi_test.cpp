// The OpenAPI document covers the router's table exactly (every route and method, parameters and
// errors), and /docs serves Swagger UI from the installed package. A real validator and a headless
// browser check the same document and page in the `openapi` and `docs_ui` ctest tests.
#include <boost/test/unit_test.hpp>

#include "api_fixture.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(openapi_document_covers_every_route) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url());
  auto reply = d.get("/api/v1/openapi.json", "");
  BOOST_REQUIRE(reply.status == 200u);
  auto doc = test::parse(reply.body);
  BOOST_TEST(std::string(doc["openapi"].GetString()) == "3.1.0");
  const auto& paths = doc["paths"];
  std::size_t operations = 0;
  for (const auto& path : paths.GetObject()) operations += path.value.MemberCount();
  BOOST_TEST(operations == d.api->router().routes().size());
  for (const auto& route : d.api->router().routes()) {
    BOOST_TEST_CONTEXT(route.method << " " << route.pattern) {
      BOOST_REQUIRE(paths.HasMember(route.pattern.c_str()));
      const std::string method = lower(route.method);
      BOOST_REQUIRE(paths[route.pattern.c_str()].HasMember(method.c_str()));
      const auto& op = paths[route.pattern.c_str()][method.c_str()];
      const auto& responses = op["responses"];
      BOOST_TEST(responses.HasMember(std::to_string(route.status).c_str()));
      if (!route.permission.empty()) {
        BOOST_TEST(responses.HasMember("401"));
        BOOST_TEST(responses.HasMember("403"));
        BOOST_TEST(op.HasMember("security"));
      }
      // every path parameter and documented parameter is declared
      std::size_t braces = 0;
      for (char c : route.pattern) braces += c == '{';
      std::size_t in_path = 0;
      for (const auto& p : op["parameters"].GetArray()) in_path += std::string(p["in"].GetString()) == "path";
      BOOST_TEST(in_path == braces);
      if (!route.body.empty()) BOOST_TEST(op.HasMember("requestBody"));
    }
  }
  // the write schemas come from the library's field tables
  BOOST_TEST(doc["components"]["schemas"]["ParticipantWrite"]["properties"].HasMember("bib"));
  BOOST_TEST(doc["components"]["schemas"]["Result"]["properties"].HasMember("results_time"));
}

BOOST_AUTO_TEST_CASE(docs_serve_swagger_ui_from_the_package) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url());
  auto redirect = d.get("/docs", "");
  BOOST_TEST(redirect.status == 301u);
  BOOST_TEST(redirect.headers.at("location") == "/docs/");
  auto page = d.get("/docs/", "");
  BOOST_REQUIRE(page.status == 200u);
  BOOST_TEST(page.headers.at("content-type").starts_with("text/html"));
  BOOST_TEST(page.body.find("swagger-ui") != std::string::npos);
  auto init = d.get("/docs/swagger-initializer.js", "");
  BOOST_TEST(init.body.find("/api/v1/openapi.json") != std::string::npos);
  BOOST_TEST(d.get("/docs/swagger-ui-bundle.js", "").status == 200u);
  BOOST_TEST(d.get("/docs/..%2F..%2Fetc%2Fpasswd", "").status == 404u);
  BOOST_TEST(d.get("/docs/package.json", "").status == 404u);
}
