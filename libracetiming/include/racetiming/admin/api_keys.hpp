#pragma once
// API keys: "rt_<prefix>_<secret>". The prefix finds the key; only a slow salted hash of the secret is
// stored, so the full key is shown once, at creation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/store/database.hpp"

namespace racetiming::admin {

struct CreatedKey {
  std::int64_t key_id = 0;
  std::string api_key;  // the only time the secret is seen
};

struct VerifiedKey {
  std::int64_t key_id = 0, timing_partner_id = 0;
  std::optional<std::int64_t> user_id;
  std::vector<std::string> scopes;
};

// Scopes default to the user's permissions (or auth::default_permissions() without a user) and may not
// exceed them. Throws Error(not_found) for an unknown partner or a user of another partner.
CreatedKey create_api_key(Database& db, std::int64_t partner_id, std::optional<std::int64_t> user_id = {},
                          std::vector<std::string> scopes = {});
// Throws Error(not_found) for an unknown key; revoking twice keeps the first revocation time.
void revoke_api_key(Database& db, std::int64_t key_id);
// The key's identity when the key is well-formed, known, unrevoked and its secret matches; nullopt otherwise.
std::optional<VerifiedKey> verify_api_key(Database& db, std::string_view api_key);
// The key of this id as it stands now, without its secret: for a caller that proved the secret before
// (auth::ApiKeyVerifier's cache). nullopt once the key is revoked or gone.
std::optional<VerifiedKey> recheck_api_key(Database& db, std::int64_t key_id);

}  // namespace racetiming::admin
