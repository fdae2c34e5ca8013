#pragma once
// The audit row of a request: every call of a route that needs a credential, and of the routes that
// exchange one (the token, the natural-language login), success or refusal alike. The steps before the
// handler leave what they learnt of the caller in CallerFacts; when the answer goes out, the facts, the
// route's template, the status, the time taken and the client's address become one event, queued to the
// Engine's writer (audit/audit_trail.hpp). The path's values and the query string never enter it.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/router.hpp"
#include "http/message.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

struct CallerFacts {
  std::optional<std::int64_t> partner_id, user_id, key_id;
  void learn(const racetiming::Tenant& tenant);
};

class AuditTrail {
 public:
  // On when the Engine's trail is (EngineOptions::audit).
  explicit AuditTrail(racetiming::Engine& engine) : engine_(engine), enabled_(engine.audits()) {}

  // Whether the route's calls are audited (and the facts worth gathering).
  bool audits(const Route& route) const { return enabled_ && (!route.permission.empty() || route.rate_class == "auth"); }

  // What to call with the answer: it queues the audit row, then passes the answer on.
  http::Respond observe(const http::Request& request, const std::string& request_id, const Route& route,
                        std::string client_address, std::chrono::steady_clock::time_point start,
                        std::shared_ptr<const CallerFacts> facts, http::Respond respond) const;

 private:
  racetiming::Engine& engine_;
  bool enabled_;
};

}  // namespace racetimingd::app
