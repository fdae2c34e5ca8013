#pragma once
// An in-process daemon over a database loaded with the two fixture partners (big-river as A, mid-hudson
// as B), with keys for each, served on a free loopback port: what the API tests talk to.
#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "app/api.hpp"
#include "http/server.hpp"
#include "http_client.hpp"
#include "racetiming/engine.hpp"

namespace racetiming::test {

racetiming::auth::JwtConfig jwt_config();
// The browser origin the test daemon allows (as it would OpenWebUI's).
inline constexpr std::string_view kCorsOrigin = "http://openwebui.example";

struct Daemon {
  racetiming::Engine engine;
  racetiming::Database& db;  // the engine's, for checks below the API
  std::int64_t a = 0, b = 0;
  std::string key_a, key_b, key_a_events_only;
  std::unique_ptr<racetimingd::app::Api> api;
  std::unique_ptr<racetimingd::http::Server> server;
  std::thread thread;
  unsigned short port = 0;

  // limits: none unless given (most tests send more requests than a real client would)
  // cache: where answers are kept (none: ETags and 304s only)
  explicit Daemon(const std::string& url, racetiming::DatabaseOptions options = {},
                  racetimingd::app::RateLimitingOptions limits = {},
                  std::shared_ptr<racetiming::cache::ResponseCache> cache = {});
  ~Daemon();
  // A key of the partner with every permission (writes included).
  std::string full_key(std::int64_t partner);
  HttpReply get(const std::string& target, const std::string& key, std::map<std::string, std::string> headers = {});
  // A request with a JSON body (or none) under an API key.
  HttpReply send(const std::string& method, const std::string& target, const std::string& key,
                 const std::string& body = {}, std::map<std::string, std::string> headers = {});
};

rapidjson::Document parse(const std::string& body);
// The problem's code ("" when the body has none).
std::string code_of(const HttpReply& r);
// An id of the first row of a list.
std::int64_t first_id(Daemon& d, const std::string& target, const std::string& key, const char* column);

}  // namespace racetiming::test
