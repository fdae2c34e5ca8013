#include "app/audit_routes.hpp"

#include "app/call_params.hpp"
#include "racetiming/format/audit_json.hpp"

namespace racetimingd::app {

void add_audit_routes(Router& router, const std::string& prefix) {
  router.add({.method = "GET", .pattern = prefix + "/audit", .permission = "read:audit",
              .summary = "The partner's audit trail: one row per API call and per refused attempt, newest first",
              .handler = [](const Call& c) {
                racetiming::audit::AuditQuery q;
                const auto limit = id_query(c, "limit").value_or(100);
                if (limit < 1 || limit > 1000)
                  throw racetiming::Error(racetiming::ErrorCode::invalid_parameter, "limit must be 1 to 1000", "limit");
                q.limit = static_cast<std::size_t>(limit) + 1;  // one more: whether another page follows
                q.before_id = id_query(c, "before_id");
                auto rows = c.partner().audit_entries(q);
                const bool more = rows.size() > static_cast<std::size_t>(limit);
                if (more) rows.pop_back();
                http::Response r;
                r.body = racetiming::format::audit_entries_json(rows, more);
                return r;
              },
              .tag = "audit",
              .params = {{"limit", "query", "integer", "Rows (default 100, at most 1000)"},
                         {"before_id", "query", "integer", "Rows older than this one: the previous page's next_before_id"}},
              .response = "AuditPage"});
}

}  // namespace racetimingd::app
