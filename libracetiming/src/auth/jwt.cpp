#include "racetiming/auth/jwt.hpp"

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>

#include "racetiming/auth/permissions.hpp"
#include "racetiming/error.hpp"

namespace racetiming::auth {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

[[noreturn]] void refuse(std::string_view why) { throw Error(ErrorCode::unauthenticated, fmt::format("invalid token: {}", why)); }

constexpr std::size_t kMinSecretBytes = 32;

struct Header {
  std::string alg, kid;
};

// The JOSE header of a compact JWS: base64url JSON before the first dot.
Header read_header(std::string_view token) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) refuse("malformed");
  std::string b64(token.substr(0, dot));
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4) b64 += '=';
  std::string json(b64.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(json.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) refuse("malformed");
  json.resize(static_cast<std::size_t>(n));
  while (!json.empty() && json.back() == '\0') json.pop_back();  // padding decodes as zero bytes
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject()) refuse("malformed");
  Header h;
  if (d.HasMember("alg") && d["alg"].IsString()) h.alg = d["alg"].GetString();
  if (d.HasMember("kid") && d["kid"].IsString()) h.kid = d["kid"].GetString();
  return h;
}

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::optional<std::int64_t> int_claim(jwt_t* j, const char* name) {
  errno = 0;
  const long v = jwt_get_grant_int(j, name);
  if (errno == ENOENT || errno == EINVAL) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<std::string> text_claim(jwt_t* j, const char* name) {
  const char* v = jwt_get_grant(j, name);
  if (!v) return std::nullopt;
  return std::string(v);
}

}  // namespace

JwtIssuer::JwtIssuer(JwtConfig config) : config_(std::move(config)) {
  if (config_.keys.empty() || config_.keys.front().retired)
    throw Error(ErrorCode::invalid_parameter, "a JWT signing key is required", "jwt");
  for (const auto& k : config_.keys)
    if (k.kid.empty() || k.secret.size() < kMinSecretBytes)
      throw Error(ErrorCode::invalid_parameter,
                  fmt::format("JWT key '{}' needs a kid and a secret of at least {} bytes", k.kid, kMinSecretBytes), "jwt");
}

std::string JwtIssuer::issue(const TokenClaims& claims) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw Error(ErrorCode::internal, "cannot create a token");
  JwtPtr j(raw);
  const JwtKey& key = config_.keys.front();
  const auto now = now_seconds();
  jwt_add_header(j.get(), "kid", key.kid.c_str());
  jwt_add_grant(j.get(), "iss", config_.issuer.c_str());
  jwt_add_grant(j.get(), "aud", config_.audience.c_str());
  jwt_add_grant_int(j.get(), "iat", now);
  jwt_add_grant_int(j.get(), "exp", now + config_.lifetime.count());
  jwt_add_grant_int(j.get(), "tp", claims.partner_id);
  if (claims.user_id) jwt_add_grant(j.get(), "sub", std::to_string(*claims.user_id).c_str());
  if (claims.key_id) jwt_add_grant_int(j.get(), "api_key_id", *claims.key_id);
  jwt_add_grant(j.get(), "scope", fmt::format("{}", fmt::join(claims.scopes, " ")).c_str());
  if (jwt_set_alg(j.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(key.secret.data()),
                  static_cast<int>(key.secret.size())) != 0)
    throw Error(ErrorCode::internal, "cannot sign a token");
  // libjwt 1.10 hands out malloc()ed strings
  std::unique_ptr<char, decltype(&std::free)> text(jwt_encode_str(j.get()), &std::free);
  if (!text) throw Error(ErrorCode::internal, "cannot encode a token");
  return text.get();
}

TokenClaims JwtIssuer::verify(std::string_view token) const {
  if (token.size() > 8192) refuse("too long");
  const std::string text(token);
  // Read the header ourselves, unverified, only to pin the algorithm and learn which key to verify with
  // (libjwt reports no algorithm for a token it decoded without a key).
  const auto [alg, kid] = read_header(token);
  if (alg != "HS256") refuse("algorithm must be HS256");
  if (kid.empty()) refuse("no kid");
  const JwtKey* key = nullptr;
  for (const auto& k : config_.keys)
    if (k.kid == kid) key = &k;
  if (!key) refuse("unknown kid");
  if (key->retired) refuse("retired kid");

  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key->secret.data()),
                 static_cast<int>(key->secret.size())) != 0)
    refuse("bad signature");
  JwtPtr j(raw);
  if (jwt_get_alg(j.get()) != JWT_ALG_HS256) refuse("algorithm must be HS256");  // pinned again, after verification

  const auto now = now_seconds();
  const auto exp = int_claim(j.get(), "exp"), iat = int_claim(j.get(), "iat"), tp = int_claim(j.get(), "tp");
  const auto iss = text_claim(j.get(), "iss"), aud = text_claim(j.get(), "aud"), scope = text_claim(j.get(), "scope");
  if (!exp) refuse("no exp");
  if (!iat) refuse("no iat");
  if (!iss) refuse("no iss");
  if (!aud) refuse("no aud");
  if (!tp || *tp <= 0) refuse("no tp");
  if (!scope) refuse("no scope");
  if (*exp + config_.leeway.count() < now) refuse("expired");
  if (*iat - config_.leeway.count() > now) refuse("not yet valid");
  if (auto nbf = int_claim(j.get(), "nbf"); nbf && *nbf - config_.leeway.count() > now) refuse("not yet valid");
  if (*iss != config_.issuer) refuse("wrong issuer");
  if (*aud != config_.audience) refuse("wrong audience");

  TokenClaims claims;
  claims.partner_id = *tp;
  claims.expires_at = *exp;
  if (auto sub = text_claim(j.get(), "sub")) {
    try {
      claims.user_id = std::stoll(*sub);
    } catch (const std::exception&) {
      refuse("sub is not a user id");
    }
  }
  claims.key_id = int_claim(j.get(), "api_key_id");
  try {
    claims.scopes = parse_permissions(*scope, "scope");
  } catch (const Error&) {
    refuse("unknown permission in scope");
  }
  return claims;
}

}  // namespace racetiming::auth
