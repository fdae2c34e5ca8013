#include "store/session_settings.hpp"

#include <string>

namespace racetiming::store {

SessionState tenant_settings(std::int64_t partner_id, bool read_only, std::chrono::milliseconds statement_timeout) {
  return {.known = true, .tenant_role = true, .partner_id = partner_id, .read_only = read_only,
          .statement_timeout_ms = statement_timeout.count()};
}

SessionState owner_settings() { return {.known = true}; }

SessionState on(const Connection& conn, SessionState want) {
  want.local = conn.transaction_pooled();
  return want;
}

std::optional<Sql> change_settings(const SessionState& have, const SessionState& want) {
  if (have == want && !want.local) return std::nullopt;
  // All four in one statement, session-level: they outlive the transaction, which is the point; or,
  // behind a transaction pooler, local to this transaction (the next may run on another server connection).
  if (want.local)  // the transaction's BEGIN says read only or not: that part needs no setting here
    return Sql{"SELECT set_config('role', $1, true), set_config('app.current_partner_id', $2, true), "
               "set_config('statement_timeout', $3, true)",
               {std::string(want.tenant_role ? "racetiming_api" : "none"),
                want.partner_id > 0 ? std::to_string(want.partner_id) : std::string(),
                std::to_string(want.statement_timeout_ms)}};
  return Sql{"SELECT set_config('role', $1, false), set_config('app.current_partner_id', $2, false), "
             "set_config('default_transaction_read_only', $3, false), set_config('statement_timeout', $4, false)",
             {std::string(want.tenant_role ? "racetiming_api" : "none"),
              want.partner_id > 0 ? std::to_string(want.partner_id) : std::string(),
              std::string(want.read_only ? "on" : "off"), std::to_string(want.statement_timeout_ms)}};
}

ReadBatch read_batch(const SessionState& have, const SessionState& want, const Sql& sql) {
  auto change = change_settings(have, want);
  if (!change) return {{sql}, 0, want};
  return {{{"BEGIN READ ONLY", {}}, std::move(*change), sql, {"COMMIT", {}}}, 2, want};
}

ResultSet ReadBatch::finish(Connection& conn, std::vector<ResultSet> results) const {
  ran(conn);
  return std::move(results.at(rows));
}

}  // namespace racetiming::store
