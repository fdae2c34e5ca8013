// HTTPS: the server over TLS with a certificate made for the test, checked by a real client (curl
// verifying it against the test's CA file): TLS 1.2 and 1.3 by default, 1.3 only when configured, plain
// HTTP on the TLS port answered with nothing, and a reload taking a new certificate for new connections
// while a bad one leaves the old in place. Then the daemon binary: HTTPS, and SIGHUP to reload.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "http/server.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using racetimingd::http::Request;
using racetimingd::http::Respond;
using racetimingd::http::Response;
using racetimingd::http::Server;
using racetimingd::http::ServerOptions;

namespace {

// A self-signed certificate for 127.0.0.1 named `cn`, written as cert.pem and key.pem in dir.
void make_certificate(const std::filesystem::path& dir, const std::string& cn) {
  const auto r = racetiming::test::run_command(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
       "-subj", "/CN=" + cn, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", (dir / "key.pem").string(), "-out",
       (dir / "cert.pem").string()});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

struct TlsServer {
  TlsServer(const std::filesystem::path& dir, std::string min_version = "1.2") {
    ServerOptions o;
    o.port = 0;
    o.read_timeout = 2s;
    o.tls_cert = (dir / "cert.pem").string();
    o.tls_key = (dir / "key.pem").string();
    o.tls_min_version = std::move(min_version);
    server = std::make_unique<Server>(o, [](Request r, Respond respond) {
      Response res;
      res.body = "hello " + r.target;
      respond(res);
    });
    server->start();
    port = server->port();
    thread = std::thread([this] { server->run(); });
  }
  ~TlsServer() {
    server->stop();
    thread.join();
  }
  std::unique_ptr<Server> server;
  std::thread thread;
  unsigned short port = 0;
};

// curl against the server, trusting only the certificate in `ca`; extra: more curl arguments.
racetiming::test::CommandResult curl(unsigned short port, const std::filesystem::path& ca, std::vector<std::string> extra = {},
                                     const std::string& scheme = "https") {
  std::vector<std::string> args{"curl", "-sS", "-v", "--max-time", "5", "--cacert", ca.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(scheme + "://127.0.0.1:" + std::to_string(port) + "/ping");
  return racetiming::test::run_command(args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(serves_https_and_reloads_its_certificate) {
  racetiming::test::TempDir dir, first_ca;
  make_certificate(dir.path(), "first");
  std::filesystem::copy_file(dir.path() / "cert.pem", first_ca.path() / "cert.pem");
  TlsServer s(dir.path());

  auto ok = curl(s.port, dir.path() / "cert.pem");
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(ok.out == "hello /ping");
  BOOST_TEST(ok.err.find("CN=first") != std::string::npos);
  BOOST_TEST(ok.err.find("TLSv1.3") != std::string::npos);
  auto old_tls = curl(s.port, dir.path() / "cert.pem", {"--tls-max", "1.2"});
  BOOST_TEST(old_tls.exit_code == 0, old_tls.err);  // 1.2 is allowed by default
  BOOST_TEST(curl(s.port, dir.path() / "cert.pem", {"--tls-max", "1.1", "--tlsv1.1"}).exit_code != 0);
  // plain HTTP on the TLS port gets no HTTP answer
  auto plain = curl(s.port, dir.path() / "cert.pem", {}, "http");
  BOOST_TEST(plain.exit_code != 0);
  BOOST_TEST(plain.out.empty());

  // a new certificate: new connections get it
  make_certificate(dir.path(), "second");
  s.server->reload_tls();
  auto reloaded = curl(s.port, dir.path() / "cert.pem");
  BOOST_TEST(reloaded.exit_code == 0, reloaded.err);
  BOOST_TEST(reloaded.err.find("CN=second") != std::string::npos);
  BOOST_TEST(curl(s.port, first_ca.path() / "cert.pem").exit_code != 0);  // the old one is not served any more

  // a broken file: refused, and the certificate in use stays
  { std::ofstream(dir.path() / "key.pem") << "not a key"; }
  BOOST_CHECK_THROW(s.server->reload_tls(), std::runtime_error);
  BOOST_TEST(curl(s.port, dir.path() / "cert.pem").exit_code == 0);
}

BOOST_AUTO_TEST_CASE(tls_1_3_only_when_configured) {
  racetiming::test::TempDir dir;
  make_certificate(dir.path(), "modern");
  TlsServer s(dir.path(), "1.3");
  BOOST_TEST(curl(s.port, dir.path() / "cert.pem").exit_code == 0);
  BOOST_TEST(curl(s.port, dir.path() / "cert.pem", {"--tls-max", "1.2"}).exit_code != 0);
}

BOOST_AUTO_TEST_CASE(missing_or_mismatched_files_stop_the_start) {
  racetiming::test::TempDir dir, other;
  make_certificate(dir.path(), "a");
  make_certificate(other.path(), "b");
  const auto start = [](std::string cert, std::string key) {
    ServerOptions o;
    o.port = 0;
    o.tls_cert = std::move(cert);
    o.tls_key = std::move(key);
    Server server(o, [](Request, Respond) {});
    server.start();
  };
  BOOST_CHECK_THROW(start((dir.path() / "cert.pem").string(), (other.path() / "key.pem").string()), std::runtime_error);
  BOOST_CHECK_THROW(start((dir.path() / "missing.pem").string(), (dir.path() / "key.pem").string()), std::runtime_error);
  BOOST_CHECK_THROW(start((dir.path() / "cert.pem").string(), ""), std::runtime_error);
}

// The daemon: --tls-cert/--tls-key serve HTTPS; SIGHUP reads the files again.
BOOST_AUTO_TEST_CASE(racetimingd_serves_https_and_reloads_on_sighup) {
  racetiming::test::TempDir dir;
  make_certificate(dir.path(), "daemon-one");
  const int port = racetiming::test::free_port();
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string db = dir.sqlite_url(), listen = "127.0.0.1:" + std::to_string(port), cert = (dir.path() / "cert.pem").string(),
                      key = (dir.path() / "key.pem").string();
    execl(RACETIMINGD_PATH, RACETIMINGD_PATH, "--db", db.c_str(), "--listen", listen.c_str(), "--tls-cert", cert.c_str(),
          "--tls-key", key.c_str(), "--quiet", nullptr);
    _exit(127);
  }
  const auto healthz = [&] {
    return racetiming::test::run_command({"curl", "-sS", "-v", "--max-time", "5", "--cacert", (dir.path() / "cert.pem").string(),
                                          "https://127.0.0.1:" + std::to_string(port) + "/healthz"});
  };
  bool served = false;
  for (int i = 0; i < 150 && !served; ++i) {
    std::this_thread::sleep_for(100ms);
    served = healthz().exit_code == 0;
  }
  BOOST_TEST(served);
  make_certificate(dir.path(), "daemon-two");
  kill(pid, SIGHUP);
  bool reloaded = false;
  for (int i = 0; i < 50 && !reloaded; ++i) {
    std::this_thread::sleep_for(100ms);
    const auto r = healthz();
    reloaded = r.exit_code == 0 && r.err.find("CN=daemon-two") != std::string::npos;
  }
  BOOST_TEST(reloaded);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
