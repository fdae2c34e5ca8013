#pragma once
// Internal: the sync_runs rows, written by file imports (one finished row) and syncs (a running row
// brought up to date after each race), read by the sync history.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "racetiming/ingest/sync_run.hpp"

namespace racetiming {
class TenantSession;
}

namespace racetiming::ingest::detail {

// Inserts the run as it is (a running one has no finished_at) and returns its id.
std::int64_t insert_run(TenantSession& session, const SyncRun& run);
// Writes the run's status, counts, progress and error; a status other than running sets finished_at.
void update_run(TenantSession& session, const SyncRun& run);
std::vector<SyncRun> list_runs(TenantSession& session, std::size_t limit, const std::string& provider = {});
std::optional<SyncRun> find_run(TenantSession& session, std::int64_t sync_run_id);
// Marks the partner's runs of a provider still shown running (their process ended mid-way) as failed.
void mark_interrupted(TenantSession& session, const std::string& provider);

}  // namespace racetiming::ingest::detail
