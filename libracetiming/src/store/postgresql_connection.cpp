// libpq-backed Connection. Parameters go out as text with an explicit type for numbers (so `$1 IS NULL`
// and comparisons infer correctly) and results come back as text, converted by column type.
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

  ResultSet query(const Sql& sql) override {
    PgResult r = run(sql);
    ResultSet out;
    const int cols = PQnfields(r.get()), rows = PQntuples(r.get());
    out.columns.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) out.columns.emplace_back(PQfname(r.get(), c));
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      auto& row = out.rows.emplace_back();
      row.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) row.push_back(cell(r.get(), i, c));
    }
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

  PgResult run(const Sql& sql) {
    const std::size_t n = sql.params.size();
    std::vector<std::string> storage(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<Oid> types(n, 0);  // 0: let the server infer text-like values (dates compare as dates)
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = sql.params[i];
      if (is_null(v)) continue;
      if (const auto* iv = std::get_if<std::int64_t>(&v)) {
        storage[i] = std::to_string(*iv);
        types[i] = kInt8Oid;
      } else if (const auto* dv = std::get_if<double>(&v)) {
        storage[i] = fmt::format("{}", *dv);
        types[i] = kFloat8Oid;
      } else {
        storage[i] = std::get<std::string>(v);
      }
      values[i] = storage[i].c_str();
    }
    PgResult r(execute_prepared(sql.text, static_cast<int>(n), types.data(), values.data()));
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
      std::string name = "rt_" + std::to_string(prepared_.size() + 1);
      PgResult prepared(PQprepare(conn_, name.c_str(), text.c_str(), n, types));
      if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(conn_, prepared.get());
      it = prepared_.emplace(text, std::move(name)).first;
    }
    return PQexecPrepared(conn_, it->second.c_str(), n, values, nullptr, nullptr, 0);
  }

  static constexpr std::size_t kMaxPrepared = 256;
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> server-side name
};

}  // namespace

std::unique_ptr<Connection> make_postgresql_connection(soci::session& session) {
  return std::make_unique<PostgresqlConnection>(session);
}

}  // namespace racetiming::store
