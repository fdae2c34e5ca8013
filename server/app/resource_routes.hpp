#pragma once
#include <cstdint>
#include <string>

#include "app/router.hpp"

namespace racetimingd::app {

// An interchange CSV of a large event (30,000 entries with splits) is about 10 MiB.
inline constexpr std::uint64_t kImportBodyLimit = 64ull * 1024 * 1024;

// Events, races, participants, results and imports under prefix ("/api/v1/partners/{partner_id}" or
// "/api/v1"), each a call to the call's Tenant.
void add_resource_routes(Router& router, const std::string& prefix);

}  // namespace racetimingd::app
