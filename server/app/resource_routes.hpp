#pragma once
#include <cstdint>
#include <string>

#include "app/router.hpp"
#include "racetiming/store/database.hpp"

namespace racetimingd::app {

// An interchange CSV of a large event (30,000 entries with splits) is about 10 MiB.
inline constexpr std::uint64_t kImportBodyLimit = 64ull * 1024 * 1024;

// Events, races, participants, results and imports under prefix ("/api/v1/partners/{partner_id}" or
// "/api/v1"). db must outlive the router.
void add_resource_routes(Router& router, racetiming::Database& db, const std::string& prefix);

}  // namespace racetimingd::app
