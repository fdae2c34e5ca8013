#pragma once
// Audit rows and a chain's verification as the REST API and the CLI show them.
#include <string>
#include <vector>

#include "racetiming/audit/audit_trail.hpp"

namespace racetiming::format {

// {"data": [{"audit_id", "occurred_at", "user_id", "key_id", "method", "route", "status", "request_id",
// "duration_ms", "client_address", "hash"}], "next_before_id": the last row's id, or null when no more}
std::string audit_entries_json(const std::vector<audit::AuditEntry>& entries, bool more);
// {"rows", "intact", "findings": [{"partner_id", "audit_id", "problem", "detail"}]}
std::string chain_report_json(const audit::ChainReport& report);

}  // namespace racetiming::format
