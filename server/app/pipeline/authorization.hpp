#pragma once
// The permission step: the route's permission must be one the credential carries (Error(forbidden)),
// checked by the Tenant's own check, before any work is planned (each Engine call checks again).
#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

void authorize(const Route& route, const racetiming::Tenant& tenant);

}  // namespace racetimingd::app
