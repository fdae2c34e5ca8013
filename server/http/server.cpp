#include "http/server.hpp"

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/problem.hpp"
#include "http/request_rules.hpp"

namespace racetimingd::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr auto kLingerTime = std::chrono::seconds(1);
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A server context from PEM files: TLS 1.3 only, or 1.2 and up; no compression, no renegotiation.
std::shared_ptr<net::ssl::context> tls_context(const ServerOptions& o) {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3 |
                   net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use |
                   net::ssl::context::no_compression);
  if (o.tls_min_version == "1.3") ctx->set_options(net::ssl::context::no_tlsv1_2);
  else if (o.tls_min_version != "1.2") throw std::runtime_error("the lowest TLS version is 1.2 or 1.3");
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_RENEGOTIATION);
  beast::error_code ec;
  ctx->use_certificate_chain_file(o.tls_cert, ec);
  if (ec) throw std::runtime_error("cannot read the TLS certificate '" + o.tls_cert + "': " + ec.message());
  ctx->use_private_key_file(o.tls_key, net::ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot read the TLS key '" + o.tls_key + "': " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    throw std::runtime_error("the TLS key does not match the certificate");
  return ctx;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)), contexts(make_contexts(options)), acceptor(ioc()) {}

  struct SessionBase {
    virtual ~SessionBase() = default;
    virtual void close_if_idle() = 0;  // from stop(): an idle connection closes now, a busy one after its response
  };
  template <class Stream>
  class Session;

  void accept();
  // The context new connections use: replaced whole by reload_tls(), so a connection keeps the one it
  // started with.
  std::shared_ptr<net::ssl::context> current_tls() {
    std::lock_guard lock(tls_mutex);
    return tls;
  }
  // One reactor per I/O thread, each connection on one of them in turn: a connection's handlers then run
  // one at a time on one thread without a strand, and the threads share no queue or lock (a shared
  // io_context with a strand per connection spent a tenth of the daemon's time locking and in strand
  // bookkeeping on a cached page).
  static std::vector<std::unique_ptr<net::io_context>> make_contexts(const ServerOptions& o) {
    std::vector<std::unique_ptr<net::io_context>> v;
    for (unsigned i = 0; i < std::max(1u, o.io_threads); ++i) v.push_back(std::make_unique<net::io_context>(1));
    return v;
  }
  // The first reactor also runs the acceptor, the signals and the drain at stop.
  net::io_context& ioc() { return *contexts.front(); }
  net::any_io_executor connection_executor() { return contexts[next_context++ % contexts.size()]->get_executor(); }
  void stop_all() {
    for (auto& c : contexts) c->stop();
  }
  void begin_stop();
  void wait_for_drain(std::chrono::steady_clock::time_point deadline);

  ServerOptions options;
  Handler handler;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::size_t next_context = 0;  // the acceptor's: used on the first reactor only
  tcp::acceptor acceptor;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<SessionBase>> sessions;
  std::mutex tls_mutex;
  std::shared_ptr<net::ssl::context> tls;  // null: plain HTTP
  std::optional<net::steady_timer> drain_timer;
};

// One connection: read a request (header first, so limits apply before the body), hand it to the
// handler, write the response, repeat while keep-alive holds. Stream: beast::tcp_stream, or TlsStream
// over one (the handshake first, under the read timeout; a close_notify last).
template <class Stream>
class Server::Impl::Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(tcp::socket socket, Impl* server, std::shared_ptr<net::ssl::context> tls = {})
      : tls_(std::move(tls)), stream_(make_stream(std::move(socket))), server_(server) {
    beast::error_code ec;
    auto endpoint = tcp_socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        beast::get_lowest_layer(self->stream_).expires_after(self->server_->options.read_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->close();  // not TLS, an old version, a timeout: nothing to answer
          self->read_header();
        });
      } else {
        self->read_header();
      }
    });
  }

  void close_if_idle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  Stream make_stream(tcp::socket socket) {
    if constexpr (kTls) return Stream(beast::tcp_stream(std::move(socket)), *tls_);
    else return Stream(std::move(socket));
  }
  tcp::socket& tcp_socket() { return beast::get_lowest_layer(stream_).socket(); }
  void expires_after(std::chrono::milliseconds t) { beast::get_lowest_layer(stream_).expires_after(t); }

  void read_header() {
    if (server_->stopping) return close();
    header_parser_.emplace();
    header_parser_->header_limit(server_->options.header_limit);
    header_parser_->body_limit(boost::none);  // checked per route once the header is in
    expires_after(server_->options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *header_parser_,
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::bad_descriptor)
      return close();
    if (ec == bhttp::error::header_limit)
      return reject(431, "header_too_large", "request header fields are larger than 8 KiB");
    if (ec) return reject(400, "bad_request", "malformed request: " + ec.message());
    const auto& header = header_parser_->get();
    if (auto problem = header_problem(header)) return reject(400, "bad_request", *problem);
    const auto& options = server_->options;
    const std::uint64_t limit =
        options.body_limit_for ? options.body_limit_for(header.method_string(), header.target()) : options.body_limit;
    // a declared length is refused before a byte of the body is read
    if (auto length = header_parser_->content_length(); length && *length > limit)
      return reject(413, "payload_too_large", "request body is larger than " + std::to_string(limit) + " bytes");
    busy_ = true;
    ++server_->in_flight;
    // no body to wait for (a GET): served now, not after another trip through the reactor
    if (header_parser_->is_done()) return serve(header_parser_->release());
    body_parser_.emplace(std::move(*header_parser_));
    body_parser_->body_limit(limit);
    bhttp::async_read(stream_, buffer_, *body_parser_,
                      [self = this->shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return finish_with(413, "payload_too_large", "request body is too large");
    if (ec == beast::error::timeout || ec == net::error::connection_reset || ec == bhttp::error::end_of_stream) {
      --server_->in_flight;
      busy_ = false;
      return close();
    }
    if (ec) return finish_with(400, "bad_request", "malformed request body: " + ec.message());
    serve(body_parser_->release());
  }

  template <class Body>
  void serve(bhttp::request<Body> message) {
    keep_alive_ = message.keep_alive();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(8);
    for (const auto& field : message) request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    if constexpr (std::is_same_v<Body, bhttp::string_body>) request.body = std::move(message.body());
    request.remote_address = remote_;
    request.executor = stream_.get_executor();
    beast::get_lowest_layer(stream_).expires_never();  // the handler's time is its own business (database deadlines)
    // dispatch: an answer made on this connection's own thread (an inline read) is written at once, without
    // a trip through the queue that another I/O thread could pick it up from
    server_->handler(std::move(request), [self = this->shared_from_this()](Response response) {
      net::dispatch(self->stream_.get_executor(),
                    [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    });
  }

  // An error found while reading a request that was already counted in flight.
  void finish_with(unsigned status, std::string_view code, std::string detail) {
    auto r = problem(status, code, detail, new_request_id());
    r.close = true;
    write(std::move(r));
  }

  // An error found before the request counted: answer and close without reading further.
  void reject(unsigned status, std::string_view code, std::string detail) {
    busy_ = true;
    ++server_->in_flight;
    finish_with(status, code, std::move(detail));
  }

  void write(Response r) {
    const bool close_after = r.close || !keep_alive_ || server_->stopping;
    // head and body live until the write completes
    auto out = std::make_shared<std::pair<std::string, std::string>>(response_head(r, close_after), std::move(r.body));
    const std::array<net::const_buffer, 2> buffers{net::buffer(out->first), net::buffer(out->second)};
    expires_after(server_->options.write_timeout);
    net::async_write(stream_, buffers, [self = this->shared_from_this(), out, close_after](beast::error_code ec, std::size_t) {
      --self->server_->in_flight;
      self->busy_ = false;
      if (ec || close_after) return self->linger_close();
      self->read_header();
    });
  }

  // Shut our side, then read and drop what the client still sends for a moment, so that it sees the
  // response instead of a reset (the body of a refused request may still be on its way).
  // With TLS: close_notify (under the linger time), then the TCP close.
  void linger_close() {
    if constexpr (kTls) {
      expires_after(kLingerTime);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
      return;
    }
    beast::error_code ec;
    tcp_socket().shutdown(tcp::socket::shutdown_send, ec);
    expires_after(kLingerTime);
    drain_buffer_.resize(16 * 1024);
    linger_read();
  }
  void linger_read() {
    beast::get_lowest_layer(stream_).async_read_some(net::buffer(drain_buffer_),
                                                     [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                                                       if (e) return self->close();
                                                       self->linger_read();
                                                     });
  }

  void close() {
    beast::error_code ec;
    tcp_socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp_socket().close(ec);
  }

  std::shared_ptr<net::ssl::context> tls_;  // first: the stream refers to it
  Stream stream_;
  Impl* server_;  // outlives every session: its io_context destroys them
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_parser_;
  std::vector<char> drain_buffer_;
  std::string remote_;
  bool keep_alive_ = true;
  bool busy_ = false;
};

void Server::Impl::accept() {
  acceptor.async_accept(connection_executor(), [self = this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || self->stopping) return;
      return self->accept();  // a failed accept (out of descriptors, a reset) must not stop the server
    }
    const auto keep = [self](std::shared_ptr<SessionBase> session) {
      std::lock_guard lock(self->sessions_mutex);
      std::erase_if(self->sessions, [](const auto& w) { return w.expired(); });
      self->sessions.push_back(std::move(session));
    };
    if (auto context = self->current_tls()) {
      auto session = std::make_shared<Session<TlsStream>>(std::move(socket), self, std::move(context));
      keep(session);
      session->start();
    } else {
      auto session = std::make_shared<Session<beast::tcp_stream>>(std::move(socket), self);
      keep(session);
      session->start();
    }
    self->accept();
  });
}

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& weak : sessions)
      if (auto s = weak.lock()) s->close_if_idle();
  }
  drain_timer.emplace(ioc());
  wait_for_drain(std::chrono::steady_clock::now() + options.drain_timeout);
}

void Server::Impl::wait_for_drain(std::chrono::steady_clock::time_point deadline) {
  if (in_flight == 0 || std::chrono::steady_clock::now() >= deadline) {
    stop_all();
    return;
  }
  drain_timer->expires_after(std::chrono::milliseconds(20));
  drain_timer->async_wait([self = this, deadline](beast::error_code) { self->wait_for_drain(deadline); });
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  impl_->stop_all();
}

void Server::reload_tls() {
  auto fresh = tls_context(impl_->options);
  std::lock_guard lock(impl_->tls_mutex);
  impl_->tls = std::move(fresh);
}

void Server::start() {
  if (!impl_->options.tls_cert.empty() || !impl_->options.tls_key.empty()) {
    if (impl_->options.tls_cert.empty() || impl_->options.tls_key.empty())
      throw std::runtime_error("TLS needs both a certificate and a key");
    reload_tls();
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) throw std::runtime_error("bad listen address '" + impl_->options.address + "'");
  tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->options.address + ":" + std::to_string(impl_->options.port) +
                             ": " + ec.message());
  impl_->accept();
}

std::uint16_t Server::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void Server::run(bool handle_signals) {
  std::optional<net::signal_set> signals, reload;
  if (handle_signals) {
    signals.emplace(impl_->ioc(), SIGINT, SIGTERM);
    signals->async_wait([impl = impl_.get()](beast::error_code ec, int) {
      if (!ec) impl->begin_stop();
    });
    if (impl_->current_tls()) {
      reload.emplace(impl_->ioc(), SIGHUP);
      wait_for_reload(*reload);
    }
  }
  std::vector<std::thread> threads;
  // the other reactors have nothing to wait on before the first connection: keep them running till stop
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
    work.push_back(net::make_work_guard(*impl_->contexts[i]));
    threads.emplace_back([context = impl_->contexts[i].get()] { context->run(); });
  }
  impl_->ioc().run();
  for (auto& t : threads) t.join();
}

void Server::wait_for_reload(boost::asio::signal_set& signals) {
  signals.async_wait([this, &signals](beast::error_code ec, int) {
    if (ec) return;
    std::string error;
    try {
      reload_tls();
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (impl_->options.on_tls_reload) impl_->options.on_tls_reload(error);
    wait_for_reload(signals);
  });
}

void Server::stop() {
  net::post(impl_->ioc(), [impl = impl_.get()] { impl->begin_stop(); });
}

std::size_t Server::in_flight() const { return impl_->in_flight; }

}  // namespace racetimingd::http
