#pragma once
// Integrations and sync runs as the REST API shows them, and the body PUT /integrations/{provider}
// takes. An integration's JSON names its credential fields, never their values.
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/ingest/sync_run.hpp"
#include "racetiming/integrations/integration.hpp"

namespace racetiming::format {

std::string integration_json(const integrations::Integration& integration);
std::string integrations_json(const std::vector<integrations::Integration>& integrations);  // {"data": [...]}
std::string sync_run_json(const ingest::SyncRun& run);
std::string sync_runs_json(const std::vector<ingest::SyncRun>& runs);  // {"data": [...]}

// {"base_url": "...", "credentials": {"name": "value", ...}, "event_ids": ["...", ...], "enabled": true};
// credentials, event_ids and enabled may be left out. Anything else is Error(invalid_parameter) naming
// the member.
integrations::IntegrationInput integration_input_from_json(std::string_view body);

}  // namespace racetiming::format
