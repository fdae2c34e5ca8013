#include "audit/audit_chain.hpp"

#include <chrono>
#include <ctime>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "racetiming/auth/secret_hash.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/dates.hpp"
#include "racetiming/store/sql.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "store/connection.hpp"

namespace racetiming::audit::detail {

namespace {

constexpr std::int64_t kAdvisoryLock = 0x72746175;  // "rtau": one lock for every audit writer

Value optional_int(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(); }
std::optional<std::int64_t> int_or_none(const Value& v) { return is_null(v) ? std::nullopt : as_int(v); }

std::string partner_text(const std::optional<std::int64_t>& p) { return p ? std::to_string(*p) : "-"; }

Sql last_hash(Dialect d, const std::optional<std::int64_t>& partner_id) {
  SqlWriter w(d);
  w << "SELECT hash FROM audit_log WHERE ";
  if (partner_id) {
    w << "timing_partner_id = ";
    w.bind(*partner_id);
  } else {
    w << "timing_partner_id IS NULL";
  }
  w << " ORDER BY audit_id DESC LIMIT 1";
  return w.take();
}

}  // namespace

std::string utc_now_text() { return sport::iso_timestamp_utc(std::chrono::system_clock::now()); }

std::string row_hash(const std::optional<std::int64_t>& partner_id, const std::string& occurred_at, const AuditEvent& e,
                     const std::string& prev_hash) {
  // one field per line, in a fixed order; text fields cannot hold a newline (they come from a request
  // line and the server's own values), so no two rows hash the same text
  const auto optional = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  return auth::sha256_hex(fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{:.3f}\n{}\n{}", optional(partner_id), occurred_at,
                                      optional(e.user_id), optional(e.key_id), e.method, e.route, e.status, e.request_id,
                                      e.duration_ms, e.client_address, prev_hash));
}

void append(Database& db, const std::vector<TimedEvent>& events) {
  if (events.empty()) return;
  AdminSession session(db);
  const Dialect d = session.dialect();
  if (d == Dialect::postgresql) {
    SqlWriter lock(d);
    lock << "SELECT pg_advisory_xact_lock(" << std::to_string(kAdvisoryLock) << ")";
    session.query(lock.take());
  }
  // each partner's chain continues from its last stored row
  std::map<std::optional<std::int64_t>, std::string> last;
  for (const auto& t : events) {
    if (last.contains(t.event.partner_id)) continue;
    const auto rows = session.query(last_hash(d, t.event.partner_id));
    last[t.event.partner_id] = rows.rows.empty() ? kGenesis : as_text(rows.rows[0][0]);
  }
  // COPY (PostgreSQL) or a prepared insert per row (SQLite): a busy daemon writes thousands a second
  const bool pg = d == Dialect::postgresql;
  // PostgreSQL: the rows' ids are given here, following the log's last (the lock above makes this the
  // only writer), and the identity's sequence is moved past them once: a nextval per row was a fifth of
  // the row's cost
  std::int64_t last_id = 0;
  if (pg) {
    SqlWriter top(d);
    top << "SELECT COALESCE(MAX(audit_id), 0) FROM audit_log";
    last_id = as_int(session.query(top.take()).rows.at(0).at(0)).value_or(0);
  }
  store::BulkTable rows{"audit_log",
                        {"timing_partner_id", "occurred_at", "user_id", "key_id", "method", "path", "status", "request_id",
                         "duration_ms", "client_address", "prev_hash", "hash"},
                        {}};
  if (pg) rows.columns.push_back("audit_id");  // given, in the chain's order
  rows.cells.reserve(events.size() * rows.columns.size());
  std::int64_t place = 0;
  for (const auto& [e, occurred_at] : events) {
    std::string& prev = last[e.partner_id];
    std::string hash = row_hash(e.partner_id, occurred_at, e, prev);
    for (Value v : {optional_int(e.partner_id), Value(occurred_at), optional_int(e.user_id), optional_int(e.key_id),
                    Value(e.method), Value(e.route), Value(static_cast<std::int64_t>(e.status)), Value(e.request_id),
                    Value(fmt::format("{:.3f}", e.duration_ms)), Value(e.client_address), Value(prev), Value(hash)})
      rows.cells.push_back(std::move(v));
    if (pg) rows.cells.emplace_back(last_id + ++place);
    prev = std::move(hash);
  }
  auto& conn = racetiming::detail::connection_of(session);
  if (pg) {
    // COPY refuses a table under row-level security: into a scratch table, then across. The scratch table
    // stays with the connection, emptied at each commit (only when used), so a batch costs no catalog
    // writes; it is made again on a connection that has none (a new one, or one whose session was reset).
    conn.execute_script(
        "SET LOCAL client_min_messages = warning; "
        "CREATE TEMP TABLE IF NOT EXISTS audit_stage (LIKE audit_log INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
    rows.table = "audit_stage";
    conn.bulk_insert(rows);
    const std::string columns = fmt::format("{}", fmt::join(rows.columns, ", "));
    conn.execute_script(fmt::format(
        "INSERT INTO audit_log ({0}) SELECT {0} FROM audit_stage ORDER BY audit_id; "
        "SELECT setval(pg_get_serial_sequence('audit_log', 'audit_id'), {1})",
        columns, last_id + place));
  } else {
    conn.bulk_insert(rows);
  }
  session.commit();
}

ChainReport verify(Database& db, std::optional<std::int64_t> partner_id) {
  AdminSession session(db);
  const Dialect d = session.dialect();
  SqlWriter w(d);
  w << "SELECT audit_id, timing_partner_id, " << utc_text_expression(d, "occurred_at")
    << " AS occurred_at, user_id, key_id, method, path, status, request_id, duration_ms, client_address, prev_hash, hash "
       "FROM audit_log";
  if (partner_id) {
    w << " WHERE timing_partner_id = ";
    w.bind(*partner_id);
  }
  w << " ORDER BY timing_partner_id, audit_id";
  const auto rows = session.query(w.take());
  session.commit();

  ChainReport report;
  // per chain: the stored hashes of its last two rows, to tell an inserted row from a removed one
  std::map<std::optional<std::int64_t>, std::pair<std::string, std::string>> tail;  // (before last, last)
  std::map<std::optional<std::int64_t>, std::int64_t> last_id;
  for (const auto& r : rows.rows) {
    ++report.rows;
    const std::int64_t id = as_int(r[0]).value_or(0);
    const auto partner = int_or_none(r[1]);
    AuditEvent e;
    e.user_id = int_or_none(r[3]);
    e.key_id = int_or_none(r[4]);
    e.method = as_text(r[5]);
    e.route = as_text(r[6]);
    e.status = static_cast<int>(as_int(r[7]).value_or(0));
    e.request_id = as_text(r[8]);
    e.duration_ms = as_real(r[9]).value_or(0);
    e.client_address = as_text(r[10]);
    const std::string prev = as_text(r[11]), stored = as_text(r[12]);

    auto [it, first] = tail.try_emplace(partner, std::string(), kGenesis);
    const auto& [before_last, last] = it->second;
    if (prev != last) {
      if (!first && prev == before_last)  // it follows the row before the last: the last was put between them
        report.findings.push_back({partner, last_id[partner], "inserted",
                                   fmt::format("row {} of partner {} is not in the chain: row {} follows the row before it",
                                               last_id[partner], partner_text(partner), id)});
      else
        report.findings.push_back({partner, id, "removed before",
                                   fmt::format("row {} of partner {} follows a row that is not there: a row before it was "
                                               "removed",
                                               id, partner_text(partner))});
    }
    if (row_hash(partner, as_text(r[2]), e, prev) != stored)
      report.findings.push_back({partner, id, "edited",
                                 fmt::format("row {} of partner {} does not hash to what it holds: it was edited", id,
                                             partner_text(partner))});
    it->second = {last, stored};
    last_id[partner] = id;
  }
  return report;
}

std::vector<AuditEntry> list(Database& db, std::int64_t partner_id, const AuditQuery& query) {
  TenantSession session(db, partner_id, Access::read_only);
  const Dialect d = session.dialect();
  SqlWriter w(d);
  w << "SELECT audit_id, timing_partner_id, " << utc_text_expression(d, "occurred_at")
    << " AS occurred_at, user_id, key_id, method, path, status, request_id, duration_ms, client_address, hash "
       "FROM audit_log WHERE timing_partner_id = ";
  w.bind(partner_id);
  if (query.before_id) {
    w << " AND audit_id < ";
    w.bind(*query.before_id);
  }
  w << " ORDER BY audit_id DESC LIMIT ";
  w.bind(static_cast<std::int64_t>(std::clamp<std::size_t>(query.limit, 1, 1000)));
  const auto rows = session.query(w.take());
  session.commit();
  std::vector<AuditEntry> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows)
    out.push_back(AuditEntry{as_int(r[0]).value_or(0), int_or_none(r[1]), as_text(r[2]), int_or_none(r[3]), int_or_none(r[4]),
                             as_text(r[5]), as_text(r[6]), static_cast<int>(as_int(r[7]).value_or(0)), as_text(r[8]),
                             as_real(r[9]).value_or(0), as_text(r[10]), as_text(r[11])});
  return out;
}

}  // namespace racetiming::audit::detail
