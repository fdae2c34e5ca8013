#pragma once
#include <string>

#include "app/router.hpp"

namespace racetimingd::app {

// GET {prefix}/analytics/{performance,demographics,trends} and {prefix}/reports/{finishers,awards,
// boston-qualifiers}: each a call to the call's Tenant, answered as JSON or (format=csv) one table as CSV.
void add_report_routes(Router& router, const std::string& prefix);

}  // namespace racetimingd::app
