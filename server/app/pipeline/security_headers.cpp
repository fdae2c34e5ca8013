#include "app/pipeline/security_headers.hpp"

namespace racetimingd::app {
namespace {

constexpr const char* kDocsPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

}  // namespace

http::Respond with_security_headers(const http::Request& request, http::Respond respond) {
  const bool credentialed = !request.header("Authorization").empty() || !request.header("X-API-Key").empty();
  const bool docs = request.target == "/docs" || request.target.starts_with("/docs/") || request.target.starts_with("/docs?");
  return [credentialed, docs, respond = std::move(respond)](http::Response r) {
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (credentialed && !r.has_header("Cache-Control")) r.headers.emplace_back("Cache-Control", "no-store");
    if (docs) {
      r.headers.emplace_back("Content-Security-Policy", kDocsPolicy);
      r.headers.emplace_back("X-Frame-Options", "DENY");
    }
    respond(std::move(r));
  };
}

}  // namespace racetimingd::app
