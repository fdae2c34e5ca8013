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
  read_only_ = access == Access::read_only;
  if (conn.dialect() == Dialect::postgresql) {
    // Sent with the first statement. Each is transaction-local: none survives COMMIT or ROLLBACK.
    opening_.push_back({read_only_ ? "BEGIN READ ONLY" : "BEGIN", {}});
    opening_.push_back({"SET LOCAL ROLE racetiming_api", {}});
    opening_.push_back({"SELECT set_config('app.current_partner_id', $1, true)", {std::to_string(partner_id)}});
    if (statement_timeout.count() > 0)
      opening_.push_back({"SELECT set_config('statement_timeout', $1, true)", {std::to_string(statement_timeout.count())}});
    return;
  }
  try {
    // query_only makes SQLite refuse writes, the counterpart of READ ONLY; IMMEDIATE takes the write lock
    // up front so that two writers queue instead of failing halfway.
    conn.execute_script(read_only_ ? "PRAGMA query_only = 1; BEGIN" : "BEGIN IMMEDIATE");
  } catch (...) {
    roll_back(conn, conn.dialect(), read_only_);  // never hand back a connection inside a half-begun transaction
    throw;
  }
}

TenantSession::~TenantSession() {
  // a transaction that never began (nothing was sent) has nothing to roll back
  if (lease_ && open_ && opening_.empty()) roll_back(lease_->connection(), dialect(), read_only_);
}

TenantSession::TenantSession(TenantSession&& other) noexcept
    : lease_(std::move(other.lease_)),
      partner_id_(other.partner_id_),
      opening_(std::move(other.opening_)),
      open_(other.open_),
      read_only_(other.read_only_) {
  other.open_ = false;
}

std::vector<Sql> TenantSession::with_opening(const Sql& sql) {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  std::vector<Sql> batch = std::move(opening_);
  opening_.clear();  // from here on the transaction may have begun: the destructor rolls it back
  batch.push_back(sql);
  return batch;
}

void TenantSession::open_now() {
  if (opening_.empty()) return;
  std::vector<Sql> batch = std::move(opening_);
  opening_.clear();
  lease_->connection().pipeline(batch);
}

Dialect TenantSession::dialect() const noexcept { return lease_->connection().dialect(); }

ResultSet TenantSession::query(const Sql& sql) {
  if (opening_.empty()) return lease_->connection().query(sql);
  return std::move(lease_->connection().pipeline(with_opening(sql)).back());
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
  if (opening_.empty()) {
    ResultSet rows = query(sql);
    commit();
    return rows;
  }
  std::vector<Sql> batch = with_opening(sql);
  const std::size_t statement = batch.size() - 1;
  batch.push_back({"COMMIT", {}});
  auto results = lease_->connection().pipeline(batch);
  open_ = false;
  return std::move(results.at(statement));
}

void TenantSession::commit() {
  if (!open_) throw Error(ErrorCode::internal, "session already ended");
  open_ = false;
  if (!opening_.empty()) return;  // nothing was sent: no transaction to end
  store::Connection& conn = lease_->connection();
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
