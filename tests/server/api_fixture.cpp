#include "api_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include "racetiming/admin/api_keys.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/auth/permissions.hpp"
#include "racetiming/ingest/importer.hpp"
#include "test_support.hpp"

namespace racetiming::test {

racetiming::auth::JwtConfig jwt_config() {
  racetiming::auth::JwtConfig c;
  c.keys = {{"current", std::string(48, 'c'), false}, {"retired", std::string(48, 'r'), true}};
  return c;
}

namespace {

racetiming::EngineOptions engine_options(const racetiming::DatabaseOptions& database) {
  racetiming::EngineOptions o{.pool_size = database.pool_size, .acquire_timeout = database.acquire_timeout};
  o.jwt = jwt_config();
  o.audit.enabled = true;  // every test daemon audits, as the real one does
  return o;
}

}  // namespace

Daemon::Daemon(const std::string& url, racetiming::DatabaseOptions options, racetimingd::app::RateLimitingOptions limits,
               std::shared_ptr<racetiming::cache::ResponseCache> cache)
    : engine(url, engine_options(options)), db(engine.database()) {
  namespace admin = racetiming::admin;
  a = admin::add_partner(db, "Big River Race Management", "big-river");
  b = admin::add_partner(db, "Mid-Hudson Road Runners", "mid-hudson");
  racetiming::ingest::import_interchange_csv(db, a, read_file(shared_dir() / "fixtures" / "big-river.csv"));
  racetiming::ingest::import_interchange_csv(db, b, read_file(shared_dir() / "fixtures" / "mid-hudson.csv"));
  key_a = admin::create_api_key(db, a).api_key;
  key_b = admin::create_api_key(db, b).api_key;
  key_a_events_only = admin::create_api_key(db, a, {}, {"read:events"}).api_key;
  racetimingd::app::ApiOptions api_options{"example.test", static_cast<unsigned>(db.pool_size()), nullptr, RACETIMING_SWAGGER_UI,
                                           {std::string(kCorsOrigin)}};
  api_options.rate_limits = std::move(limits);
  api_options.response_cache = std::move(cache);
  api = std::make_unique<racetimingd::app::Api>(engine, std::move(api_options));
  racetimingd::http::ServerOptions o;
  o.port = 0;
  o.body_limit_for = [this](std::string_view method, std::string_view target) {
    return api->body_limit(method, target, 1024 * 1024);
  };
  server = std::make_unique<racetimingd::http::Server>(o, [this](auto r, auto respond) {
    api->handle(std::move(r), std::move(respond));
  });
  server->start();
  port = server->port();
  thread = std::thread([this] { server->run(); });
}

Daemon::~Daemon() {
  server->stop();
  thread.join();
  api->join();
}

std::string Daemon::full_key(std::int64_t partner) {
  std::vector<std::string> all(auth::all_permissions().begin(), auth::all_permissions().end());
  return admin::create_api_key(db, partner, {}, all).api_key;
}

HttpReply Daemon::get(const std::string& target, const std::string& key, std::map<std::string, std::string> headers) {
  if (!key.empty()) headers["X-API-Key"] = key;
  return http_get(port, target, headers);
}

HttpReply Daemon::send(const std::string& method, const std::string& target, const std::string& key,
                       const std::string& body, std::map<std::string, std::string> headers) {
  if (!key.empty()) headers["X-API-Key"] = key;
  if (!body.empty() && !headers.count("Content-Type")) headers["Content-Type"] = "application/json";
  return http_request(port, method, target, headers, body);
}

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  BOOST_REQUIRE_MESSAGE(!d.HasParseError(), "not JSON: " + body.substr(0, 200));
  return d;
}

std::string code_of(const HttpReply& r) {
  auto d = parse(r.body);
  return d.IsObject() && d.HasMember("code") ? d["code"].GetString() : "";
}

std::int64_t first_id(Daemon& d, const std::string& target, const std::string& key, const char* column) {
  auto r = d.get(target, key);
  BOOST_REQUIRE_MESSAGE(r.status == 200u, target + ": " + r.body);
  return parse(r.body)["data"][0][column].GetInt64();
}

}  // namespace racetiming::test
