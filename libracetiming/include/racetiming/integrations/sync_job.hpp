#pragma once
// One sync from a provider, recorded (status running) when the Tenant starts it, run on any thread:
// the daemon answers 202 with run_id() and runs it on a worker; the CLI and Python run it in place.
#include <cstdint>
#include <memory>

#include "racetiming/integrations/integration.hpp"

namespace racetiming::integrations {

class SyncJob {
 public:
  struct State;  // the library's own
  explicit SyncJob(std::unique_ptr<State> state);
  SyncJob(SyncJob&&) noexcept;
  SyncJob& operator=(SyncJob&&) noexcept;
  ~SyncJob();  // a job never run is recorded as failed

  std::int64_t run_id() const noexcept;

  // Runs the sync to its end. Each race is read whole from the provider, then written in a transaction
  // of its own, so a failure (the provider down past its retries, the request budget spent, the process
  // killed) keeps the races done before it and loses nothing: the next run, incremental from the last
  // good run, completes the data. Provider failures do not throw: the run ends failed, saying why.
  // Runs once; Error(conflict) for a second call.
  SyncRun run(const SyncProgress& progress = {});

 private:
  std::unique_ptr<State> state_;
};

}  // namespace racetiming::integrations
