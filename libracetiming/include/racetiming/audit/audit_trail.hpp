#pragma once
// The audit trail: one row per API call and per refused attempt, append-only, each row chained to its
// partner's previous row by a SHA-256 over its fields and the previous row's hash, so that an edited,
// inserted or removed row breaks the chain where it happened (verify_chain names it). Rows are written
// off the request path: a host hands an event to the Engine (a bounded queue), a thread of the Engine's
// writes them in batches, and the Engine's destruction writes what is left. Never a token, a key, a
// password or a query string: the route is the template ("/api/v1/races/{race_id}"), not the path.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace racetiming::audit {

struct AuditEvent {
  std::optional<std::int64_t> partner_id;  // none: refused before a partner was known
  std::optional<std::int64_t> user_id, key_id;
  std::string method;
  std::string route;  // the matched route's template
  int status = 0;
  std::string request_id;
  double duration_ms = 0;
  std::string client_address;
};

// A stored row, as GET /audit lists it.
struct AuditEntry {
  std::int64_t audit_id = 0;
  std::optional<std::int64_t> partner_id;
  std::string occurred_at;  // UTC, "2026-12-05T01:55:20.123Z"
  std::optional<std::int64_t> user_id, key_id;
  std::string method, route;
  int status = 0;
  std::string request_id;
  double duration_ms = 0;
  std::string client_address;
  std::string hash;
};

struct AuditQuery {
  std::size_t limit = 100;                  // at most 1000
  std::optional<std::int64_t> before_id = {};  // page back: rows older than this one
};

// What verify_chain found wrong, one finding per break, naming the row.
struct ChainFinding {
  std::optional<std::int64_t> partner_id;
  std::int64_t audit_id = 0;  // the row where the chain breaks
  std::string problem;        // "edited", "inserted", "removed before"
  std::string detail;
};

struct ChainReport {
  std::int64_t rows = 0;
  std::vector<ChainFinding> findings;  // empty: every chain is whole
  bool intact() const { return findings.empty(); }
};

struct AuditOptions {
  bool enabled = false;           // the daemon turns it on; embedders may
  std::size_t queue_limit = 100'000;  // events waiting to be written; a full queue makes record() wait
  // A write waits for this many rows, or 100 ms: each write costs PostgreSQL a few round trips, so a busy
  // daemon's rows go in few, large writes (500 a write cost 4-5 µs more a row than 5000).
  std::size_t batch_rows = 5000;
  // Told why a batch could not be written (it is kept and tried again a second later): a host logs it.
  std::function<void(const std::string& cause)> report_failure = {};
};

}  // namespace racetiming::audit
