#include "racetiming/admin/api_keys.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "racetiming/admin/partners.hpp"
#include "racetiming/admin/users.hpp"
#include "racetiming/auth/permissions.hpp"
#include "racetiming/auth/secret_hash.hpp"
#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::admin {
namespace {

constexpr std::size_t kPrefixBytes = 6, kSecretBytes = 24;

std::string hex(const std::string& raw) {
  std::string out;
  for (unsigned char c : raw) out += fmt::format("{:02x}", c);
  return out;
}

bool is_hex(std::string_view s) { return s.find_first_not_of("0123456789abcdef") == std::string_view::npos; }

// The unrevoked key whose `column` (prefix or key_id, both unique) is `value`, in one row; nullopt if none.
std::optional<ResultSet> active_key(std::string_view column, Value value, Database& db) {
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << "SELECT key_id, timing_partner_id, user_id, secret_hash, scopes FROM api_keys WHERE revoked_at IS NULL AND "
    << column << " = ";
  w.bind(std::move(value));
  auto rs = session.query(w.take());
  session.commit();
  if (rs.rows.empty()) return std::nullopt;
  return rs;
}

VerifiedKey verified_key(const ResultSet& rs) {
  VerifiedKey key;
  key.key_id = as_int(rs.at(0, "key_id")).value_or(0);
  key.timing_partner_id = as_int(rs.at(0, "timing_partner_id")).value_or(0);
  if (!is_null(rs.at(0, "user_id"))) key.user_id = as_int(rs.at(0, "user_id"));
  key.scopes = auth::parse_permissions(as_text(rs.at(0, "scopes")));
  return key;
}

}  // namespace

CreatedKey create_api_key(Database& db, std::int64_t partner_id, std::optional<std::int64_t> user_id,
                          std::vector<std::string> scopes) {
  if (!find_partner(db, partner_id))
    throw Error(ErrorCode::not_found, fmt::format("no partner {}", partner_id), "partner");
  std::vector<std::string> allowed(auth::default_permissions().begin(), auth::default_permissions().end());
  if (user_id) {
    auto user = find_user(db, *user_id);
    if (!user || user->timing_partner_id != partner_id)
      throw Error(ErrorCode::not_found, fmt::format("no user {} at partner {}", *user_id, partner_id), "user");
    allowed = user->permissions;
  }
  if (scopes.empty()) {
    scopes = allowed;
  } else {
    scopes = auth::parse_permissions(auth::join_permissions(scopes), "scopes");
    // a key without a user may carry any permission; a user's key never more than the user has
    for (const auto& s : scopes)
      if (user_id && std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        throw Error(ErrorCode::invalid_parameter, fmt::format("user {} does not hold permission '{}'", *user_id, s),
                    "scopes");
  }

  const std::string prefix = hex(auth::random_bytes(kPrefixBytes));
  const std::string secret = hex(auth::random_bytes(kSecretBytes));
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << "INSERT INTO api_keys (timing_partner_id, user_id, prefix, secret_hash, scopes) VALUES (";
  w.bind(partner_id) << ", ";
  w.bind(user_id ? Value{*user_id} : Value{}) << ", ";
  w.bind(prefix) << ", ";
  w.bind(auth::hash_secret(secret)) << ", ";
  w.bind(auth::join_permissions(scopes)) << ") RETURNING key_id";
  auto rs = session.query(w.take());
  session.commit();
  return {as_int(rs.rows.at(0).at(0)).value_or(0), fmt::format("rt_{}_{}", prefix, secret)};
}

void revoke_api_key(Database& db, std::int64_t key_id) {
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, "
    << now_expression(db.dialect())
    << ") WHERE key_id = ";
  w.bind(key_id);
  if (session.execute(w.take()) == 0) throw Error(ErrorCode::not_found, fmt::format("no key {}", key_id), "key_id");
  session.commit();
}

std::optional<VerifiedKey> verify_api_key(Database& db, std::string_view api_key) {
  // rt_<12 hex>_<48 hex>
  if (api_key.size() != 3 + 2 * kPrefixBytes + 1 + 2 * kSecretBytes || !api_key.starts_with("rt_") ||
      api_key[3 + 2 * kPrefixBytes] != '_')
    return std::nullopt;
  const std::string_view prefix = api_key.substr(3, 2 * kPrefixBytes);
  const std::string_view secret = api_key.substr(4 + 2 * kPrefixBytes);
  if (!is_hex(prefix) || !is_hex(secret)) return std::nullopt;

  auto row = active_key("prefix", std::string(prefix), db);
  if (!row || !auth::verify_secret(secret, as_text(row->at(0, "secret_hash")))) return std::nullopt;
  return verified_key(*row);
}

std::optional<VerifiedKey> recheck_api_key(Database& db, std::int64_t key_id) {
  auto row = active_key("key_id", key_id, db);
  if (!row) return std::nullopt;
  return verified_key(*row);
}

}  // namespace racetiming::admin
