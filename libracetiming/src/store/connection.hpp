#pragma once
// Internal: one database connection, driven through its native handle (libpq or sqlite3) that SOCI opened.
// SOCI owns connecting and pooling; statements go straight to the native API so that types, placeholders
// and bulk loading (COPY) are under our control and cost one round trip.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/store/sql.hpp"

namespace soci {
class session;
}

namespace racetiming::store {

// Rows for a bulk load: cells row-major, `columns.size()` cells per row.
struct BulkTable {
  std::string table;
  std::vector<std::string> columns;
  std::vector<Value> cells;

  std::size_t row_count() const { return columns.empty() ? 0 : cells.size() / columns.size(); }
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const noexcept = 0;
  virtual ResultSet query(const Sql& sql) = 0;
  virtual std::int64_t execute(const Sql& sql) = 0;
  // Statements run in order in one round trip (PostgreSQL's pipeline mode; SQLite has no trip to save).
  // The first failure throws, and nothing after it runs. Returns each statement's rows.
  virtual std::vector<ResultSet> pipeline(std::span<const Sql> statements) = 0;
  // Several statements, no parameters (migrations, transaction control).
  virtual void execute_script(std::string_view script) = 0;
  // Appends rows to a table: COPY on PostgreSQL, a prepared INSERT on SQLite.
  virtual void bulk_insert(const BulkTable& rows) = 0;
  // True when the connection is usable; a broken one is reopened by the pool before it is lent again.
  virtual bool healthy() const noexcept = 0;
};

std::unique_ptr<Connection> make_postgresql_connection(soci::session& session);
std::unique_ptr<Connection> make_sqlite_connection(soci::session& session);

}  // namespace racetiming::store
