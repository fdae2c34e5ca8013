#pragma once
// Internal: one database connection, driven through its native handle (libpq or sqlite3) that SOCI opened.
// SOCI owns connecting and pooling; statements go straight to the native API so that types, placeholders
// and bulk loading (COPY) are under our control and cost one round trip.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/sql.hpp"

namespace soci {
class session;
}

namespace racetiming::store {

// Rows for a bulk load: cells row-major, `columns.size()` cells per row.
// What a violated constraint (SQLSTATE class 23) tells a caller, in words of its own: the databases'
// texts name tables, constraints and values, which are the store's business.
constexpr std::string_view conflict_message(std::string_view sqlstate) {
  if (sqlstate == "23505") return "a record with the same unique values exists";
  if (sqlstate == "23503") return "a record it refers to does not exist, or other records refer to it";
  if (sqlstate == "23502") return "a required value is missing";
  if (sqlstate == "23514") return "a value is outside what the field allows";
  return "the write conflicts with the data";
}

struct BulkTable {
  std::string table;
  std::vector<std::string> columns;
  std::vector<Value> cells;

  std::size_t row_count() const { return columns.empty() ? 0 : cells.size() / columns.size(); }
};

// A PostgreSQL connection's session settings, as far as this process knows them. Sessions send only
// what differs from what the connection's last borrower left, so a read whose tenant matches is its one
// statement. A setting is believed only once the transaction that made it has committed; anything that
// may have undone one (a failed statement, a lost connection) makes the state unknown, and the next
// borrower sets everything again.
struct SessionState {
  bool known = false;
  bool tenant_role = false;     // role racetiming_api; else the connecting (owner) role
  std::int64_t partner_id = 0;  // app.current_partner_id; 0: none
  bool read_only = false;       // default_transaction_read_only
  std::int64_t statement_timeout_ms = 0;
  bool local = false;  // for this transaction only (SET LOCAL): always sent, never believed after
  bool operator==(const SessionState&) const = default;
};

// A pipeline sent without waiting (PostgreSQL only). The host waits for socket() to be readable (or
// writable while wants_write()), then calls advance(), until it returns true; take(i) then throws the
// first failure, as Connection::pipeline does, or gives statement i's rows, read in place. Destroying
// it before take() leaves the connection unusable: the pool reopens it before lending it again.
class PendingPipeline {
 public:
  virtual ~PendingPipeline() = default;
  virtual int socket() const noexcept = 0;
  virtual bool wants_write() const noexcept = 0;
  virtual bool advance() = 0;
  virtual std::unique_ptr<RowsView> take(std::size_t statement) = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const noexcept = 0;
  virtual ResultSet query(const Sql& sql) = 0;
  virtual std::int64_t execute(const Sql& sql) = 0;
  // Statements run in order in one round trip (PostgreSQL's pipeline mode; SQLite has no trip to save).
  // The first failure throws, and nothing after it runs, except a final COMMIT: it goes after a sync of
  // its own, so that the transaction ends either way (COMMIT of a failed transaction rolls it back).
  // Returns each statement's rows.
  virtual std::vector<ResultSet> pipeline(std::span<const Sql> statements) = 0;
  // The same, without blocking: nullptr where the dialect has no socket to wait on (SQLite). The
  // connection must not be used otherwise until the pending pipeline is taken or destroyed.
  virtual std::unique_ptr<PendingPipeline> start_pipeline(std::span<const Sql> statements) = 0;
  // Several statements, no parameters (migrations, transaction control).
  virtual void execute_script(std::string_view script) = 0;
  // Appends rows to a table: COPY on PostgreSQL, a prepared INSERT on SQLite.
  virtual void bulk_insert(const BulkTable& rows) = 0;
  // True when the connection is usable; a broken one is reopened by the pool before it is lent again.
  virtual bool healthy() const noexcept = 0;

  SessionState& session_state() noexcept { return session_state_; }

  // Behind a transaction pooler (PgBouncer, pool_mode = transaction) the server connection under this
  // one serves other clients between two transactions: nothing set on it outlives a transaction, so
  // each transaction sets what it needs (SET LOCAL) and no statement is prepared.
  void set_transaction_pooled(bool pooled) noexcept { transaction_pooled_ = pooled; }
  bool transaction_pooled() const noexcept { return transaction_pooled_; }

 private:
  SessionState session_state_;
  bool transaction_pooled_ = false;
};

std::unique_ptr<Connection> make_postgresql_connection(soci::session& session);
std::unique_ptr<Connection> make_sqlite_connection(soci::session& session);

}  // namespace racetiming::store
