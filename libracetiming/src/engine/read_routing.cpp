#include "engine/read_routing.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::detail {

namespace {

// pg_lsn text ("16/B374D848") as one number, and back; 0 for text that is not one.
std::uint64_t lsn_value(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return 0;
  std::uint64_t high = 0, low = 0;
  const char* end = text.data() + text.size();
  if (std::from_chars(text.data(), text.data() + slash, high, 16).ec != std::errc{}) return 0;
  if (std::from_chars(text.data() + slash + 1, end, low, 16).ec != std::errc{}) return 0;
  return (high << 32) | (low & 0xffffffffu);
}

std::string lsn_text(std::uint64_t value) { return fmt::format("{:X}/{:X}", value >> 32, value & 0xffffffffu); }

// Where the primary's WAL ends now, including what is not flushed yet (a commit under
// synchronous_commit = off is past the write position). When the last record ended a page, the insert
// position is past the next page's header, where no replay position ever stops: the boundary is the
// end. (PostgreSQL's default 8 KB pages and 16 MB segments; other sizes only keep a pin until the next
// write.)
std::uint64_t primary_position(TenantSession& session) {
  const auto rows = session.query({"SELECT pg_current_wal_insert_lsn()::text", {}, true});
  std::uint64_t position = rows.rows.empty() ? 0 : lsn_value(as_text(rows.rows[0][0]));
  constexpr std::uint64_t kPage = 8192, kSegment = 16u << 20, kShortHeader = 24, kLongHeader = 40;
  if (position % kSegment == kLongHeader) position -= kLongHeader;
  else if (position % kPage == kShortHeader) position -= kShortHeader;
  return position;
}

}  // namespace

ReadRouting::ReadRouting(Database& primary, std::optional<Database> replica) : primary_(primary), replica_(std::move(replica)) {
  if (replica_ && (replica_->dialect() != Dialect::postgresql || primary_.dialect() != Dialect::postgresql))
    throw Error(ErrorCode::invalid_parameter, "a read replica needs PostgreSQL, for the database and for the replica", "read_db");
}

Database& ReadRouting::for_reads(std::int64_t partner_id) {
  if (!replica_) return primary_;
  std::uint64_t position = 0;
  {
    std::lock_guard lock(mutex_);
    const auto it = pinned_.find(partner_id);
    if (it == pinned_.end()) return *replica_;
    position = it->second;
  }
  // The position functions need no privilege: the partner's own read-only session asks.
  TenantSession session(*replica_, partner_id, Access::read_only);
  const auto rows = session.query_and_commit(
      {"SELECT CASE WHEN pg_last_wal_replay_lsn() >= $1::pg_lsn THEN 1 ELSE 0 END", {Value{lsn_text(position)}}, true});
  if (rows.rows.empty() || as_int(rows.rows[0][0]).value_or(0) == 0) return primary_;
  std::lock_guard lock(mutex_);
  const auto it = pinned_.find(partner_id);
  if (it != pinned_.end() && it->second <= position) pinned_.erase(it);  // a later pin waits for its own
  return *replica_;
}

void ReadRouting::wrote(std::int64_t partner_id) {
  if (!replica_) return;
  std::uint64_t position = 0;
  try {
    TenantSession session(primary_, partner_id, Access::read_only);
    position = primary_position(session);
    session.commit();
  } catch (const Error&) {
    return;  // the primary does not answer: the write did not reach it, or nothing can be read there now
  }
  pin(partner_id, position);
}

void ReadRouting::hold(std::int64_t partner_id, TenantSession& session) {
  if (replica_) pin(partner_id, primary_position(session));
}

void ReadRouting::pin(std::int64_t partner_id, std::uint64_t position) {
  std::lock_guard lock(mutex_);
  std::uint64_t& pinned = pinned_[partner_id];
  if (position > pinned) pinned = position;
}

}  // namespace racetiming::detail
