// Engine: the database, the key verifier, the token issuer and the NL engine, owned together and shared
// by every Tenant made from them.
#include "racetiming/engine.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "engine/engine_impl.hpp"
#include "racetiming/auth/natural_login.hpp"
#include "racetiming/auth/permissions.hpp"

namespace racetiming {
namespace {

DatabaseOptions pool_options(const EngineOptions& options) { return {options.pool_size, options.acquire_timeout}; }

Database open_database(std::string_view url, const EngineOptions& options) {
  auto db = Database::open(url, pool_options(options));
  if (options.migrate) db.migrate();
  return db;
}

// The read replica, when one is named; never migrated (a standby replays the primary's schema).
std::optional<Database> open_replica(const EngineOptions& options) {
  if (options.read_url.empty()) return std::nullopt;
  return Database::open(options.read_url, pool_options(options));
}

TenantContext key_context(const admin::VerifiedKey& key) {
  TenantContext ctx;
  ctx.partner_id = key.timing_partner_id;
  ctx.user_id = key.user_id;
  ctx.key_id = key.key_id;
  ctx.permissions = key.scopes;
  return ctx;
}

}  // namespace

Engine::Impl::Impl(std::string_view url, EngineOptions o)
    : db(open_database(url, o)),
      options(std::move(o)),
      reads(db, open_replica(options)),
      tables(options.reference_dir.empty() ? sport::ReferenceTables::built_in() : sport::ReferenceTables::from_directory(options.reference_dir)),
      keys(db, options.key_cache_ttl),
      nl(db, [this](std::int64_t partner_id) -> Database& { return reads.for_reads(partner_id); }, options.nl, tables),
      reports(options.report_cache_entries, options.report_cache_ttl),
      credentials(options.credentials_key),
      versions(reads, options.data_version_ttl) {
  if (options.jwt) {
    tokens.emplace(*options.jwt);  // a bad key is refused here, not at the first token
    revoked = std::make_unique<auth::RevokedKeys>(db, std::chrono::milliseconds(500));
  }
  if (options.audit.enabled) audit = std::make_unique<audit::detail::AuditWriter>(db, options.audit);
}

std::string credentials_key_from(const std::string& path) {
  if (path.empty()) {
    const char* env = std::getenv("RACETIMING_CREDENTIALS_KEY");
    return env ? env : "";
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf()))
    throw Error(ErrorCode::invalid_parameter, fmt::format("cannot read the credentials key file '{}'", path), "credentials_key_file");
  std::string key = text.str();
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (key.empty()) throw Error(ErrorCode::invalid_parameter, fmt::format("the credentials key file '{}' is empty", path), "credentials_key_file");
  return key;
}

Engine::Engine(std::string_view url, EngineOptions options) : impl_(std::make_shared<Impl>(url, std::move(options))) {}

Dialect Engine::dialect() const noexcept { return impl_->db.dialect(); }
const sport::ReferenceTables& Engine::reference_tables() const noexcept { return impl_->tables; }
int Engine::migrate() { return impl_->db.migrate(); }
int Engine::schema_version() { return impl_->db.schema_version(); }
bool Engine::ping() {
  Database* replica = impl_->reads.replica();
  return impl_->db.ping() && (!replica || replica->ping());
}
Database& Engine::database() noexcept { return impl_->db; }
std::size_t Engine::connections() const noexcept { return impl_->db.pool_size(); }
std::size_t Engine::connections_in_use() const noexcept { return impl_->db.in_use(); }

std::int64_t Engine::add_partner(const std::string& name, const std::string& slug, const std::string& domain) {
  return admin::add_partner(impl_->db, name, slug, domain);
}
std::vector<admin::Partner> Engine::partners() { return admin::list_partners(impl_->db); }
std::vector<admin::PartnerCounts> Engine::partner_counts() { return admin::partner_counts(impl_->db); }
std::optional<admin::Partner> Engine::find_partner(std::int64_t partner_id) {
  return admin::find_partner(impl_->db, partner_id);
}
std::optional<admin::Partner> Engine::find_partner(const std::string& slug) {
  return admin::find_partner_by_slug(impl_->db, slug);
}
std::int64_t Engine::add_user(std::int64_t partner_id, const std::string& display_name, const std::string& email,
                              std::vector<std::string> permissions) {
  return admin::add_user(impl_->db, partner_id, display_name, email, std::move(permissions));
}
std::vector<admin::User> Engine::users(std::int64_t partner_id) { return admin::list_users(impl_->db, partner_id); }
admin::CreatedKey Engine::create_key(std::int64_t partner_id, std::optional<std::int64_t> user_id,
                                     std::vector<std::string> scopes) {
  return admin::create_api_key(impl_->db, partner_id, user_id, std::move(scopes));
}
void Engine::revoke_key(std::int64_t key_id) {
  admin::revoke_api_key(impl_->db, key_id);
  if (impl_->revoked) impl_->revoked->add(key_id);
}
bool Engine::audits() const noexcept { return impl_->audit != nullptr; }

void Engine::record_audit(audit::AuditEvent event) {
  if (impl_->audit) impl_->audit->record(std::move(event));
}

void Engine::flush_audit() {
  if (impl_->audit) impl_->audit->flush();
}

audit::ChainReport Engine::verify_audit(std::optional<std::int64_t> partner_id) {
  return audit::detail::verify(impl_->db, partner_id);
}

seed::SeedReport Engine::seed(const seed::SeedOptions& options) {
  impl_->db.migrate();
  return seed::seed_demo_data(impl_->db, options);
}

Tenant Engine::tenant(std::int64_t partner_id) {
  if (!admin::find_partner(impl_->db, partner_id))
    throw Error(ErrorCode::not_found, fmt::format("no partner {}", partner_id), "partner");
  TenantContext ctx;
  ctx.partner_id = partner_id;
  for (auto p : auth::all_permissions()) ctx.permissions.emplace_back(p);
  return Tenant(impl_, std::move(ctx));
}

Tenant Engine::tenant(TenantContext context) { return Tenant(impl_, std::move(context)); }

Tenant Engine::authenticate_key(std::string_view api_key) {
  if (api_key.empty()) throw Error(ErrorCode::unauthenticated, "an API key is required");
  auto verified = impl_->keys.verify(api_key);
  // a key verified (and cached) before its revocation is refused from the next refresh on
  if (!verified || (impl_->revoked && impl_->revoked->contains(verified->key_id)))
    throw Error(ErrorCode::unauthenticated, "the API key is not valid");
  return Tenant(impl_, key_context(*verified));
}

std::optional<Tenant> Engine::cached_key(std::string_view api_key) const {
  auto verified = impl_->keys.cached(api_key);
  if (!verified || (impl_->revoked && impl_->revoked->contains(verified->key_id))) return std::nullopt;
  return Tenant(impl_, key_context(*verified));
}

Tenant Engine::authenticate_token(std::string_view bearer_token) const {
  if (!impl_->tokens) throw Error(ErrorCode::unauthenticated, "bearer tokens are not configured on this server: use X-API-Key");
  const auto claims = impl_->tokens->verify(bearer_token);
  if (claims.key_id && impl_->revoked && impl_->revoked->contains(*claims.key_id))
    throw Error(ErrorCode::unauthenticated, "the token's API key is revoked");
  TenantContext ctx;
  ctx.partner_id = claims.partner_id;
  ctx.user_id = claims.user_id;
  ctx.key_id = claims.key_id;
  ctx.permissions = claims.scopes;
  return Tenant(impl_, std::move(ctx));
}

bool Engine::issues_tokens() const noexcept { return impl_->tokens.has_value(); }
const std::optional<auth::JwtConfig>& Engine::jwt() const noexcept { return impl_->options.jwt; }

std::string Engine::issue_token(const Tenant& tenant) const {
  if (!impl_->tokens) throw Error(ErrorCode::not_found, "bearer tokens are not configured on this server");
  const auto& c = tenant.context();
  return impl_->tokens->issue({c.partner_id, c.user_id, c.key_id, c.permissions, 0});
}

Login Engine::natural_login(const Tenant& proof, std::string_view message) {
  const TenantContext& by = proof.context();
  const admin::VerifiedKey verified{by.key_id.value_or(0), by.partner_id, by.user_id, by.permissions};
  const auto login = auth::natural_language_login(impl_->db, verified, message);
  TenantContext ctx = by;
  ctx.partner_id = login.timing_partner_id;
  ctx.user_id = login.user_id;
  ctx.permissions = login.permissions;
  return Login{Tenant(impl_, std::move(ctx)), login.request};
}

}  // namespace racetiming
