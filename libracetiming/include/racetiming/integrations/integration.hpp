#pragma once
// A partner's link to a provider (base URL, write-only credentials, which of its events to sync) and the
// record of each sync and import (sync_runs).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "racetiming/ingest/sync_run.hpp"
#include "racetiming/integrations/provider.hpp"

namespace racetiming::integrations {

using ingest::SyncRun;

// What a partner stores for a provider. Credentials go in and never come out: reading an integration
// tells only which credential fields are set.
struct IntegrationInput {
  std::string base_url;                            // e.g. the provider's API root; http(s)
  std::map<std::string, std::string> credentials;  // per provider, see docs/integrations.md; empty: keep
  std::vector<std::string> event_ids;              // the provider's events to sync; empty: every one listed
  bool enabled = true;
};

struct Integration {
  Provider provider = Provider::runsignup;
  std::string base_url;
  std::vector<std::string> credential_fields;  // names only
  std::vector<std::string> event_ids;
  bool enabled = true;
  std::optional<std::int64_t> watermark;  // Unix seconds: what the next incremental sync asks for changes since
  std::string created_at, updated_at;
};

struct SyncOptions {
  bool full = false;  // else incremental from the last good watermark (a first sync is always full)
  std::size_t request_budget = 10000;
  int max_attempts = 5;  // per request
  std::chrono::milliseconds initial_backoff{250}, max_backoff{30000};
  std::chrono::milliseconds connect_timeout{5000}, read_timeout{30000};
  std::size_t page_size = 1000;  // results per request (each provider caps it)
  std::string ca_file = {};      // also trust these certificates (PEM): a private provider endpoint
};

// Called after each race is committed (and once at the start, races_done 0).
using SyncProgress = std::function<void(const SyncRun&)>;

}  // namespace racetiming::integrations
