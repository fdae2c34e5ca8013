#include "racetiming/auth/api_key_verifier.hpp"

#include <mutex>
#include <unordered_map>

#include "racetiming/auth/secret_hash.hpp"

namespace racetiming::auth {
namespace {

constexpr std::size_t kMaxEntries = 10'000;

}  // namespace

struct ApiKeyVerifier::Cache {
  struct Entry {
    admin::VerifiedKey key;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mutex;
  std::unordered_map<std::string, Entry> entries;
};

ApiKeyVerifier::ApiKeyVerifier(Database& db, std::chrono::seconds ttl)
    : db_(db), ttl_(ttl), cache_(std::make_unique<Cache>()) {}
ApiKeyVerifier::~ApiKeyVerifier() = default;

std::optional<admin::VerifiedKey> ApiKeyVerifier::verify(std::string_view api_key) {
  const std::string id = sha256_hex(api_key);  // the cache keeps no secret, only its digest
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(cache_->mutex);
    if (auto it = cache_->entries.find(id); it != cache_->entries.end()) {
      if (it->second.expires > now) return it->second.key;
      cache_->entries.erase(it);
    }
  }
  auto verified = admin::verify_api_key(db_, api_key);
  if (verified) {
    std::lock_guard lock(cache_->mutex);
    if (cache_->entries.size() >= kMaxEntries) cache_->entries.clear();  // bounded: a full cache starts over
    cache_->entries[id] = {*verified, now + ttl_};
  }
  return verified;
}

}  // namespace racetiming::auth
