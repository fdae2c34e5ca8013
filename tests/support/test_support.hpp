#pragma once
// Test helpers: temporary directories, the shared fixtures, a throwaway PostgreSQL cluster, running the CLI.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "racetiming/error.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming {
// So that Boost.Test can print what it compares.
inline std::ostream& boost_test_print_type(std::ostream& o, ErrorCode c) { return o << to_string(c); }
}  // namespace racetiming
namespace std {
inline std::ostream& boost_test_print_type(std::ostream& o, const std::optional<std::int64_t>& v) {
  return v ? o << *v : o << "nullopt";
}
}  // namespace std

namespace racetiming {
class Database;
}

namespace racetiming::test {

// A fresh directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string sqlite_url(const std::string& name = "test.db") const { return "sqlite:" + (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A loopback port nothing listens on now (the system's choice), for a server a test starts.
int free_port();

// ../shared, beside the checkout.
std::filesystem::path shared_dir();
std::string read_file(const std::filesystem::path& path);

// A PostgreSQL 15 cluster made for this test run: initdb in a temporary directory (as the unprivileged
// `postgres` user when run as root, since initdb refuses root), started on a free loopback port, stopped
// and removed at exit. Databases are owned by `rt_owner`, a role that is no superuser, as in production.
class ThrowawayPostgres {
 public:
  // The cluster of this process, started on first use.
  static ThrowawayPostgres& shared();
  // A cluster of the caller's own (for a test that stops and starts it).
  static std::unique_ptr<ThrowawayPostgres> own();
  ~ThrowawayPostgres();
  // A streaming replica of this cluster (pg_basebackup, hot standby) on a port of its own; it must be
  // destroyed before this one. Its URLs name the same roles and databases.
  std::unique_ptr<ThrowawayPostgres> standby() const;
  // Stops the server (fast shutdown: connections are cut) and starts it again on the same port.
  void stop();
  void start();

  // Creates an empty database owned by rt_owner and returns its URL (connecting as rt_owner).
  std::string create_database();
  // URL for an arbitrary role and database of this cluster.
  std::string url(const std::string& user, const std::string& database) const;
  // Runs SQL as the bootstrap superuser through psql; throws on failure. superuser_query returns what it
  // printed (unaligned, tuples only, trailing newline dropped).
  void superuser_sql(const std::string& database, const std::string& sql) const;
  std::string superuser_query(const std::string& database, const std::string& sql) const;
  int port() const { return port_; }

 private:
  ThrowawayPostgres();
  explicit ThrowawayPostgres(const ThrowawayPostgres& primary);  // standby()
  std::string options_;
  std::filesystem::path dir_;
  std::filesystem::path bin_;
  int port_ = 0;
  int next_db_ = 0;
};

// A Redis server of its own: redis-server on a free loopback port, no persistence, in a temporary
// directory; stopped (and the directory removed) on destruction. stop() and start() again on the same
// port let a test take Redis away and bring it back.
class ThrowawayRedis {
 public:
  ThrowawayRedis();
  ~ThrowawayRedis();
  ThrowawayRedis(const ThrowawayRedis&) = delete;
  ThrowawayRedis& operator=(const ThrowawayRedis&) = delete;
  std::string url() const;
  int port() const { return port_; }
  void start();
  void stop();

 private:
  TempDir dir_;
  int port_ = 0;
  bool running_ = false;
};

// PgBouncer in front of the process's throwaway PostgreSQL, in transaction mode with one server
// connection per database (so every client connection shares it, transaction by transaction): what a
// deployment's pooler does at its most extreme. Stopped on destruction.
class ThrowawayPgBouncer {
 public:
  explicit ThrowawayPgBouncer(const std::string& database);
  ~ThrowawayPgBouncer();
  ThrowawayPgBouncer(const ThrowawayPgBouncer&) = delete;
  ThrowawayPgBouncer& operator=(const ThrowawayPgBouncer&) = delete;
  // The database through PgBouncer, as rt_owner, with the library's pooler=transaction.
  std::string url() const;

 private:
  std::filesystem::path dir_;
  std::string database_;
  int port_ = 0;
};

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs a program with arguments (no shell), optional standard input; captures its output.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = {});

// The code of the racetiming::Error that f throws; throws std::logic_error (a failed test) when f
// throws none.
ErrorCode error_code_of(const std::function<void()>& f);

// The partner's entries whose finish_time_ms is not their final reading's chip time (0 when every write
// path kept the copy).
std::int64_t stale_finish_times(Database& db, std::int64_t partner_id);

}  // namespace racetiming::test
