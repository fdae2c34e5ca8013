// sqlite3-backed Connection. Prepared statements are cached per connection by their text, so a builder's
// statement is compiled once per connection, not once per call.
#include <unordered_map>

#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "racetiming/error.hpp"
#include "store/connection.hpp"

namespace racetiming::store {
namespace {

using namespace sqlite_api;  // SOCI wraps sqlite3.h in this namespace

[[noreturn]] void fail(sqlite3* db, int rc) {
  std::string message = sqlite3_errmsg(db);
  const int primary = rc & 0xff;
  // SQLite's own text names tables and columns: a caller gets what it can act on
  if (primary == SQLITE_CONSTRAINT) {
    const int extended = sqlite3_extended_errcode(db);
    const std::string_view kind = extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY ? "23505"
                                  : extended == SQLITE_CONSTRAINT_FOREIGNKEY                                       ? "23503"
                                  : extended == SQLITE_CONSTRAINT_NOTNULL                                          ? "23502"
                                  : extended == SQLITE_CONSTRAINT_CHECK                                            ? "23514"
                                                                                                                   : "23000";
    throw Error(ErrorCode::conflict, std::string(conflict_message(kind)));
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw Error(ErrorCode::unavailable, "database is busy: " + message);
  if (primary == SQLITE_INTERRUPT) throw Error(ErrorCode::unavailable, "statement timed out");
  throw Error(ErrorCode::internal, "database error: " + message);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(soci::session& session)
      : db_(static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_) {
    execute_script(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
        "PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;");
  }
  ~SqliteConnection() override {
    for (auto& [text, stmt] : cache_) sqlite3_finalize(stmt);
  }

  Dialect dialect() const noexcept override { return Dialect::sqlite; }

  ResultSet query(const Sql& sql) override {
    Statement st(*this, sql);
    ResultSet out;
    const int cols = sqlite3_column_count(st.stmt);
    for (int c = 0; c < cols; ++c) out.columns.emplace_back(sqlite3_column_name(st.stmt, c));
    int rc;
    while ((rc = sqlite3_step(st.stmt)) == SQLITE_ROW) {
      auto& row = out.rows.emplace_back();
      row.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) row.push_back(cell(st.stmt, c));
    }
    if (rc != SQLITE_DONE) fail(db_, rc);
    return out;
  }

  std::vector<ResultSet> pipeline(std::span<const Sql> statements) override {
    std::vector<ResultSet> out;
    for (const Sql& sql : statements) out.push_back(query(sql));
    return out;
  }

  // An embedded database has no socket to wait on: its statements run where they are called.
  std::unique_ptr<PendingPipeline> start_pipeline(std::span<const Sql>) override { return nullptr; }

  std::int64_t execute(const Sql& sql) override {
    Statement st(*this, sql);
    int rc;
    while ((rc = sqlite3_step(st.stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(db_, rc);
    return sqlite3_changes(db_);
  }

  void execute_script(std::string_view script) override {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, std::string(script).c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      sqlite3_free(error);
      fail(db_, rc);
    }
  }

  void bulk_insert(const BulkTable& rows) override {
    std::string text = fmt::format("INSERT INTO {} ({}) VALUES (", rows.table, fmt::join(rows.columns, ", "));
    for (std::size_t c = 0; c < rows.columns.size(); ++c) text += c ? ", ?" : "?";
    text += ")";
    sqlite3_stmt* stmt = prepare(text);
    const std::size_t width = rows.columns.size();
    for (std::size_t r = 0; r < rows.row_count(); ++r) {
      sqlite3_reset(stmt);
      for (std::size_t c = 0; c < width; ++c) bind(stmt, static_cast<int>(c + 1), rows.cells[r * width + c]);
      const int rc = sqlite3_step(stmt);
      if (rc != SQLITE_DONE) {
        sqlite3_reset(stmt);
        fail(db_, rc);
      }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }

  bool healthy() const noexcept override { return db_ != nullptr; }

 private:
  // A cached statement, bound for one use and reset afterwards.
  struct Statement {
    Statement(SqliteConnection& c, const Sql& sql) : stmt(c.prepare(sql.text)) {
      for (std::size_t i = 0; i < sql.params.size(); ++i) c.bind(stmt, static_cast<int>(i + 1), sql.params[i]);
    }
    ~Statement() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
    sqlite3_stmt* stmt;
  };

  sqlite3_stmt* prepare(const std::string& text) {
    if (auto it = cache_.find(text); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc);
    // Statements of one-off text (they carry no literals from users, but may vary) would grow the cache
    // without bound; a simple cap keeps memory flat.
    if (cache_.size() >= 512) {
      for (auto& [t, s] : cache_) sqlite3_finalize(s);
      cache_.clear();
    }
    cache_.emplace(text, stmt);
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, int index, const Value& v) {
    int rc = SQLITE_OK;
    if (is_null(v)) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else {
      const auto& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) fail(db_, rc);
  }

  static Value cell(sqlite3_stmt* stmt, int col) {
    switch (sqlite3_column_type(stmt, col)) {
      case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(stmt, col)};
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, col);
      case SQLITE_NULL: return {};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
      }
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::unique_ptr<Connection> make_sqlite_connection(soci::session& session) {
  return std::make_unique<SqliteConnection>(session);
}

}  // namespace racetiming::store
