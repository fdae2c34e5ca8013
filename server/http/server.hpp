#pragma once
// The HTTP/1.1 server (plain, or over TLS): Beast sessions on a few I/O threads, with the limits that keep it safe in front
// of the internet: a deadline on every read and write (a client that trickles bytes is cut), a header
// limit (431), a body limit checked before the body is read (413), and the request-smuggling shapes
// (Content-Length with Transfer-Encoding, repeated Content-Length) refused with 400 and a closed
// connection. stop() drains: no new connections, in-flight requests finish, then run() returns.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/signal_set.hpp>

#include "http/message.hpp"

namespace racetimingd::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see Server::port())
  unsigned io_threads = 2;
  std::uint32_t header_limit = 8 * 1024;
  std::uint64_t body_limit = 1024 * 1024;
  // A request's own limit (some routes take larger bodies); unset: body_limit for every request.
  std::function<std::uint64_t(std::string_view method, std::string_view target)> body_limit_for;
  // to read one whole request, waiting for it on a kept-alive connection included
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};  // to write one response
  std::chrono::milliseconds drain_timeout{10'000};  // stop(): how long in-flight requests may take
  // HTTPS when both are set: PEM files (the chain, then the key), read at start() and again by
  // reload_tls() (SIGHUP when run() handles signals). "1.2": TLS 1.2 and 1.3; "1.3": 1.3 only.
  std::string tls_cert = {}, tls_key = {};
  std::string tls_min_version = "1.2";
  // Told how a reload went: "" when the new certificate is in use, else why the old one stays.
  std::function<void(const std::string& error)> on_tls_reload = {};
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  // run() must have returned (or never been called) before the server is destroyed.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error when the address cannot be bound or the TLS files
  // cannot be used.
  void start();
  // Reads the TLS files again; new connections use them, open ones keep theirs. Throws
  // std::runtime_error (and the old certificate stays) when they cannot be used.
  void reload_tls();
  // The bound port (after start()).
  std::uint16_t port() const;
  // Serves until stop() (or SIGINT/SIGTERM when handle_signals) and the drain are done.
  void run(bool handle_signals = false);
  // Thread-safe: stop accepting, let in-flight requests finish (up to drain_timeout), then end run().
  void stop();
  // Requests being handled right now.
  std::size_t in_flight() const;

 private:
  void wait_for_reload(boost::asio::signal_set& signals);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace racetimingd::http
