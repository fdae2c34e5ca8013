#pragma once
// Internal: where a partner's reads go. Without a replica, to the one database. With one
// (EngineOptions::read_url), to the replica, except for a partner this Engine has written to whose write
// the replica has not replayed yet: its reads stay on the primary until the replica's replay position
// passes the write's (read-your-writes within a process).
//
// A cached answer is tagged with a data version read before its rows; the rows must be at least as new as
// the tag. Reads of the replica alone keep that (it only moves forward), and so do a version read there
// and rows read from the primary. A version read from the primary and rows from a replica that has not
// caught up would not: so a version read from the primary moves the partner's pin to the primary's
// position at that moment (hold()).
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "racetiming/store/database.hpp"

namespace racetiming {
class TenantSession;
}

namespace racetiming::detail {

class ReadRouting {
 public:
  // Throws Error(invalid_parameter, "read_db") unless both databases are PostgreSQL.
  ReadRouting(Database& primary, std::optional<Database> replica);

  bool has_replica() const noexcept { return replica_.has_value(); }
  Database& primary() noexcept { return primary_; }
  Database* replica() noexcept { return replica_ ? &*replica_ : nullptr; }

  // The database a read of the partner goes to now. While the partner is pinned, one round trip to the
  // replica asks whether it has replayed the pinned position.
  Database& for_reads(std::int64_t partner_id);
  // The partner's data changed on the primary through this Engine (called after the write, done or
  // failed): its reads stay on the primary until the replica has replayed the primary's position now.
  void wrote(std::int64_t partner_id);
  // `session`, on the primary, read something of the partner that tags later reads: pins the partner
  // to the primary's position now (a round trip in that session), if the routing has a replica.
  void hold(std::int64_t partner_id, TenantSession& session);

 private:
  void pin(std::int64_t partner_id, std::uint64_t position);

  Database& primary_;
  std::optional<Database> replica_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::uint64_t> pinned_;  // partner -> primary WAL position to wait for
};

}  // namespace racetiming::detail
