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

  std::optional<admin::VerifiedKey> find(const std::string& digest) {
    std::lock_guard lock(mutex);
    if (auto it = entries.find(digest); it != entries.end() && it->second.expires > std::chrono::steady_clock::now())
      return it->second.key;
    return std::nullopt;
  }
};

ApiKeyVerifier::ApiKeyVerifier(Database& db, std::chrono::seconds ttl)
    : db_(db), ttl_(ttl), cache_(std::make_unique<Cache>()) {}
ApiKeyVerifier::~ApiKeyVerifier() = default;

// The cache keeps no secret, only its digest.
std::optional<admin::VerifiedKey> ApiKeyVerifier::cached(std::string_view api_key) const {
  return cache_->find(sha256_hex(api_key));
}

std::optional<admin::VerifiedKey> ApiKeyVerifier::verify(std::string_view api_key) {
  const std::string id = sha256_hex(api_key);
  if (auto hit = cache_->find(id)) return hit;
  const auto now = std::chrono::steady_clock::now();
  auto verified = admin::verify_api_key(db_, api_key);
  if (verified) {
    std::lock_guard lock(cache_->mutex);
    if (cache_->entries.size() >= kMaxEntries) cache_->entries.clear();  // bounded: a full cache starts over
    cache_->entries[id] = {*verified, now + ttl_};
  }
  return verified;
}

}  // namespace racetiming::auth
