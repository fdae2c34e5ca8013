#pragma once
// Sessions: one pooled connection and one transaction, released (rolled back unless committed) on scope exit.
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "racetiming/store/database.hpp"

namespace racetiming {

namespace store {
class Lease;
class Connection;
}  // namespace store

enum class Access { read_only, read_write };

// Everything a request does to tenant tables runs in one of these. On PostgreSQL it begins a transaction,
// switches to the runtime role racetiming_api and sets app.current_partner_id transaction-locally, so
// row-level security scopes every statement and nothing survives into the next borrower of the connection.
// On SQLite the builders' partner predicate is the guard.
class TenantSession {
 public:
  TenantSession(Database& db, std::int64_t partner_id, Access access = Access::read_only,
                std::chrono::milliseconds statement_timeout = std::chrono::milliseconds{0});
  ~TenantSession();
  TenantSession(TenantSession&&) noexcept;
  TenantSession& operator=(TenantSession&&) = delete;

  std::int64_t partner_id() const noexcept { return partner_id_; }
  Dialect dialect() const noexcept;
  ResultSet query(const Sql& sql);
  // Runs a statement; returns the number of rows it changed.
  std::int64_t execute(const Sql& sql);
  void commit();
  // The one statement of a short read, and the commit: on PostgreSQL the transaction's opening, the
  // statement and the COMMIT travel in a single round trip.
  ResultSet query_and_commit(const Sql& sql);

  store::Connection& connection();  // for the library's bulk paths

 private:
  // PostgreSQL: the opening statements wait to go out with the first statement (one round trip, not two).
  std::vector<Sql> with_opening(const Sql& sql);
  void open_now();

  std::unique_ptr<store::Lease> lease_;
  std::int64_t partner_id_;
  std::vector<Sql> opening_;  // not yet sent
  bool open_ = true;
  bool read_only_ = true;
};

// A transaction that is no tenant's: schema migrations and administration of partners, users and keys
// (the CLI's work, and credential lookup before a tenant is known). On PostgreSQL it runs as the
// connecting (owner) role.
class AdminSession {
 public:
  explicit AdminSession(Database& db);
  ~AdminSession();
  AdminSession(AdminSession&&) noexcept;
  AdminSession& operator=(AdminSession&&) = delete;

  Dialect dialect() const noexcept;
  ResultSet query(const Sql& sql);
  std::int64_t execute(const Sql& sql);
  void commit();

  store::Connection& connection();

 private:
  std::unique_ptr<store::Lease> lease_;
  bool open_ = true;
};

}  // namespace racetiming
