#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "store/pool.hpp"

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

}  // namespace

TenantSession::TenantSession(Database& db, std::int64_t partner_id, Access access,
                             std::chrono::milliseconds statement_timeout)
    : lease_(std::make_unique<store::Lease>(db.pool())), partner_id_(partner_id) {
  if (partner_id <= 0) throw Error(ErrorCode::invalid_parameter, "partner id must be positive", "partner_id");
  store::Connection& conn = lease_->connection();
  const bool read_only = access == Access::read_only;
  read_only_ = read_only;
  try {
  if (conn.dialect() == Dialect::postgresql) {
    // The partner id is an integer we format ourselves, never caller text; SET LOCAL ends with the transaction.
    std::string begin = fmt::format(
        "BEGIN{}; SET LOCAL ROLE racetiming_api; SET LOCAL app.current_partner_id = '{}'",
        read_only ? " READ ONLY" : "", partner_id);
    if (statement_timeout.count() > 0)
      begin += fmt::format("; SET LOCAL statement_timeout = {}", statement_timeout.count());
    conn.execute_script(begin);
  } else {
    // query_only makes SQLite refuse writes, the counterpart of READ ONLY; IMMEDIATE takes the write lock
    // up front so that two writers queue instead of failing halfway.
    conn.execute_script(read_only ? "PRAGMA query_only = 1; BEGIN" : "BEGIN IMMEDIATE");
  }
  } catch (...) {
    roll_back(conn, conn.dialect(), read_only);  // never hand back a connection inside a half-begun transaction
    throw;
  }
}

TenantSession::~TenantSession() {
  if (lease_ && open_) roll_back(lease_->connection(), dialect(), read_only_);
}

TenantSession::TenantSession(TenantSession&& other) noexcept
    : lease_(std::move(other.lease_)), partner_id_(other.partner_id_), open_(other.open_), read_only_(other.read_only_) {
  other.open_ = false;
}

Dialect TenantSession::dialect() const noexcept { return lease_->connection().dialect(); }
ResultSet TenantSession::query(const Sql& sql) { return lease_->connection().query(sql); }
std::int64_t TenantSession::execute(const Sql& sql) { return lease_->connection().execute(sql); }
store::Connection& TenantSession::connection() { return lease_->connection(); }

void TenantSession::commit() {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  store::Connection& conn = lease_->connection();
  open_ = false;
  conn.execute_script("COMMIT");
  if (conn.dialect() == Dialect::sqlite && read_only_) conn.execute_script("PRAGMA query_only = 0");
}

AdminSession::AdminSession(Database& db) : lease_(std::make_unique<store::Lease>(db.pool())) {
  lease_->connection().execute_script(db.dialect() == Dialect::postgresql ? "BEGIN" : "BEGIN IMMEDIATE");
}

AdminSession::~AdminSession() {
  if (lease_ && open_) roll_back(lease_->connection(), dialect(), false);
}

AdminSession::AdminSession(AdminSession&& other) noexcept : lease_(std::move(other.lease_)), open_(other.open_) {
  other.open_ = false;
}

Dialect AdminSession::dialect() const noexcept { return lease_->connection().dialect(); }
ResultSet AdminSession::query(const Sql& sql) { return lease_->connection().query(sql); }
std::int64_t AdminSession::execute(const Sql& sql) { return lease_->connection().execute(sql); }
store::Connection& AdminSession::connection() { return lease_->connection(); }

void AdminSession::commit() {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  open_ = false;
  lease_->connection().execute_script("COMMIT");
}

}  // namespace racetiming
