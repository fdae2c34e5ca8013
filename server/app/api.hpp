#pragma once
// The REST API over the Engine. A request passes through small steps, each in a file of its own under
// pipeline/: request id, routing, authentication, tenant resolution, authorization, the route's handler,
// the problem writer (every failure, one shape) and the access log (every answer, once). Handlers only
// read the call, call the Engine and write the answer. A route that is one tenant read runs it on the
// connection's I/O thread without blocking it (libpq's non-blocking pipeline, its socket watched by
// Asio) when it can; everything else that touches the database runs on a worker pool sized to the
// connection pool, never on the I/O threads.
#include <memory>
#include <string>
#include <vector>

#include "app/pipeline/rate_limiting.hpp"
#include "racetiming/cache/response_cache.hpp"
#include "app/router.hpp"
#include "http/message.hpp"
#include "racetiming/engine.hpp"

namespace spdlog {
class logger;
}

namespace racetimingd::app {

struct ApiOptions {
  std::string base_domain = "racetiming.local";  // domain tenancy: {slug}-api.{base_domain}
  unsigned workers = 4;                           // database threads; match the connection pool
  std::shared_ptr<spdlog::logger> access_log;     // one JSON line per request; none when null
  std::string docs_dir;  // swagger-ui-dist, served at /docs; empty or missing: /docs answers 404
  std::vector<std::string> cors_origins = {};  // browser origins allowed to call (OpenWebUI's); "*": any
  unsigned background_workers = 2;             // syncs running at once (more wait their turn)
  RateLimitingOptions rate_limits = {};        // no limiter: no limits (the daemon sets one)
  // Answers of cacheable routes kept under the partner's data version; none: ETags and 304s only.
  std::shared_ptr<racetiming::cache::ResponseCache> response_cache = {};
};

class Api {
 public:
  Api(racetiming::Engine& engine, ApiOptions options);
  ~Api();
  void handle(http::Request request, http::Respond respond);
  const Router& router() const;
  // The request body limit of a target: the route's own, else default_limit.
  std::uint64_t body_limit(std::string_view method, std::string_view target, std::uint64_t default_limit) const;
  // Waits for queued database work to finish (before the HTTP server goes away).
  void join();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace racetimingd::app
