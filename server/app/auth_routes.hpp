#pragma once
// The credential routes: an API key exchanged for a short-lived JWT, and the natural-language login
// ("I'm Josh from Big River Race Management, show me our events", proven by an API key).
#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

void add_auth_routes(Router& router, racetiming::Engine& engine);

}  // namespace racetimingd::app
