#pragma once
// The routes that serve the process itself: liveness, readiness, Prometheus metrics, the OpenAPI
// document and Swagger UI. None needs a credential.
#include <string>

#include "app/metrics.hpp"
#include "app/router.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

// The OpenAPI documents are read when served: the caller writes them once the route table is complete.
struct OpenApiDocuments {
  std::string full, tools;
};
void add_operations_routes(Router& router, racetiming::Engine& engine, const Metrics& metrics, const std::string& docs_dir,
                           const OpenApiDocuments& openapi);

}  // namespace racetimingd::app
