#include "app/operations_routes.hpp"

#include <memory>

#include <fmt/format.h>

#include "app/docs_site.hpp"

namespace racetimingd::app {

using racetiming::Error;
using racetiming::ErrorCode;

void add_operations_routes(Router& router, racetiming::Engine& engine, const Metrics& metrics, const std::string& docs_dir,
                           const OpenApiDocuments& openapi) {
  auto status_body = [](const char* status) {
    http::Response r;
    r.body = fmt::format(R"({{"status":"{}"}})", status);
    return r;
  };
  router.add({.method = "GET", .pattern = "/healthz", .summary = "Process is up",
              .handler = [status_body](const Call&) { return status_body("ok"); }, .never_blocks = true,
              .tag = "operations", .response = "Status"});
  router.add({.method = "GET", .pattern = "/readyz", .summary = "Database is reachable",
              .handler = [&engine, status_body](const Call&) {
                if (!engine.ping()) throw Error(ErrorCode::unavailable, "database unreachable");
                return status_body("ready");
              },
              .tag = "operations", .response = "Status"});
  router.add({.method = "GET", .pattern = "/metrics", .summary = "Prometheus metrics",
              .handler = [&engine, &metrics](const Call&) {
                http::Response r;
                r.content_type = "text/plain; version=0.0.4";
                r.body = metrics.render(engine.connections_in_use(), engine.connections());
                return r;
              },
              .never_blocks = true, .tag = "operations", .response = "text/plain"});
  router.add({.method = "GET", .pattern = "/api/v1/openapi.json", .summary = "This API as an OpenAPI 3.1 document",
              .handler = [&openapi](const Call&) {
                http::Response r;
                r.body = openapi.full;
                return r;
              },
              .tag = "operations", .response = "application/vnd.oai.openapi+json"});
  router.add({.method = "GET", .pattern = "/api/v1/openapi-tools.json",
              .summary = "The reads and nl-query alone, as an OpenAPI document for tool use (an OpenWebUI tool server)",
              .handler = [&openapi](const Call&) {
                http::Response r;
                r.body = openapi.tools;
                return r;
              },
              .tag = "operations", .response = "application/vnd.oai.openapi+json"});
  auto docs = std::make_shared<const DocsSite>(docs_dir);
  router.add({.method = "GET", .pattern = "/docs", .summary = "This API in Swagger UI",
              .handler = [docs](const Call& c) { return docs->page(c.path); }, .tag = "operations",
              .response = "text/html"});
  router.add({.method = "GET", .pattern = "/docs/{file}", .summary = "Swagger UI's files",
              .handler = [docs](const Call& c) { return docs->file(c.path_params.at("file")); }, .tag = "operations",
              .response = "application/octet-stream"});
}

}  // namespace racetimingd::app
