#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "store/pool.hpp"
#include "store/session_settings.hpp"

namespace racetiming {
namespace {

// Ends a transaction that was not committed. A connection that cannot even roll back is left to the
// pool's health check, which reopens it before lending it again.
void roll_back(store::Connection& conn, Dialect dialect, bool read_only_pragma) {
  try {
    conn.execute_script("ROLLBACK");
  } catch (...) {
  }
  try {
    if (dialect == Dialect::sqlite && read_only_pragma) conn.execute_script("PRAGMA query_only = 0");
  } catch (...) {
  }
}

// A PostgreSQL transaction's first statements: BEGIN, then the settings the session needs if the
// connection's differ. Until the transaction ends the settings are not believed (it may roll back).
std::vector<Sql> begin_with_settings(store::Connection& conn, const store::SessionState& want, bool read_only) {
  std::vector<Sql> batch{{read_only ? "BEGIN READ ONLY" : "BEGIN READ WRITE", {}}};
  if (auto change = store::change_settings(conn.session_state(), store::on(conn, want))) batch.push_back(std::move(*change));
  conn.session_state().known = false;
  return batch;
}

}  // namespace

TenantSession::TenantSession(Database& db, std::int64_t partner_id, Access access,
                             std::chrono::milliseconds statement_timeout)
    : lease_(std::make_unique<store::Lease>(db.pool())), partner_id_(partner_id), statement_timeout_(statement_timeout) {
  if (partner_id <= 0) throw Error(ErrorCode::invalid_parameter, "partner id must be positive", "partner_id");
  store::Connection& conn = lease_->connection();
  read_only_ = access == Access::read_only;
  // PostgreSQL: nothing is sent yet; a one-statement read may need no transaction at all (query_and_commit)
  if (conn.dialect() == Dialect::postgresql) return;
  try {
    // query_only makes SQLite refuse writes, the counterpart of READ ONLY; IMMEDIATE takes the write lock
    // up front so that two writers queue instead of failing halfway.
    conn.execute_script(read_only_ ? "PRAGMA query_only = 1; BEGIN" : "BEGIN IMMEDIATE");
    begun_ = true;
  } catch (...) {
    roll_back(conn, conn.dialect(), read_only_);  // never hand back a connection inside a half-begun transaction
    throw;
  }
}

TenantSession::~TenantSession() {
  if (!lease_ || !open_ || !begun_) return;  // a transaction that never began has nothing to roll back
  store::Connection& conn = lease_->connection();
  roll_back(conn, dialect(), read_only_);
  conn.session_state() = {};  // whatever the transaction set may be undone
}

TenantSession::TenantSession(TenantSession&& other) noexcept
    : lease_(std::move(other.lease_)),
      partner_id_(other.partner_id_),
      statement_timeout_(other.statement_timeout_),
      open_(other.open_),
      begun_(other.begun_),
      read_only_(other.read_only_) {
  other.open_ = false;
}

std::vector<Sql> TenantSession::begin_batch() {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  begun_ = true;  // from here on the destructor rolls back
  return begin_with_settings(lease_->connection(), settings(), read_only_);
}

void TenantSession::open_now() {
  if (!begun_) lease_->connection().pipeline(begin_batch());
}

Dialect TenantSession::dialect() const noexcept { return lease_->connection().dialect(); }

ResultSet TenantSession::query(const Sql& sql) {
  if (begun_) return lease_->connection().query(sql);
  std::vector<Sql> batch = begin_batch();
  batch.push_back(sql);
  return std::move(lease_->connection().pipeline(batch).back());
}

std::int64_t TenantSession::execute(const Sql& sql) {
  open_now();
  return lease_->connection().execute(sql);
}

store::Connection& TenantSession::connection() {
  open_now();
  return lease_->connection();
}

ResultSet TenantSession::query_and_commit(const Sql& sql) {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  if (begun_) {
    ResultSet rows = query(sql);
    commit();
    return rows;
  }
  // PostgreSQL, nothing sent yet: the statement alone, or with the settings in front (one round trip)
  store::Connection& conn = lease_->connection();
  const auto batch = store::read_batch(conn.session_state(), store::on(conn, settings()), sql);
  ResultSet rows = batch.finish(conn, conn.pipeline(batch.statements));
  open_ = false;
  return rows;
}

void TenantSession::commit() {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  open_ = false;
  if (!begun_) return;  // nothing was sent: no transaction to end
  store::Connection& conn = lease_->connection();
  conn.execute_script("COMMIT");
  if (conn.dialect() == Dialect::sqlite && read_only_) conn.execute_script("PRAGMA query_only = 0");
  conn.session_state() = settings();
}

store::SessionState TenantSession::settings() const {
  return store::tenant_settings(partner_id_, read_only_, statement_timeout_);
}

AdminSession::AdminSession(Database& db) : lease_(std::make_unique<store::Lease>(db.pool())) {
  store::Connection& conn = lease_->connection();
  if (conn.dialect() == Dialect::sqlite) {
    conn.execute_script("BEGIN IMMEDIATE");
    return;
  }
  try {
    conn.pipeline(begin_with_settings(conn, store::owner_settings(), false));
  } catch (...) {
    roll_back(conn, Dialect::postgresql, false);
    conn.session_state() = {};
    throw;
  }
}

AdminSession::~AdminSession() {
  if (!lease_ || !open_) return;
  roll_back(lease_->connection(), dialect(), false);
  lease_->connection().session_state() = {};
}

AdminSession::AdminSession(AdminSession&& other) noexcept
    : lease_(std::move(other.lease_)), open_(other.open_) {
  other.open_ = false;
}

Dialect AdminSession::dialect() const noexcept { return lease_->connection().dialect(); }
ResultSet AdminSession::query(const Sql& sql) { return lease_->connection().query(sql); }
std::int64_t AdminSession::execute(const Sql& sql) { return lease_->connection().execute(sql); }
store::Connection& AdminSession::connection() { return lease_->connection(); }

void AdminSession::commit() {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  open_ = false;
  store::Connection& conn = lease_->connection();
  conn.execute_script("COMMIT");
  if (conn.dialect() == Dialect::postgresql) conn.session_state() = store::owner_settings();
}

store::Connection& detail::connection_of(TenantSession& session) { return session.connection(); }
store::Connection& detail::connection_of(AdminSession& session) { return session.connection(); }

}  // namespace racetiming
