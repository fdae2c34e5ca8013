#pragma once
// What an Engine owns; Tenants hold it by shared_ptr, so it lives as long as any of them.
#include <memory>
#include <optional>
#include <string_view>

#include "racetiming/auth/api_key_verifier.hpp"
#include "racetiming/auth/jwt.hpp"
#include "racetiming/engine.hpp"
#include "racetiming/nl/engine.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/store/database.hpp"
#include "audit/audit_writer.hpp"
#include "auth/revoked_keys.hpp"
#include "engine/data_versions.hpp"
#include "engine/read_routing.hpp"
#include "integrations/credential_cipher.hpp"
#include "integrations/sync_start.hpp"
#include "store/lru_cache.hpp"

namespace racetiming {

struct Engine::Impl {
  Impl(std::string_view url, EngineOptions options);

  Database db;
  EngineOptions options;
  detail::ReadRouting reads;  // the replica, when EngineOptions::read_url names one
  sport::ReferenceTables tables;
  auth::ApiKeyVerifier keys;
  std::optional<auth::JwtIssuer> tokens;
  nl::NlEngine nl;
  store::LruCache<std::shared_ptr<const Report>> reports;
  integrations::detail::CredentialCipher credentials;
  integrations::SyncSlots syncs;
  detail::DataVersions versions;
  // Kept fresh where tokens are issued (a daemon): a token of a revoked key is refused within a second on
  // every daemon sharing the database. Last, so that its thread stops before the database goes.
  std::unique_ptr<auth::RevokedKeys> revoked;
  // Written off the request path; destroyed (its queue written) before the database goes.
  std::unique_ptr<audit::detail::AuditWriter> audit;
};

}  // namespace racetiming
