// Cross-origin calls from the configured browser origin (OpenWebUI's): preflights answered before
// routing, answers naming the origin; other origins get no CORS headers.
#include <boost/test/unit_test.hpp>

#include "api_fixture.hpp"
#include "test_support.hpp"

using namespace racetiming;

BOOST_AUTO_TEST_CASE(cors_for_the_configured_origin_only) {
  test::TempDir dir;
  test::Daemon d(dir.sqlite_url());
  const std::map<std::string, std::string> preflight{{"Origin", std::string(test::kCorsOrigin)},
                                                     {"Access-Control-Request-Method", "POST"},
                                                     {"Access-Control-Request-Headers", "authorization, content-type"}};
  auto r = test::http_request(d.port, "OPTIONS", "/v1/chat/completions", preflight);
  BOOST_TEST(r.status == 204u);
  BOOST_TEST(r.headers["access-control-allow-origin"] == test::kCorsOrigin);
  BOOST_TEST(r.headers["access-control-allow-headers"].find("Authorization") != std::string::npos);

  auto other = preflight;
  other["Origin"] = "http://elsewhere.example";
  r = test::http_request(d.port, "OPTIONS", "/v1/chat/completions", other);
  BOOST_TEST(r.status == 405u);  // no preflight for it: the browser refuses the call
  BOOST_TEST(!r.headers.count("access-control-allow-origin"));

  r = d.get("/api/v1/events?limit=1", d.key_a, {{"Origin", std::string(test::kCorsOrigin)}});
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.headers["access-control-allow-origin"] == test::kCorsOrigin);
  r = d.get("/api/v1/events?limit=1", "", {{"Origin", std::string(test::kCorsOrigin)}});
  BOOST_TEST(r.status == 401u);  // an error answer names the origin too, so the page can read it
  BOOST_TEST(r.headers["access-control-allow-origin"] == test::kCorsOrigin);
  r = d.get("/api/v1/events?limit=1", d.key_a, {{"Origin", "http://elsewhere.example"}});
  BOOST_TEST(!r.headers.count("access-control-allow-origin"));
}
