#pragma once
// A tenant read of one statement that never blocks the calling thread, for hosts that run an event loop
// (the daemon's I/O threads): waiting for the database then costs no thread and no hand-off between
// threads. The host waits for socket() to be readable (writable while wants_write()), calls advance()
// until it returns true, then take(). PostgreSQL only: SQLite has no socket to wait on.
#include <cstdint>
#include <memory>

#include "racetiming/store/database.hpp"
#include "racetiming/detail/rows_view.hpp"

namespace racetiming {

namespace store {
class Lease;
class PendingPipeline;
}  // namespace store

class AsyncRead {
 public:
  // Sends the statement on a connection that is free right now, scoped like a read-only TenantSession
  // (with the tenant's settings in the same round trip when the connection's differ). nullptr when the
  // store is SQLite or no connection is free this instant: run the read on a TenantSession instead,
  // which waits its turn.
  static std::unique_ptr<AsyncRead> try_start(Database& db, std::int64_t partner_id, const Sql& sql);
  // Abandoned before take(): the connection is reopened before it is lent again.
  ~AsyncRead();
  AsyncRead(const AsyncRead&) = delete;
  AsyncRead& operator=(const AsyncRead&) = delete;

  int socket() const noexcept;
  // The connection the read runs on. Reads with the same serial ran on the same connection, over the
  // same socket: a host may keep that socket registered with its event loop from one read to the next.
  // A reopened connection gets a new serial (serials are unique within one Database).
  std::uint64_t connection_serial() const noexcept;
  bool wants_write() const noexcept;
  // Takes what has arrived; true once the answer is complete. Throws Error when the connection fails.
  bool advance();
  // The rows, read in place (they own libpq's result, not the connection); throws the Error
  // TenantSession::query_and_commit would. Returns the connection to the pool.
  std::unique_ptr<RowsView> take();

 private:
  AsyncRead() = default;
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace racetiming
