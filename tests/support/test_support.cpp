#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <stdexcept>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "racetiming/store/tenant_session.hpp"

#ifndef RACETIMING_SHARED_DIR
#error "RACETIMING_SHARED_DIR must be defined by the build"
#endif

namespace racetiming::test {
namespace fs = std::filesystem;

namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return fmt::format("{}-{}-{:x}", getpid(), counter++, rd());
}

fs::path postgres_bin() {
  const fs::path root = "/usr/lib/postgresql";
  fs::path best;
  if (fs::exists(root))
    for (const auto& entry : fs::directory_iterator(root))
      if (fs::exists(entry.path() / "bin" / "initdb") && entry.path() > best) best = entry.path();
  if (best.empty()) throw std::runtime_error("PostgreSQL server binaries not found under /usr/lib/postgresql (run scripts/setup)");
  return best / "bin";
}

// Prefix that runs a command as the postgres OS user when we are root (initdb and postgres refuse root).
std::vector<std::string> as_postgres(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

void check(const CommandResult& r, const std::string& what) {
  if (r.exit_code != 0) throw std::runtime_error(fmt::format("{} failed ({}): {}{}", what, r.exit_code, r.out, r.err));
}

}  // namespace

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("no free port");
  close(fd);
  return ntohs(addr.sin_port);
}

TempDir::TempDir() : path_(fs::temp_directory_path() / ("racetiming-test-" + unique_suffix())) {
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path shared_dir() { return fs::path(RACETIMING_SHARED_DIR); }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ThrowawayPostgres& ThrowawayPostgres::shared() {
  static ThrowawayPostgres cluster;
  return cluster;
}

ThrowawayPostgres::ThrowawayPostgres()
    : dir_(fs::temp_directory_path() / ("racetiming-pg-" + unique_suffix())), bin_(postgres_bin()), port_(free_port()) {
  fs::create_directories(dir_);
  if (geteuid() == 0) check(run_command({"chown", "postgres:postgres", dir_.string()}), "chown");
  const std::string data = (dir_ / "data").string();
  check(run_command(as_postgres({(bin_ / "initdb").string(), "-D", data, "-U", "postgres", "--auth=trust",
                                 "--no-sync", "-E", "UTF8", "--locale=C"})),
        "initdb");
  // fsync off: a throwaway cluster need not survive a crash, and tests run much faster without it
  options_ = fmt::format("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off "
                         "-c synchronous_commit=off -c full_page_writes=off",
                         port_, dir_.string());
  start();
  superuser_sql("postgres", "CREATE ROLE rt_owner LOGIN CREATEROLE CREATEDB");
}

std::unique_ptr<ThrowawayPostgres> ThrowawayPostgres::own() { return std::unique_ptr<ThrowawayPostgres>(new ThrowawayPostgres()); }

ThrowawayPostgres::ThrowawayPostgres(const ThrowawayPostgres& primary)
    : dir_(fs::temp_directory_path() / ("racetiming-pg-" + unique_suffix())), bin_(primary.bin_), port_(free_port()) {
  fs::create_directories(dir_);
  if (geteuid() == 0) check(run_command({"chown", "postgres:postgres", dir_.string()}), "chown");
  // -R writes standby.signal and primary_conninfo: the copy starts as a hot standby streaming from it
  check(run_command(as_postgres({(bin_ / "pg_basebackup").string(), "-h", "127.0.0.1", "-p", std::to_string(primary.port_), "-U",
                                 "postgres", "-D", (dir_ / "data").string(), "-R", "-X", "stream", "-c", "fast", "--no-sync"})),
        "pg_basebackup");
  options_ = fmt::format("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", port_, dir_.string());
  start();
}

std::unique_ptr<ThrowawayPostgres> ThrowawayPostgres::standby() const {
  return std::unique_ptr<ThrowawayPostgres>(new ThrowawayPostgres(*this));
}

void ThrowawayPostgres::start() {
  check(run_command(as_postgres({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-o", options_, "-l",
                                 (dir_ / "server.log").string(), "-w", "-t", "60", "start"})),
        "pg_ctl start");
}

void ThrowawayPostgres::stop() {
  check(run_command(as_postgres({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "fast", "-w", "stop"})),
        "pg_ctl stop");
}

ThrowawayPostgres::~ThrowawayPostgres() {
  run_command(as_postgres({(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "immediate", "-w", "stop"}));
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

ThrowawayRedis::ThrowawayRedis() : port_(free_port()) { start(); }

ThrowawayRedis::~ThrowawayRedis() { stop(); }

std::string ThrowawayRedis::url() const { return fmt::format("redis://127.0.0.1:{}", port_); }

void ThrowawayRedis::start() {
  if (running_) return;
  const std::string pidfile = (dir_.path() / "redis.pid").string();
  check(run_command({"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                     "no", "--dir", dir_.path().string(), "--daemonize", "yes", "--pidfile", pidfile, "--logfile",
                     (dir_.path() / "redis.log").string()}),
        "redis-server");
  for (int i = 0; i < 100; ++i) {  // up to 5 s for it to accept connections
    if (run_command({"redis-cli", "-p", std::to_string(port_), "ping"}).out.starts_with("PONG")) {
      running_ = true;
      return;
    }
    usleep(50'000);
  }
  throw std::runtime_error("redis-server did not start on port " + std::to_string(port_));
}

void ThrowawayRedis::stop() {
  if (!running_) return;
  run_command({"redis-cli", "-p", std::to_string(port_), "shutdown", "nosave"});
  for (int i = 0; i < 100; ++i) {
    if (!run_command({"redis-cli", "-p", std::to_string(port_), "ping"}).out.starts_with("PONG")) break;
    usleep(50'000);
  }
  running_ = false;
}

ThrowawayPgBouncer::ThrowawayPgBouncer(const std::string& database)
    : dir_(fs::temp_directory_path() / ("racetiming-pgbouncer-" + unique_suffix())), database_(database), port_(free_port()) {
  fs::create_directories(dir_);
  {
    std::ofstream ini(dir_ / "pgbouncer.ini");
    ini << "[databases]\n"
        << database_ << " = host=127.0.0.1 port=" << ThrowawayPostgres::shared().port() << " dbname=" << database_
        << " user=rt_owner pool_size=1\n"
        << "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " << port_ << "\nunix_socket_dir =\n"
        << "auth_type = trust\nauth_file = " << (dir_ / "users.txt").string() << "\npool_mode = transaction\n"
        << "default_pool_size = 1\nmax_client_conn = 100\nserver_reset_query =\nignore_startup_parameters = extra_float_digits\n"
        << "logfile = " << (dir_ / "pgbouncer.log").string() << "\npidfile = " << (dir_ / "pgbouncer.pid").string() << "\n";
    std::ofstream(dir_ / "users.txt") << "\"rt_owner\" \"\"\n";
  }
  if (geteuid() == 0) check(run_command({"chown", "-R", "postgres:postgres", dir_.string()}), "chown");
  check(run_command(as_postgres({"pgbouncer", "-d", (dir_ / "pgbouncer.ini").string()})), "pgbouncer");
  for (int i = 0; i < 100; ++i) {  // up to 5 s for its port to accept
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    const bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return;
    usleep(50'000);
  }
  throw std::runtime_error("pgbouncer did not start: " + read_file(dir_ / "pgbouncer.log"));
}

ThrowawayPgBouncer::~ThrowawayPgBouncer() {
  std::ifstream pidfile(dir_ / "pgbouncer.pid");
  int pid = 0;
  if (pidfile >> pid && pid > 0) kill(pid, SIGTERM);
  for (int i = 0; i < 100 && pid > 0 && kill(pid, 0) == 0; ++i) usleep(20'000);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string ThrowawayPgBouncer::url() const {
  return fmt::format("postgresql://rt_owner@127.0.0.1:{}/{}?pooler=transaction", port_, database_);
}

std::string ThrowawayPostgres::url(const std::string& user, const std::string& database) const {
  return fmt::format("postgresql://{}@127.0.0.1:{}/{}", user, port_, database);
}

void ThrowawayPostgres::superuser_sql(const std::string& database, const std::string& sql) const {
  superuser_query(database, sql);
}

std::string ThrowawayPostgres::superuser_query(const std::string& database, const std::string& sql) const {
  auto r = run_command({(bin_ / "psql").string(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                        std::to_string(port_), "-U", "postgres", "-d", database, "-c", sql});
  check(r, "psql");
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

std::string ThrowawayPostgres::create_database() {
  const std::string name = fmt::format("rt_test_{}", next_db_++);
  superuser_sql("postgres", fmt::format("CREATE DATABASE {} OWNER rt_owner", name));
  return url("rt_owner", name);
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input) {
  TempDir io;
  const fs::path in = io.path() / "in", out = io.path() / "out", err = io.path() / "err";
  { std::ofstream(in, std::ios::binary) << input; }
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fi = open(in.c_str(), O_RDONLY), fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600),
              fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fi, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

std::int64_t stale_finish_times(Database& db, std::int64_t partner_id) {
  TenantSession s(db, partner_id);
  const auto rows = s.query({"SELECT COUNT(*) FROM ct_participants p WHERE p.finish_time_ms IS DISTINCT FROM "
                             "(SELECT r.results_time_ms FROM ct_results r WHERE r.participant_id = p.participant_id "
                             "AND r.is_final)",
                             {}});
  return as_int(rows.rows.at(0).at(0)).value_or(-1);
}

ErrorCode error_code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  throw std::logic_error("expected a racetiming::Error, and none was thrown");
}

}  // namespace racetiming::test
