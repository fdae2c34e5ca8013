// libpq-backed Connection. Parameters go out as text with an explicit type for numbers (so `$1 IS NULL`
// and comparisons infer correctly) and results come back as text, converted by column type.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <poll.h>
#include <unordered_map>

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "racetiming/error.hpp"
#include "store/connection.hpp"

namespace racetiming::store {
namespace {

constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700;

struct PgResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// The Error for a failed statement: constraint violations are conflicts, the rest internal or unavailable.
Error error_for(PGconn* conn, const PGresult* result) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view sqlstate = state ? state : "";
  if (PQstatus(conn) != CONNECTION_OK) return Error(ErrorCode::unavailable, "database connection lost: " + message);
  // the server's own text names tables, constraints and values: a caller gets what it can act on
  if (sqlstate.starts_with("23")) return Error(ErrorCode::conflict, std::string(conflict_message(sqlstate)));
  if (sqlstate == "57014") return Error(ErrorCode::unavailable, "statement timed out");
  if (sqlstate == "42501") return Error(ErrorCode::forbidden, message);
  return Error(ErrorCode::internal, "database error: " + message);
}

// How a column's text becomes a cell, decided once per column from its type.
enum class CellKind { integer, boolean, real, text };

CellKind kind_of(Oid type) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return CellKind::integer;
    case kBoolOid: return CellKind::boolean;
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: return CellKind::real;
    default: return CellKind::text;
  }
}

// A statement's rows read in place from libpq's result, each column's type looked at once.
class PgRowsView final : public RowsView {
 public:
  explicit PgRowsView(const PGresult* r) : r_(r) {
    const int cols = PQnfields(r);
    kinds_.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) kinds_.push_back(kind_of(PQftype(r, c)));
  }
  // Owning the result: what AsyncRead hands out.
  explicit PgRowsView(PgResult owned) : PgRowsView(owned.get()) { owned_ = std::move(owned); }

  std::size_t row_count() const override { return static_cast<std::size_t>(PQntuples(r_)); }
  std::size_t column_count() const override { return kinds_.size(); }
  std::string_view column_name(std::size_t column) const override { return PQfname(r_, static_cast<int>(column)); }
  CellView cell(std::size_t row, std::size_t column) const override {
    const int i = static_cast<int>(row), c = static_cast<int>(column);
    const int len = PQgetlength(r_, i, c);
    if (len == 0 && PQgetisnull(r_, i, c)) return {};  // only an empty cell may be NULL
    const char* text = PQgetvalue(r_, i, c);
    switch (kinds_[column]) {
      case CellKind::integer: {
        std::int64_t v = 0;
        std::from_chars(text, text + len, v);
        return v;
      }
      case CellKind::boolean: return std::int64_t{text[0] == 't' ? 1 : 0};
      case CellKind::real: {
        double v = 0;
        std::from_chars(text, text + len, v);
        return v;
      }
      case CellKind::text: break;
    }
    return std::string_view(text, static_cast<std::size_t>(len));
  }

 private:
  const PGresult* r_;
  PgResult owned_;
  std::vector<CellKind> kinds_;
};

// COPY text format: backslash escapes for the four characters that would break a field or row.
void append_copy_field(std::string& out, const Value& v) {
  if (is_null(v)) {
    out += "\\N";
    return;
  }
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    fmt::format_to(std::back_inserter(out), "{}", *i);
    return;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    fmt::format_to(std::back_inserter(out), "{}", *d);
    return;
  }
  for (char c : std::get<std::string>(v)) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

class PostgresqlConnection final : public Connection {
 public:
  explicit PostgresqlConnection(soci::session& session)
      : conn_(static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_) {
    // NOTICEs ("relation already exists, skipping") are expected chatter, not errors: keep stderr clean
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }

  Dialect dialect() const noexcept override { return Dialect::postgresql; }

  ResultSet query(const Sql& sql) override { return rows(run(sql).get()); }

  std::vector<ResultSet> pipeline(std::span<const Sql> statements) override;

  std::unique_ptr<PendingPipeline> start_pipeline(std::span<const Sql> statements) override;

  // PendingPipeline's side of the connection.
  struct Batch;
  bool advance(Batch& batch);
  std::vector<ResultSet> finish(Batch& batch);
  // The raw results of a batch's statements, in order; throws its first failure.
  std::vector<PgResult> finish_raw(Batch& batch);
  void abandon() noexcept { broken_ = true; }
  int socket() const noexcept { return PQsocket(conn_); }

  std::int64_t execute(const Sql& sql) override {
    PgResult r = run(sql);
    const char* n = PQcmdTuples(r.get());
    std::int64_t count = 0;
    std::from_chars(n, n + std::strlen(n), count);
    return count;
  }

  void execute_script(std::string_view script) override {
    PgResult r(PQexec(conn_, std::string(script).c_str()));
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r.get());
  }

  void bulk_insert(const BulkTable& rows) override {
    std::string statement = fmt::format("COPY {} ({}) FROM STDIN", rows.table, fmt::join(rows.columns, ", "));
    PgResult start(PQexec(conn_, statement.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) fail(start.get());

    constexpr std::size_t kChunk = 1 << 20;
    std::string buffer;
    buffer.reserve(kChunk + 4096);
    const std::size_t width = rows.columns.size();
    for (std::size_t i = 0; i < rows.cells.size(); ++i) {
      append_copy_field(buffer, rows.cells[i]);
      buffer += (i % width == width - 1) ? '\n' : '\t';
      if (buffer.size() >= kChunk) send_copy(buffer);
    }
    if (!buffer.empty()) send_copy(buffer);
    if (PQputCopyEnd(conn_, nullptr) != 1) fail(nullptr);
    PgResult end(PQgetResult(conn_));
    const bool ok = end && PQresultStatus(end.get()) == PGRES_COMMAND_OK;
    // drain so the connection is ready for the next statement
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    if (!ok) fail(end.get());
  }

  bool healthy() const noexcept override { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

 private:
  [[noreturn]] void fail(const PGresult* result) {
    session_state() = {};  // whatever the failed statement's transaction set is undone
    throw error_for(conn_, result);
  }
  // A pipeline that cannot be sent or read whole leaves the connection out of step with the server.
  [[noreturn]] void fail_pipeline() {
    broken_ = true;
    fail(nullptr);
  }

  // Sends statements (preparing new ones inside the pipeline) and one sync, without waiting for results.
  Batch send(std::span<const Sql> statements);
  // Blocks until the socket is readable (or writable while output is still queued).
  void wait_for_socket(bool writable);

  void send_copy(std::string& buffer) {
    if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) fail(nullptr);
    buffer.clear();
  }

  // A statement's parameters in libpq's form: text, with an explicit type for numbers.
  struct Params {
    explicit Params(const Sql& sql) : storage(sql.params.size()), values(sql.params.size(), nullptr), types(sql.params.size(), 0) {
      for (std::size_t i = 0; i < sql.params.size(); ++i) {
        const Value& v = sql.params[i];
        if (is_null(v)) continue;
        if (const auto* iv = std::get_if<std::int64_t>(&v)) {
          storage[i] = std::to_string(*iv);
          types[i] = kInt8Oid;
        } else if (const auto* dv = std::get_if<double>(&v)) {
          storage[i] = fmt::format("{}", *dv);
          types[i] = kFloat8Oid;
        } else {
          storage[i] = std::get<std::string>(v);  // 0: the server infers text-like types (dates compare as dates)
        }
        values[i] = storage[i].c_str();
      }
    }
    int count() const { return static_cast<int>(values.size()); }
    std::vector<std::string> storage;
    std::vector<const char*> values;
    std::vector<Oid> types;
  };

  static ResultSet rows(const PGresult* r) { return PgRowsView(r).materialize(); }

  // Builders emit a few dozen distinct texts, each run many times: preparing each once per connection
  // saves parsing and planning on every call (planning cost more than executing a page of results).
  // Past the cap, statements run unprepared rather than growing the server's memory without bound.
  // Names are never reused, even for a statement whose preparation failed.
  std::string next_name() { return "rt_" + std::to_string(++names_); }

  // One statement, sent the way a pipeline sends it (prepared on its first run), waited for.
  PgResult run(const Sql& sql);

  static constexpr std::size_t kMaxPrepared = 256;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> server-side name
  std::uint64_t names_ = 0;
  bool broken_ = false;  // a pipeline was abandoned midway: reopen before lending again
};

// One pipeline's commands as they come back: each statement's rows, the preparations of new statements,
// and the sync that ends it.
struct PostgresqlConnection::Batch {
  struct Preparing {
    std::string text, name;
    bool ok = false;
  };
  std::vector<Preparing> preparing;  // new statements: remembered as prepared once the server says so
  static constexpr int kStatement = -1, kSync = -2;
  std::vector<int> commands;  // per command sent: the index of its Preparing, kStatement or kSync
  std::size_t next = 0;       // the command whose results come next
  bool flushing = false;      // output still queued (non-blocking mode)
  std::vector<PgResult> out;  // each statement's result, in order
  PgResult failure;
};

std::vector<ResultSet> PostgresqlConnection::pipeline(std::span<const Sql> statements) {
  Batch batch = send(statements);
  while (!advance(batch)) wait_for_socket(batch.flushing);
  return finish(batch);
}

PgResult PostgresqlConnection::run(const Sql& sql) {
  Batch batch = send({&sql, 1});
  while (!advance(batch)) wait_for_socket(batch.flushing);
  return std::move(finish_raw(batch).front());
}

PostgresqlConnection::Batch PostgresqlConnection::send(std::span<const Sql> statements) {
  if (PQenterPipelineMode(conn_) != 1) fail_pipeline();
  Batch batch;
  auto sync = [&] {
    if (PQpipelineSync(conn_) != 1) fail_pipeline();
    batch.commands.push_back(Batch::kSync);
  };
  for (const Sql& sql : statements) {
    if (sql.text == "COMMIT" && !batch.commands.empty()) sync();  // see Connection::pipeline
    Params p(sql);
    auto it = sql.reuse_plan ? prepared_.find(sql.text) : prepared_.end();
    auto& preparing = batch.preparing;
    bool sent = false;
    if (!sql.reuse_plan) {
      sent = PQsendQueryParams(conn_, sql.text.c_str(), p.count(), p.types.data(), p.values.data(), nullptr, nullptr, 0) == 1;
    } else if (it != prepared_.end()) {
      sent = PQsendQueryPrepared(conn_, it->second.c_str(), p.count(), p.values.data(), nullptr, nullptr, 0) == 1;
    } else if (!transaction_pooled() && prepared_.size() + preparing.size() < kMaxPrepared &&
               std::none_of(preparing.begin(), preparing.end(), [&](const Batch::Preparing& x) { return x.text == sql.text; })) {
      const std::string name = next_name();
      sent = PQsendPrepare(conn_, name.c_str(), sql.text.c_str(), p.count(), p.types.data()) == 1 &&
             PQsendQueryPrepared(conn_, name.c_str(), p.count(), p.values.data(), nullptr, nullptr, 0) == 1;
      batch.commands.push_back(static_cast<int>(preparing.size()));
      preparing.push_back({sql.text, name});
    } else {
      sent = PQsendQueryParams(conn_, sql.text.c_str(), p.count(), p.types.data(), p.values.data(), nullptr, nullptr, 0) == 1;
    }
    if (!sent) fail_pipeline();
    batch.commands.push_back(Batch::kStatement);
  }
  sync();
  const int flushed = PQflush(conn_);
  if (flushed < 0) fail_pipeline();
  batch.flushing = flushed == 1;
  return batch;
}

// Takes what has arrived without blocking; true once the sync is in. After a failure the server skips
// the rest up to the sync (PIPELINE_ABORTED results).
bool PostgresqlConnection::advance(Batch& batch) {
  if (batch.flushing) {
    const int flushed = PQflush(conn_);
    if (flushed < 0) fail_pipeline();
    if ((batch.flushing = flushed == 1)) return false;
  }
  if (PQconsumeInput(conn_) != 1) fail_pipeline();
  while (batch.next < batch.commands.size()) {
    if (PQisBusy(conn_)) return false;
    PgResult r(PQgetResult(conn_));
    const int command = batch.commands[batch.next];
    if (command == Batch::kSync) {
      if (!r) fail_pipeline();
      if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) ++batch.next;
      continue;
    }
    if (!r) {  // this command's results are done
      ++batch.next;
      continue;
    }
    const auto status = PQresultStatus(r.get());
    const bool ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
    if (status == PGRES_FATAL_ERROR && !batch.failure) batch.failure = std::move(r);
    else if (command >= 0) batch.preparing[static_cast<std::size_t>(command)].ok = ok;
    else if (ok) batch.out.push_back(std::move(r));
  }
  return true;
}

std::vector<PgResult> PostgresqlConnection::finish_raw(Batch& batch) {
  PQexitPipelineMode(conn_);
  PQsetnonblocking(conn_, 0);
  for (auto& x : batch.preparing)
    if (x.ok) prepared_.emplace(std::move(x.text), std::move(x.name));
  if (batch.failure) fail(batch.failure.get());
  return std::move(batch.out);
}

std::vector<ResultSet> PostgresqlConnection::finish(Batch& batch) {
  std::vector<ResultSet> out;
  for (const PgResult& r : finish_raw(batch)) out.push_back(rows(r.get()));
  return out;
}

void PostgresqlConnection::wait_for_socket(bool writable) {
  pollfd fd{PQsocket(conn_), static_cast<short>(writable ? POLLOUT : POLLIN), 0};
  while (::poll(&fd, 1, -1) < 0)
    if (errno != EINTR) fail_pipeline();
}

class PgPendingPipeline final : public PendingPipeline {
 public:
  PgPendingPipeline(PostgresqlConnection& connection, PostgresqlConnection::Batch batch)
      : connection_(connection), batch_(std::move(batch)) {}
  ~PgPendingPipeline() override {
    if (!taken_) connection_.abandon();  // results still on their way: nobody will read them
  }
  int socket() const noexcept override { return connection_.socket(); }
  bool wants_write() const noexcept override { return batch_.flushing; }
  bool advance() override {
    try {
      return connection_.advance(batch_);
    } catch (...) {
      taken_ = true;  // a broken connection: the pool checks its health before lending it again
      throw;
    }
  }
  std::unique_ptr<RowsView> take(std::size_t statement) override {
    taken_ = true;
    auto results = connection_.finish_raw(batch_);
    return std::make_unique<PgRowsView>(std::move(results.at(statement)));
  }

 private:
  PostgresqlConnection& connection_;
  PostgresqlConnection::Batch batch_;
  bool taken_ = false;
};

std::unique_ptr<PendingPipeline> PostgresqlConnection::start_pipeline(std::span<const Sql> statements) {
  if (PQsetnonblocking(conn_, 1) != 0) fail(nullptr);
  try {
    auto pending = std::make_unique<PgPendingPipeline>(*this, send(statements));
    return pending;
  } catch (...) {
    PQsetnonblocking(conn_, 0);
    throw;
  }
}

}  // namespace

std::unique_ptr<Connection> make_postgresql_connection(soci::session& session) {
  return std::make_unique<PostgresqlConnection>(session);
}

}  // namespace racetiming::store
