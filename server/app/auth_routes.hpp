#pragma once
// The credential routes: an API key exchanged for a short-lived JWT, and the natural-language login
// ("I'm Josh from Big River Race Management, show me our events", proven by an API key).
#include "app/pipeline/tenant_resolution.hpp"
#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

// tenants: the partner a request names (X-Timing-Partner-ID, Host) must be the key's here too.
void add_auth_routes(Router& router, racetiming::Engine& engine, const TenantResolver& tenants);

}  // namespace racetimingd::app
