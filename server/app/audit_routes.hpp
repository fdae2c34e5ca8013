#pragma once
#include <string>

#include "app/router.hpp"

namespace racetimingd::app {

// GET {prefix}/audit: the partner's audit rows, newest first, a page at a time (read:audit).
void add_audit_routes(Router& router, const std::string& prefix);

}  // namespace racetimingd::app
