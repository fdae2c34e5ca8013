#pragma once
// Verifies API keys with a short-lived cache, so the slow hash is paid once per key and TTL, not once
// per request. Entries are keyed by a SHA-256 of the key (the key itself is never kept). A revoked key
// keeps working for at most the TTL on a daemon that had just verified it.
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "racetiming/admin/api_keys.hpp"

namespace racetiming::auth {

class ApiKeyVerifier {
 public:
  explicit ApiKeyVerifier(Database& db, std::chrono::seconds ttl = std::chrono::seconds(30));
  ~ApiKeyVerifier();
  std::optional<admin::VerifiedKey> verify(std::string_view api_key);
  // The cache alone: a key verified within the TTL, else nullopt (unknown, wrong or expired alike).
  // Never touches the database.
  std::optional<admin::VerifiedKey> cached(std::string_view api_key) const;

 private:
  struct Cache;
  Database& db_;
  std::chrono::seconds ttl_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace racetiming::auth
