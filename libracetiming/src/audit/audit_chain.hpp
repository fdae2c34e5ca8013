#pragma once
// Internal: the audit table's statements and its chain: what a row's hash covers, the batch insert that
// extends each partner's chain, the walk that checks it, and the partner's listing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "racetiming/audit/audit_trail.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::audit::detail {

// An event with the time it happened, in the text form that is stored and hashed
// ("2026-12-05T01:55:20.123Z": milliseconds, as both databases print it back).
struct TimedEvent {
  AuditEvent event;
  std::string occurred_at;
};

std::string utc_now_text();

// SHA-256 (hex) of a row's fields and the previous row's hash: what `hash` holds.
std::string row_hash(const std::optional<std::int64_t>& partner_id, const std::string& occurred_at, const AuditEvent& e,
                     const std::string& prev_hash);

// The hash a partner's first row follows.
inline const std::string kGenesis(64, '0');

// Appends the events, each partner's chained to its last stored row, in one transaction (on PostgreSQL
// under an advisory lock, so daemons writing at once cannot fork a chain).
void append(Database& db, const std::vector<TimedEvent>& events);

ChainReport verify(Database& db, std::optional<std::int64_t> partner_id);

std::vector<AuditEntry> list(Database& db, std::int64_t partner_id, const AuditQuery& query);

}  // namespace racetiming::audit::detail
