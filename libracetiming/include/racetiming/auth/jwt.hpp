#pragma once
// Bearer tokens: HS256 JWTs with claims sub (user), tp (partner), scope (space-separated permissions),
// iat, exp, iss and aud. Keys are named by `kid`; the first configured key signs, every configured key
// that is not retired verifies (rotation: add the new key first, retire the old one when its tokens have
// expired). The algorithm is pinned: a token of any other alg, "none" included, is refused.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racetiming::auth {

struct JwtKey {
  std::string kid;
  std::string secret;  // at least 32 bytes
  bool retired = false;
};

struct JwtConfig {
  std::vector<JwtKey> keys;  // keys[0] signs
  std::string issuer = "racetiming";
  std::string audience = "racetiming-api";
  std::chrono::seconds lifetime{900};
  std::chrono::seconds leeway{30};  // clock skew allowed on iat/nbf/exp
};

struct TokenClaims {
  std::int64_t partner_id = 0;
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> key_id;
  std::vector<std::string> scopes;
  std::int64_t expires_at = 0;  // seconds since the epoch
};

class JwtIssuer {
 public:
  // Throws Error(invalid_parameter, "jwt") when no key is usable or a secret is too short.
  explicit JwtIssuer(JwtConfig config);
  std::string issue(const TokenClaims& claims) const;
  // The token's claims when it is well-formed, HS256, signed by a configured unretired key, unexpired,
  // already valid, for our issuer and audience, and carries every required claim; otherwise throws
  // Error(unauthenticated) saying which check failed.
  TokenClaims verify(std::string_view token) const;
  const JwtConfig& config() const { return config_; }

 private:
  JwtConfig config_;
};

}  // namespace racetiming::auth
