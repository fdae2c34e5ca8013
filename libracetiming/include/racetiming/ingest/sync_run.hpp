#pragma once
// One sync or import, as the sync_runs table records it: what GET /sync-history shows.
#include <cstdint>
#include <string>

namespace racetiming::ingest {

struct SyncRun {
  std::int64_t sync_run_id = 0;
  std::string provider;  // runsignup, chronotrack, raceroster, or interchange (a file import)
  std::string source;    // the file name, or the provider's base URL
  std::string mode;      // full, incremental or file
  std::string status;    // running, succeeded or failed
  std::string started_at, finished_at;
  std::int64_t races_total = 0, races_done = 0;
  std::int64_t read = 0, created = 0, updated = 0, removed = 0, skipped = 0, failed = 0;
  std::string error;  // why it failed; for a run that skipped rows or races, the first of them
};

}  // namespace racetiming::ingest
