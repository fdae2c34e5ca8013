#pragma once
// Internal: how a Tenant starts a sync (records the run, claims the partner's one slot for the provider).
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "integrations/credential_cipher.hpp"
#include "racetiming/integrations/sync_job.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::integrations {

// The syncs running in this process, by partner and provider: one at a time each.
class SyncSlots {
 public:
  bool claim(std::int64_t partner_id, const std::string& provider) {
    std::lock_guard lock(mutex_);
    return running_.insert({partner_id, provider}).second;
  }
  void release(std::int64_t partner_id, const std::string& provider) {
    std::lock_guard lock(mutex_);
    running_.erase({partner_id, provider});
  }

 private:
  std::mutex mutex_;
  std::set<std::pair<std::int64_t, std::string>> running_;
};

// What a job needs of the engine; `owner` keeps the rest alive while the job lives.
struct SyncServices {
  std::shared_ptr<const void> owner;
  Database* db = nullptr;
  const detail::CredentialCipher* credentials = nullptr;
  SyncSlots* slots = nullptr;
};

// Error(not_found) without an integration, Error(conflict) when it is disabled or already syncing.
SyncJob start_sync(const SyncServices& services, std::int64_t partner_id, Provider provider, const SyncOptions& options);

}  // namespace racetiming::integrations
