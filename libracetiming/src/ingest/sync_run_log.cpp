#include "ingest/sync_run_log.hpp"

#include <fmt/format.h>

#include "racetiming/store/tenant_session.hpp"

namespace racetiming::ingest::detail {
namespace {

Value text_or_null(const std::string& s) { return s.empty() ? Value{} : Value{s}; }

std::string select_runs(Dialect d) {
  return fmt::format(
      "SELECT sync_run_id, provider, source, mode, status, {}, {}, races_total, races_done, records_read, "
      "records_created, records_updated, records_removed, records_skipped, records_failed, error FROM sync_runs ",
      utc_text_expression(d, "started_at"), utc_text_expression(d, "finished_at"));
}

SyncRun run_of(const std::vector<Value>& row) {
  SyncRun r;
  auto num = [&](std::size_t i) { return as_int(row[i]).value_or(0); };
  auto str = [&](std::size_t i) { return std::holds_alternative<std::monostate>(row[i]) ? std::string() : as_text(row[i]); };
  r.sync_run_id = num(0);
  r.provider = str(1);
  r.source = str(2);
  r.mode = str(3);
  r.status = str(4);
  r.started_at = str(5);
  r.finished_at = str(6);
  r.races_total = num(7);
  r.races_done = num(8);
  r.read = num(9);
  r.created = num(10);
  r.updated = num(11);
  r.removed = num(12);
  r.skipped = num(13);
  r.failed = num(14);
  r.error = str(15);
  return r;
}

void bind_counts(SqlWriter& w, const SyncRun& run, const char* between) {
  for (std::int64_t v : {run.races_total, run.races_done, run.read, run.created, run.updated, run.removed, run.skipped, run.failed}) {
    w.bind(v);
    w << between;
  }
}

}  // namespace

std::int64_t insert_run(TenantSession& session, const SyncRun& run) {
  const Dialect d = session.dialect();
  SqlWriter w(d);
  w << "INSERT INTO sync_runs (timing_partner_id, provider, source, mode, status, finished_at, races_total, races_done, "
       "records_read, records_created, records_updated, records_removed, records_skipped, records_failed, error) VALUES (";
  w.bind(session.partner_id()) << ", ";
  w.bind(run.provider) << ", ";
  w.bind(text_or_null(run.source)) << ", ";
  w.bind(run.mode) << ", ";
  w.bind(run.status) << ", " << (run.status == "running" ? std::string_view("NULL") : now_expression(d)) << ", ";
  bind_counts(w, run, ", ");
  w.bind(text_or_null(run.error)) << ") RETURNING sync_run_id";
  return as_int(session.query(w.take()).rows.at(0).at(0)).value_or(0);
}

void update_run(TenantSession& session, const SyncRun& run) {
  const Dialect d = session.dialect();
  SqlWriter w(d);
  w << "UPDATE sync_runs SET status = ";
  w.bind(run.status) << ", mode = ";
  w.bind(run.mode) << ", finished_at = " << (run.status == "running" ? std::string_view("NULL") : now_expression(d));
  const char* columns[] = {"races_total", "races_done", "records_read", "records_created", "records_updated",
                           "records_removed", "records_skipped", "records_failed"};
  const std::int64_t values[] = {run.races_total, run.races_done, run.read, run.created, run.updated, run.removed, run.skipped, run.failed};
  for (std::size_t i = 0; i < std::size(columns); ++i) {
    w << ", " << columns[i] << " = ";
    w.bind(values[i]);
  }
  w << ", error = ";
  w.bind(text_or_null(run.error)) << " WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND sync_run_id = ";
  w.bind(run.sync_run_id);
  session.execute(w.take());
}

std::vector<SyncRun> list_runs(TenantSession& session, std::size_t limit, const std::string& provider) {
  SqlWriter w(session.dialect());
  w << select_runs(session.dialect()) << "WHERE timing_partner_id = ";
  w.bind(session.partner_id());
  if (!provider.empty()) {
    w << " AND provider = ";
    w.bind(provider);
  }
  w << " ORDER BY sync_run_id DESC LIMIT ";
  w.bind(static_cast<std::int64_t>(limit));
  std::vector<SyncRun> out;
  for (const auto& row : session.query(w.take()).rows) out.push_back(run_of(row));
  return out;
}

std::optional<SyncRun> find_run(TenantSession& session, std::int64_t sync_run_id) {
  SqlWriter w(session.dialect());
  w << select_runs(session.dialect()) << "WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND sync_run_id = ";
  w.bind(sync_run_id);
  const auto rows = session.query(w.take()).rows;
  if (rows.empty()) return std::nullopt;
  return run_of(rows.front());
}

void mark_interrupted(TenantSession& session, const std::string& provider) {
  SqlWriter w(session.dialect());
  w << "UPDATE sync_runs SET status = 'failed', finished_at = " << now_expression(session.dialect())
    << ", error = 'interrupted: the process running it ended before it finished' WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND provider = ";
  w.bind(provider) << " AND status = 'running'";
  session.execute(w.take());
}

}  // namespace racetiming::ingest::detail
