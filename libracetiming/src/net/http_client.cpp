// Asynchronous operations driven to completion one at a time, so that the stream's timer bounds
// connect, handshake, write and read by a deadline (Beast's synchronous calls ignore it).
#include "net/http_client.hpp"

// The same Asio the daemon compiles (server/CMakeLists.txt sets this for racetimingd_core).
#ifndef BOOST_ASIO_NO_DEPRECATED
#define BOOST_ASIO_NO_DEPRECATED
#endif

#include <strings.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>

#include "racetiming/error.hpp"

namespace racetiming::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Endpoint {
  bool tls = false;
  std::string host;         // for the resolver, SNI and certificate checks (no IPv6 brackets)
  std::string host_header;  // host[:port] as written
  std::string port;
  std::string target;       // path and query
};

Endpoint parse_endpoint(const std::string& url) {
  auto bad = [](const char* why) { return Error(ErrorCode::invalid_parameter, why, "url"); };
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw bad("the URL is not a URL");
  const auto& u = *parsed;
  Endpoint e;
  if (u.scheme_id() == boost::urls::scheme::https) {
    e.tls = true;
  } else if (u.scheme_id() != boost::urls::scheme::http) {
    throw bad("the URL must be http:// or https://");
  }
  if (!u.has_authority() || u.encoded_host().empty()) throw bad("the URL has no host");
  e.host = u.host_address();
  e.host_header = u.encoded_host_and_port();
  e.port = u.has_port() ? std::string(u.port()) : (e.tls ? "443" : "80");
  e.target = u.encoded_target();
  if (e.target.empty()) e.target = "/";
  return e;
}

// Runs one step at a time against the deadline the stream's timer holds.
class Exchange {
 public:
  explicit Exchange(asio::io_context& ioc) : ioc_(ioc) {}

  // Starts one asynchronous operation and runs the context until it is done; the stream's timer
  // (expires_at) closes the socket at the deadline, which completes it with a timeout.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code ec;
    start([&ec](beast::error_code e, auto&&...) { ec = e; });
    ioc_.restart();
    ioc_.run();
    return ec;
  }
  template <class Start>
  void step(std::string_view what, Clock::time_point deadline, std::chrono::milliseconds limit, Start&& start) {
    check(what, deadline, limit, run(std::forward<Start>(start)));
  }
  static void check(std::string_view what, Clock::time_point deadline, std::chrono::milliseconds limit,
                    beast::error_code ec) {
    if (!ec) return;
    if (ec == beast::error::timeout || Clock::now() >= deadline)
      throw TransportError(TransportFailure::timeout, fmt::format("{}: no answer within {} ms", what, limit.count()));
    if (ec == asio::error::connection_refused)
      throw TransportError(TransportFailure::connection, fmt::format("{}: connection refused", what));
    if (ec.category() == asio::error::get_ssl_category() || ec == asio::ssl::error::stream_truncated)
      throw TransportError(TransportFailure::tls, fmt::format("{}: {}", what, ec.message()));
    if (ec.category() == http::make_error_code(http::error::bad_version).category())
      throw TransportError(TransportFailure::protocol, fmt::format("{}: {}", what, ec.message()));
    throw TransportError(TransportFailure::connection, fmt::format("{}: {}", what, ec.message()));
  }

 private:
  asio::io_context& ioc_;
};

template <class Stream>
HttpResponse round_trip(Exchange& x, Stream& stream, const http::request<http::string_body>& request,
                        const HttpOptions& options) {
  const auto deadline = Clock::now() + options.read_timeout;
  beast::get_lowest_layer(stream).expires_at(deadline);
  x.step("sending the request", deadline, options.read_timeout,
         [&](auto handler) { http::async_write(stream, request, std::move(handler)); });
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.body_limit);
  auto ec = x.run([&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
  // A body that ends with the connection: a TLS peer that closes without close_notify still ended it.
  if (ec == asio::ssl::error::stream_truncated && !parser.is_done()) {
    beast::error_code eof;
    parser.put_eof(eof);
    if (!eof) ec = {};
  }
  if (ec == http::error::body_limit)
    throw TransportError(TransportFailure::protocol,
                         options.body_limit % (1 << 20) == 0 ? fmt::format("the answer is larger than {} MiB", options.body_limit >> 20)
                                                             : fmt::format("the answer is larger than {} bytes", options.body_limit));
  Exchange::check("reading the answer", deadline, options.read_timeout, ec);
  auto message = parser.release();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) response.headers.emplace_back(field.name_string(), field.value());
  response.body = std::move(message.body());
  return response;
}

HttpResponse exchange(const Endpoint& endpoint, const http::request<http::string_body>& request, const HttpOptions& options) {
  asio::io_context ioc;
  Exchange x(ioc);
  const auto connect_deadline = Clock::now() + options.connect_timeout;
  tcp::resolver resolver(ioc);
  tcp::resolver::results_type addresses;
  // The resolver is not under the stream's timer: a name lookup is bounded by the system resolver.
  x.step("resolving " + endpoint.host, Clock::time_point::max(), options.connect_timeout, [&](auto handler) {
    resolver.async_resolve(endpoint.host, endpoint.port,
                           [&addresses, handler](beast::error_code ec, tcp::resolver::results_type r) mutable {
                             addresses = std::move(r);
                             handler(ec);
                           });
  });
  const std::string where = fmt::format("connecting to {}", endpoint.host_header);
  if (!endpoint.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_at(connect_deadline);
    x.step(where, connect_deadline, options.connect_timeout,
           [&](auto handler) { stream.async_connect(addresses, std::move(handler)); });
    auto response = round_trip(x, stream, request, options);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return response;
  }

  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  if (!options.ca_file.empty()) tls.load_verify_file(options.ca_file);
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  stream.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  // SNI names a host, never an address (RFC 6066).
  beast::error_code not_an_address;
  asio::ip::make_address(endpoint.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str()))
    throw TransportError(TransportFailure::tls, "cannot set the TLS server name");
  beast::get_lowest_layer(stream).expires_at(connect_deadline);
  x.step(where, connect_deadline, options.connect_timeout,
         [&](auto handler) { beast::get_lowest_layer(stream).async_connect(addresses, std::move(handler)); });
  x.step("TLS handshake", connect_deadline, options.connect_timeout,
         [&](auto handler) { stream.async_handshake(asio::ssl::stream_base::client, std::move(handler)); });
  // The whole answer is read: no TLS close_notify is awaited (many servers never send one).
  return round_trip(x, stream, request, options);
}

}  // namespace

std::string_view HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) return value;
  return {};
}

HttpResponse send(const HttpRequest& request, const HttpOptions& options) {
  const Endpoint endpoint = parse_endpoint(request.url);
  http::request<http::string_body> message{http::string_to_verb(request.method), endpoint.target, 11};
  message.set(http::field::host, endpoint.host_header);
  message.set(http::field::user_agent, "racetiming");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.keep_alive(false);
  if (!request.body.empty() || request.method != "GET") {
    message.body() = request.body;
    message.prepare_payload();
  }
  try {
    return exchange(endpoint, message, options);
  } catch (const TransportError&) {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {  // Asio's own (TLS context setup, a CA file that cannot be read)
    throw TransportError(TransportFailure::tls, e.what());
  }
}

std::string redacted(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "(not a URL)";
  return fmt::format("{}://{}{}", std::string_view(parsed->scheme()), std::string_view(parsed->encoded_host_and_port()),
                     std::string_view(parsed->encoded_path()));
}

}  // namespace racetiming::net
