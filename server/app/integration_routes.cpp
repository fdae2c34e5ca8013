#include "app/integration_routes.hpp"

#include <fmt/format.h>

#include "app/call_params.hpp"
#include "racetiming/racetiming.hpp"

namespace racetimingd::app {
namespace {

namespace rt = racetiming;
namespace ri = racetiming::integrations;

ri::Provider provider(const Call& c) { return ri::parse_provider(c.path_params.at("provider")); }

http::Response json(std::string body, unsigned status = 200) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// The history's address of a run, under the prefix the call came by.
std::string run_location(const Call& c, std::int64_t run_id) {
  const auto at = c.path.find("/integrations/");
  return fmt::format("{}/sync-history/{}", c.path.substr(0, at), run_id);
}

}  // namespace

void add_integration_routes(Router& router, const std::string& prefix, Background background) {
  router.add({.method = "GET", .pattern = prefix + "/integrations", .permission = "manage:integrations",
              .summary = "The partner's links to RunSignUp, ChronoTrack and Race Roster (credentials never shown)",
              .handler = [](const Call& c) { return json(rt::format::integrations_json(c.partner().integrations())); },
              .tag = "integrations", .response = "IntegrationList"});
  router.add({.method = "GET", .pattern = prefix + "/integrations/{provider}", .permission = "manage:integrations",
              .summary = "One link to a provider (credential field names only)",
              .handler = [](const Call& c) { return json(rt::format::integration_json(c.partner().integration(provider(c)))); },
              .tag = "integrations", .response = "Integration"});
  router.add({.method = "PUT", .pattern = prefix + "/integrations/{provider}", .permission = "manage:integrations",
              .summary = "Create or replace the link to a provider: base URL, credentials (write-only, sealed at rest), events",
              .handler = [](const Call& c) {
                const auto p = provider(c);
                return json(rt::format::integration_json(
                    c.partner().put_integration(p, rt::format::integration_input_from_json(c.request.body))));
              },
              .tag = "integrations", .body = "IntegrationInput", .response = "Integration"});
  router.add({.method = "DELETE", .pattern = prefix + "/integrations/{provider}", .permission = "manage:integrations",
              .summary = "Remove the link to a provider (its data stays)",
              .handler = [](const Call& c) {
                c.partner().remove_integration(provider(c));
                http::Response r;
                r.status = 204;
                return r;
              },
              .tag = "integrations", .status = 204});
  router.add({.method = "POST", .pattern = prefix + "/integrations/{provider}/sync", .permission = "manage:integrations",
              .summary = "Start a sync (incremental from the last good run; full=true: everything); poll its Location",
              .handler = [background](const Call& c) {
                ri::SyncOptions options;
                options.full = flag_query(c, "full");
                // recorded (status running) now, run on a background worker; its own thread keeps it
                auto job = std::make_shared<ri::SyncJob>(c.partner().start_sync(provider(c), options));
                const auto id = job->run_id();
                background([job] { job->run(); });
                http::Response r = json(fmt::format(R"({{"sync_run_id":{},"status":"running"}})", id), 202);
                r.headers.emplace_back("Location", run_location(c, id));
                return r;
              },
              .tag = "integrations", .params = {{"full", "query", "boolean", "Read everything, not only changes"}},
              .response = "SyncStarted", .status = 202, .rate_class = "imports"});
  router.add({.method = "GET", .pattern = prefix + "/sync-history", .permission = "manage:integrations",
              .summary = "Syncs and imports, latest first",
              .handler = [](const Call& c) {
                const auto limit = id_query(c, "limit").value_or(50);
                return json(rt::format::sync_runs_json(
                    c.partner().sync_runs(static_cast<std::size_t>(std::max<std::int64_t>(limit, 0)),
                                          text_query(c, "provider").value_or(""))));
              },
              .tag = "integrations",
              .params = {{"limit", "query", "integer", "Runs (default 50, at most 1000)"},
                         {"provider", "query", "string", "Only this provider's (or interchange: file imports)"}},
              .response = "SyncRunList"});
  router.add({.method = "GET", .pattern = prefix + "/sync-history/{sync_run_id}", .permission = "manage:integrations",
              .summary = "One sync or import: status, progress while running, counts, error",
              .handler = [](const Call& c) {
                return json(rt::format::sync_run_json(c.partner().sync_run(path_id(c, "sync_run_id"))));
              },
              .tag = "integrations", .response = "SyncRun"});
}

}  // namespace racetimingd::app
