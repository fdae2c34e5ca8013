#pragma once
// The store: a pool of connections to SQLite (embedded default) or PostgreSQL, chosen by URL.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "racetiming/store/sql.hpp"

namespace racetiming {

struct DatabaseOptions {
  std::size_t pool_size = 4;
  // How long a session waits for a free connection before failing with ErrorCode::unavailable.
  std::chrono::milliseconds acquire_timeout{2000};
};

namespace store {
class Pool;
}

class Database {
 public:
  // URL forms: "sqlite:PATH" (also "sqlite://PATH"), "postgresql://user:pass@host:port/db" ("postgres://"
  // too). Throws Error(invalid_parameter, "db") for an unknown scheme, Error(unavailable) when the database
  // cannot be opened.
  static Database open(std::string_view url, DatabaseOptions options = {});

  Dialect dialect() const noexcept;
  std::size_t pool_size() const noexcept;
  // Connections currently lent out to sessions.
  std::size_t in_use() const noexcept;

  // Creates or upgrades the schema; idempotent and safe to run concurrently. Returns the number of
  // migrations applied by this call.
  int migrate();
  // The highest migration applied (0 on an empty database).
  int schema_version();
  // A trivial round trip: true when the database answers.
  bool ping();

 private:
  // The pool is the sessions' business, not a caller's.
  friend class TenantSession;
  friend class AdminSession;
  friend class AsyncRead;
  store::Pool& pool() const noexcept { return *pool_; }

  explicit Database(std::shared_ptr<store::Pool> pool) : pool_(std::move(pool)) {}
  std::shared_ptr<store::Pool> pool_;
};

}  // namespace racetiming
