#include "racetiming/store/database.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "store/pool.hpp"

namespace racetiming::store::embedded {
extern const std::pair<std::string_view, std::string_view> kFiles[];
extern const int kFileCount;
}  // namespace racetiming::store::embedded

namespace racetiming {
namespace {

struct ParsedUrl {
  Dialect dialect;
  std::string connect_string;
  bool transaction_pooled = false;  // ?pooler=transaction: behind PgBouncer in transaction mode
};

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc{} && end == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// libpq keyword/value form of a postgresql:// URL. SOCI rewrites the connect string it is given, which
// breaks URLs, so it gets the keyword form: user, password, host, port, dbname and any ?key=value.
std::string postgres_conninfo(std::string_view url, bool& transaction_pooled) {
  url.remove_prefix(url.find("://") + 3);
  std::string out;
  auto add = [&](std::string_view key, std::string_view raw) {
    if (raw.empty()) return;
    std::string value = percent_decode(raw), quoted;
    for (char c : value) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += fmt::format("{}{}='{}'", out.empty() ? "" : " ", key, quoted);
  };
  std::string_view query;
  if (auto q = url.find('?'); q != std::string_view::npos) {
    query = url.substr(q + 1);
    url = url.substr(0, q);
  }
  std::string_view path;
  if (auto slash = url.find('/'); slash != std::string_view::npos) {
    path = url.substr(slash + 1);
    url = url.substr(0, slash);
  }
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = url.substr(0, at);
    url = url.substr(at + 1);
    auto colon = userinfo.find(':');
    add("user", userinfo.substr(0, colon));
    if (colon != std::string_view::npos) add("password", userinfo.substr(colon + 1));
  }
  std::string_view host = url, port;
  if (host.starts_with('[')) {  // [::1]:5432
    const auto close = host.find(']');
    port = close + 1 < host.size() && host[close + 1] == ':' ? host.substr(close + 2) : std::string_view{};
    host = host.substr(1, close - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  add("host", host);
  add("port", port);
  add("dbname", path);
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (pair.substr(0, eq) == "pooler") {  // ours, not libpq's
      if (pair.substr(eq + 1) != "transaction" && pair.substr(eq + 1) != "session")
        throw Error(ErrorCode::invalid_parameter, "pooler= is transaction (PgBouncer in transaction mode) or session", "db");
      transaction_pooled = pair.substr(eq + 1) == "transaction";
      continue;
    }
    add(pair.substr(0, eq), pair.substr(eq + 1));
  }
  return out;
}

ParsedUrl parse_url(std::string_view url) {
  auto strip = [&](std::string_view prefix) {
    if (!url.starts_with(prefix)) return false;
    url.remove_prefix(prefix.size());
    return true;
  };
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    bool pooled = false;
    std::string conninfo = postgres_conninfo(url, pooled);
    return {Dialect::postgresql, std::move(conninfo), pooled};
  }
  if (strip("sqlite://") || strip("sqlite:")) {
    if (url.empty()) throw Error(ErrorCode::invalid_parameter, "sqlite URL names no file", "db");
    return {Dialect::sqlite, fmt::format("db=\"{}\" timeout=5", url), false};
  }
  throw Error(ErrorCode::invalid_parameter,
              fmt::format("unsupported database URL '{}': use sqlite:PATH or postgresql://...", url), "db");
}

struct Migration {
  int version;
  std::string_view name;
  std::string_view script;
};

std::vector<Migration> migrations_for(Dialect dialect) {
  const std::string_view dir = dialect == Dialect::postgresql ? "postgresql/" : "sqlite/";
  std::vector<Migration> out;
  for (int i = 0; i < store::embedded::kFileCount; ++i) {
    auto [path, script] = store::embedded::kFiles[i];
    if (!path.starts_with(dir)) continue;
    std::string_view name = path.substr(dir.size());
    int version = 0;
    std::from_chars(name.data(), name.data() + name.size(), version);
    out.push_back({version, name, script});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return out;
}

constexpr std::string_view kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

}  // namespace

Database Database::open(std::string_view url, DatabaseOptions options) {
  ParsedUrl parsed = parse_url(url);
  return Database(std::make_shared<store::Pool>(parsed.dialect, std::move(parsed.connect_string), options.pool_size,
                                                options.acquire_timeout, parsed.transaction_pooled));
}

Dialect Database::dialect() const noexcept { return pool_->dialect(); }
std::size_t Database::pool_size() const noexcept { return pool_->size(); }
std::size_t Database::in_use() const noexcept { return pool_->in_use(); }

int Database::migrate() {
  // One transaction for the whole upgrade; on PostgreSQL an advisory lock serialises concurrent migrators.
  AdminSession session(*this);
  store::Connection& conn = detail::connection_of(session);
  if (dialect() == Dialect::postgresql) conn.execute_script("SELECT pg_advisory_xact_lock(7270001)");
  conn.execute_script(kMigrationsTable);
  std::set<std::int64_t> done;
  for (const auto& row : conn.query({"SELECT version FROM schema_migrations", {}}).rows)
    done.insert(as_int(row[0]).value_or(0));
  int applied = 0;
  for (const Migration& m : migrations_for(dialect())) {
    if (done.contains(m.version)) continue;
    conn.execute_script(m.script);
    SqlWriter insert(dialect());
    insert << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (";
    insert.bind(std::int64_t{m.version}) << ", ";
    insert.bind(std::string(m.name)) << ", " << now_expression(dialect()) << ")";
    conn.execute(insert.take());
    ++applied;
  }
  session.commit();
  return applied;
}

int Database::schema_version() {
  AdminSession session(*this);
  detail::connection_of(session).execute_script(kMigrationsTable);
  auto rows = session.query({"SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}});
  session.commit();
  return static_cast<int>(as_int(rows.rows.at(0).at(0)).value_or(0));
}

bool Database::ping() {
  try {
    store::Lease lease(*pool_);
    lease.connection().query({"SELECT 1", {}});
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace racetiming
