#pragma once
// The routes that serve the process itself: liveness, readiness, Prometheus metrics, the OpenAPI
// document and Swagger UI. None needs a credential.
#include <string>

#include "app/metrics.hpp"
#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

// openapi is read when served: the caller writes it once the route table is complete.
void add_operations_routes(Router& router, racetiming::Engine& engine, const Metrics& metrics, const std::string& docs_dir,
                           const std::string& openapi);

}  // namespace racetimingd::app
