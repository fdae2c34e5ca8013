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
struct SessionState;
}  // namespace store

class TenantSession;
class AdminSession;
namespace detail {
// The connection under a session, for the library's bulk paths (COPY, scripts); not API.
store::Connection& connection_of(TenantSession& session);
store::Connection& connection_of(AdminSession& session);
}  // namespace detail

enum class Access { read_only, read_write };

// Everything a request does to tenant tables runs in one of these. On PostgreSQL the connection runs as
// the runtime role racetiming_api with app.current_partner_id set to the partner, so row-level security
// scopes every statement. Those are session settings: the connection remembers what its last borrower
// left and only what differs is sent, in the same round trip as the first statement; a transaction that
// fails or rolls back makes the connection forget them, so the next borrower sets them again. On SQLite the
// builders' partner predicate is the guard.
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
  // The one statement of a short read, instead of query() and commit(): on PostgreSQL, when the
  // connection already has this session's settings, the statement runs alone (no transaction around
  // it); else the settings, the statement and a COMMIT travel in a single round trip.
  ResultSet query_and_commit(const Sql& sql);

 private:
  friend store::Connection& detail::connection_of(TenantSession& session);
  store::Connection& connection();
  // PostgreSQL: the transaction's first statements, sent with whatever comes first.
  std::vector<Sql> begin_batch();
  void open_now();
  store::SessionState settings() const;

  std::unique_ptr<store::Lease> lease_;
  std::int64_t partner_id_;
  std::chrono::milliseconds statement_timeout_;
  bool open_ = true;
  bool begun_ = false;  // a transaction was sent, and must end
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

 private:
  friend store::Connection& detail::connection_of(AdminSession& session);
  store::Connection& connection();

  std::unique_ptr<store::Lease> lease_;
  bool open_ = true;
};

}  // namespace racetiming
