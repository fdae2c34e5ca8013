#pragma once
// Internal: the SOCI connection pool and the RAII lease that lends one connection to a session.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <soci/connection-pool.h>

#include "store/connection.hpp"

namespace racetiming::store {

class Pool {
 public:
  Pool(Dialect dialect, std::string connect_string, std::size_t size, std::chrono::milliseconds acquire_timeout,
       bool transaction_pooled = false);
  ~Pool();

  Dialect dialect() const noexcept { return dialect_; }
  std::size_t size() const noexcept { return slots_.size(); }
  std::size_t in_use() const noexcept { return in_use_.load(); }

 private:
  friend class Lease;
  struct Slot {
    std::unique_ptr<Connection> connection;
    std::uint64_t serial = 0;  // new for every (re)opened connection
  };
  void reopen(std::size_t pos);

  std::unique_ptr<Connection> wrap(soci::session& session) const;

  Dialect dialect_;
  std::string connect_string_;
  bool transaction_pooled_ = false;
  std::chrono::milliseconds acquire_timeout_;
  soci::connection_pool pool_;
  std::vector<Slot> slots_;
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::uint64_t> last_serial_{0};
};

class Lease {
 public:
  // Waits up to the pool's acquire timeout; throws Error(unavailable) when no connection frees up.
  explicit Lease(Pool& pool);
  // A connection that is free and healthy right now, or nullptr: never waits, never reconnects (a
  // caller that must not block leaves both to callers that may).
  static std::unique_ptr<Lease> try_acquire(Pool& pool);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  Connection& connection() { return *pool_.slots_[pos_].connection; }
  // Names the connection: never the same for two connections this pool opened.
  std::uint64_t serial() const { return pool_.slots_[pos_].serial; }

 private:
  Lease(Pool& pool, std::size_t pos) : pool_(pool), pos_(pos) {}
  Pool& pool_;
  std::size_t pos_ = 0;
};

}  // namespace racetiming::store
