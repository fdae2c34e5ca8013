#pragma once
// Internal: the session settings a tenant or owner session needs on PostgreSQL, and the statements that
// get a connection there from what its last borrower left (see SessionState).
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "store/connection.hpp"

namespace racetiming::store {

SessionState tenant_settings(std::int64_t partner_id, bool read_only, std::chrono::milliseconds statement_timeout);
SessionState owner_settings();

// `want` as this connection must get it: local to each transaction behind a transaction pooler.
SessionState on(const Connection& conn, SessionState want);

// The one statement that moves a connection from `have` to `want`; none when it is there already (and
// always one when `want` is local).
std::optional<Sql> change_settings(const SessionState& have, const SessionState& want);

// A read-only statement in one round trip: the statement alone (autocommit) when the connection's
// settings are already `want`; else inside a read-only transaction that sets them first, with a COMMIT
// that ends it even if the statement fails.
struct ReadBatch {
  std::vector<Sql> statements;
  std::size_t rows = 0;  // the index of the statement's rows
  SessionState settings;

  // After the batch ran without failing: the connection has the settings now.
  void ran(Connection& conn) const { conn.session_state() = settings; }
  // The same, and the statement's rows among the batch's results.
  ResultSet finish(Connection& conn, std::vector<ResultSet> results) const;
};
ReadBatch read_batch(const SessionState& have, const SessionState& want, const Sql& sql);

}  // namespace racetiming::store
