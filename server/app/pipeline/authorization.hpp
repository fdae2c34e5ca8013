#pragma once
// The permission step: the route's permission must be one the credential carries (Error(forbidden)).
// The Engine checks each call again; this step answers before any work is planned.
#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

void authorize(const Route& route, const racetiming::Tenant& tenant);

}  // namespace racetimingd::app
