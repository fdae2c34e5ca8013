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

  // The entry, fresh or not; nullopt when the key was never verified here.
  std::optional<Entry> find(const std::string& digest) {
    std::lock_guard lock(mutex);
    if (auto it = entries.find(digest); it != entries.end()) return it->second;
    return std::nullopt;
  }
  void put(const std::string& digest, Entry entry) {
    std::lock_guard lock(mutex);
    if (entries.size() >= kMaxEntries) entries.clear();  // bounded: a full cache starts over
    entries.insert_or_assign(digest, std::move(entry));
  }
  void erase(const std::string& digest) {
    std::lock_guard lock(mutex);
    entries.erase(digest);
  }
};

ApiKeyVerifier::ApiKeyVerifier(Database& db, std::chrono::seconds ttl)
    : db_(db), ttl_(ttl), cache_(std::make_unique<Cache>()) {}
ApiKeyVerifier::~ApiKeyVerifier() = default;

// The cache keeps no secret, only its digest.
std::optional<admin::VerifiedKey> ApiKeyVerifier::cached(std::string_view api_key) const {
  auto hit = cache_->find(sha256_hex(api_key));
  if (!hit || hit->expires <= std::chrono::steady_clock::now()) return std::nullopt;
  return std::move(hit->key);
}

std::optional<admin::VerifiedKey> ApiKeyVerifier::verify(std::string_view api_key) {
  const std::string digest = sha256_hex(api_key);
  const auto now = std::chrono::steady_clock::now();
  auto hit = cache_->find(digest);
  if (hit && hit->expires > now) return std::move(hit->key);
  // A key whose secret this cache has proven (same digest, same key) needs only to be still unrevoked when
  // its entry expires: no slow hash again, which under load would stall every request for its duration.
  auto verified = hit ? admin::recheck_api_key(db_, hit->key.key_id) : admin::verify_api_key(db_, api_key);
  if (verified)
    cache_->put(digest, {*verified, now + ttl_});
  else if (hit)
    cache_->erase(digest);
  return verified;
}

}  // namespace racetiming::auth
