#include "app/pipeline/audit_trail.hpp"

namespace racetimingd::app {

void CallerFacts::learn(const racetiming::Tenant& tenant) {
  partner_id = tenant.partner_id();
  user_id = tenant.context().user_id;
  key_id = tenant.context().key_id;
}

http::Respond AuditTrail::observe(const http::Request& request, const std::string& request_id, const Route& route,
                                  std::string client_address, std::chrono::steady_clock::time_point start,
                                  std::shared_ptr<const CallerFacts> facts, http::Respond respond) const {
  return [this, start, method = request.method, route = &route, request_id, client_address = std::move(client_address),
          facts = std::move(facts), respond = std::move(respond)](http::Response r) {
    racetiming::audit::AuditEvent event;
    event.partner_id = facts->partner_id;
    event.user_id = facts->user_id;
    event.key_id = facts->key_id;
    event.method = method;
    event.route = route->pattern;
    event.status = static_cast<int>(r.status);
    event.request_id = request_id;
    event.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    event.client_address = client_address;
    // queued before the answer goes: once a client has its answer, the row of its request is on its way
    // (a full queue makes the answer wait rather than the row go missing)
    engine_.record_audit(std::move(event));
    respond(std::move(r));
  };
}

}  // namespace racetimingd::app
