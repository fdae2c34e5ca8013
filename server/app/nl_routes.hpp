#pragma once
#include <string>

#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

// POST {prefix}/nl-query: a question in, an answer (JSON, CSV or a sentence) out; {prefix}/event-aliases:
// the partner's own names for its events. Each a call to the call's Tenant.
void add_nl_routes(Router& router, const std::string& prefix);

}  // namespace racetimingd::app
