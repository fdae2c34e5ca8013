#include "app/pipeline/cors.hpp"

#include <algorithm>

namespace racetimingd::app {

bool Cors::allowed(std::string_view origin) const {
  return !origin.empty() && std::any_of(origins_.begin(), origins_.end(), [&](const std::string& o) { return o == "*" || o == origin; });
}

std::optional<http::Response> Cors::preflight(const http::Request& request) const {
  if (request.method != "OPTIONS" || request.header("Access-Control-Request-Method").empty()) return std::nullopt;
  const std::string_view origin = request.header("Origin");
  if (!allowed(origin)) return std::nullopt;
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  r.headers = {{"Access-Control-Allow-Origin", std::string(origin)},
               {"Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"},
               {"Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key, X-Request-ID, X-Timing-Partner-ID, Idempotency-Key"},
               {"Access-Control-Max-Age", "600"},
               {"Vary", "Origin"}};
  return r;
}

http::Respond Cors::wrap(const http::Request& request, http::Respond respond) const {
  const std::string_view origin = request.header("Origin");
  if (!allowed(origin)) return respond;
  return [origin = std::string(origin), respond = std::move(respond)](http::Response r) {
    r.headers.emplace_back("Access-Control-Allow-Origin", origin);
    r.headers.emplace_back("Access-Control-Expose-Headers", "X-Request-ID, Link");
    r.headers.emplace_back("Vary", "Origin");
    respond(std::move(r));
  };
}

}  // namespace racetimingd::app
