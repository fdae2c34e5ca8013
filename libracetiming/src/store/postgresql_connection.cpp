// libpq-backed Connection. Parameters go out as text with an explicit type for numbers (so `$1 IS NULL`
// and comparisons infer correctly) and results come back as text, converted by column type.
#include <algorithm>
#include <charconv>
#include <cstring>
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

// Maps a failed statement to an Error: constraint violations are conflicts, the rest internal or unavailable.
[[noreturn]] void fail(PGconn* conn, const PGresult* result) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view sqlstate = state ? state : "";
  if (PQstatus(conn) != CONNECTION_OK) throw Error(ErrorCode::unavailable, "database connection lost: " + message);
  if (sqlstate.starts_with("23")) throw Error(ErrorCode::conflict, message);
  if (sqlstate == "57014") throw Error(ErrorCode::unavailable, "statement timed out");
  if (sqlstate == "42501") throw Error(ErrorCode::forbidden, message);
  throw Error(ErrorCode::internal, "database error: " + message);
}

Value cell(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return {};
  const char* text = PQgetvalue(r, row, col);
  const int len = PQgetlength(r, row, col);
  switch (PQftype(r, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t v = 0;
      std::from_chars(text, text + len, v);
      return v;
    }
    case kBoolOid: return std::int64_t{text[0] == 't' ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double v = 0;
      std::from_chars(text, text + len, v);
      return v;
    }
    default: return std::string(text, static_cast<std::size_t>(len));
  }
}

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

  // Sends every statement (preparing the new ones in the same pipeline), one sync, then reads the
  // results in order. After a failure the server skips the rest up to the sync (PIPELINE_ABORTED).
  std::vector<ResultSet> pipeline(std::span<const Sql> statements) override {
    if (PQenterPipelineMode(conn_) != 1) fail(conn_, nullptr);
    struct Preparing {
      std::string text, name;
      bool ok = false;
    };
    std::vector<Preparing> preparing;  // new statements: remembered as prepared once the server says so
    std::vector<int> commands;         // per command sent: the index of its Preparing, or -1 for a statement
    for (const Sql& sql : statements) {
      Params p(sql);
      auto it = sql.reuse_plan ? prepared_.find(sql.text) : prepared_.end();
      bool sent = false;
      if (!sql.reuse_plan) {
        sent = PQsendQueryParams(conn_, sql.text.c_str(), p.count(), p.types.data(), p.values.data(), nullptr, nullptr, 0) == 1;
      } else if (it != prepared_.end()) {
        sent = PQsendQueryPrepared(conn_, it->second.c_str(), p.count(), p.values.data(), nullptr, nullptr, 0) == 1;
      } else if (prepared_.size() + preparing.size() < kMaxPrepared &&
                 std::none_of(preparing.begin(), preparing.end(), [&](const Preparing& x) { return x.text == sql.text; })) {
        const std::string name = next_name();
        sent = PQsendPrepare(conn_, name.c_str(), sql.text.c_str(), p.count(), p.types.data()) == 1 &&
               PQsendQueryPrepared(conn_, name.c_str(), p.count(), p.values.data(), nullptr, nullptr, 0) == 1;
        commands.push_back(static_cast<int>(preparing.size()));
        preparing.push_back({sql.text, name});
      } else {
        sent = PQsendQueryParams(conn_, sql.text.c_str(), p.count(), p.types.data(), p.values.data(), nullptr, nullptr, 0) == 1;
      }
      if (!sent) {
        PQexitPipelineMode(conn_);
        fail(conn_, nullptr);
      }
      commands.push_back(-1);
    }
    if (PQpipelineSync(conn_) != 1) fail(conn_, nullptr);

    std::vector<ResultSet> out;
    PgResult failure;
    for (const int prepare : commands) {
      while (PGresult* raw = PQgetResult(conn_)) {
        PgResult r(raw);
        const auto status = PQresultStatus(r.get());
        const bool ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
        if (status == PGRES_FATAL_ERROR && !failure) failure = std::move(r);
        else if (prepare >= 0) preparing[static_cast<std::size_t>(prepare)].ok = ok;
        else if (ok) out.push_back(rows(r.get()));
      }
    }
    while (PGresult* raw = PQgetResult(conn_)) {  // up to and including the sync
      const bool sync = PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
      PQclear(raw);
      if (sync) break;
    }
    PQexitPipelineMode(conn_);
    for (auto& x : preparing)
      if (x.ok) prepared_.emplace(std::move(x.text), std::move(x.name));
    if (failure) fail(conn_, failure.get());
    return out;
  }

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
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn_, r.get());
  }

  void bulk_insert(const BulkTable& rows) override {
    std::string statement = fmt::format("COPY {} ({}) FROM STDIN", rows.table, fmt::join(rows.columns, ", "));
    PgResult start(PQexec(conn_, statement.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) fail(conn_, start.get());

    constexpr std::size_t kChunk = 1 << 20;
    std::string buffer;
    buffer.reserve(kChunk + 4096);
    const std::size_t width = rows.columns.size();
    for (std::size_t i = 0; i < rows.cells.size(); ++i) {
      append_copy_field(buffer, rows.cells[i]);
      buffer += (i % width == width - 1) ? '\n' : '\t';
      if (buffer.size() >= kChunk) send(buffer);
    }
    if (!buffer.empty()) send(buffer);
    if (PQputCopyEnd(conn_, nullptr) != 1) fail(conn_, nullptr);
    PgResult end(PQgetResult(conn_));
    const bool ok = end && PQresultStatus(end.get()) == PGRES_COMMAND_OK;
    // drain so the connection is ready for the next statement
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    if (!ok) fail(conn_, end.get());
  }

  bool healthy() const noexcept override { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  void send(std::string& buffer) {
    if (PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) fail(conn_, nullptr);
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

  static ResultSet rows(const PGresult* r) {
    ResultSet out;
    const int cols = PQnfields(r), count = PQntuples(r);
    out.columns.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) out.columns.emplace_back(PQfname(r, c));
    out.rows.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      auto& row = out.rows.emplace_back();
      row.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) row.push_back(cell(r, i, c));
    }
    return out;
  }

  // Names are never reused, even for a statement whose preparation failed.
  std::string next_name() { return "rt_" + std::to_string(++names_); }

  PgResult run(const Sql& sql) {
    Params p(sql);
    PgResult r(sql.reuse_plan ? execute_prepared(sql.text, p.count(), p.types.data(), p.values.data())
                              : PQexecParams(conn_, sql.text.c_str(), p.count(), p.types.data(), p.values.data(), nullptr, nullptr, 0));
    const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn_, r.get());
    return r;
  }

  // Builders emit a few dozen distinct texts, each run many times: preparing each once per connection
  // saves parsing and planning on every call (planning cost more than executing a page of results).
  // Past the cap, statements run unprepared rather than growing the server's memory without bound.
  PGresult* execute_prepared(const std::string& text, int n, const Oid* types, const char* const* values) {
    auto it = prepared_.find(text);
    if (it == prepared_.end()) {
      if (prepared_.size() >= kMaxPrepared) return PQexecParams(conn_, text.c_str(), n, types, values, nullptr, nullptr, 0);
      std::string name = next_name();
      PgResult prepared(PQprepare(conn_, name.c_str(), text.c_str(), n, types));
      if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(conn_, prepared.get());
      it = prepared_.emplace(text, std::move(name)).first;
    }
    return PQexecPrepared(conn_, it->second.c_str(), n, values, nullptr, nullptr, 0);
  }

  static constexpr std::size_t kMaxPrepared = 256;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> server-side name
  std::uint64_t names_ = 0;
};

}  // namespace

std::unique_ptr<Connection> make_postgresql_connection(soci::session& session) {
  return std::make_unique<PostgresqlConnection>(session);
}

}  // namespace racetiming::store
