// The language-model fallback's one HTTP call: an OpenAI-compatible chat completion over Beast, plain or
// TLS. Asynchronous operations driven to completion one at a time, so that the stream's timer bounds
// connect, handshake, write and read by one deadline (Beast's synchronous calls ignore it). Nothing here
// logs, and no message carries the request, the URL's credentials or the API key.
#include "nl/llm_client.hpp"

// The same Asio the daemon compiles (server/CMakeLists.txt sets this for racetimingd_core).
#ifndef BOOST_ASIO_NO_DEPRECATED
#define BOOST_ASIO_NO_DEPRECATED
#endif

#include <cctype>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
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
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/error.hpp"

namespace racetiming::nl {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kBodyLimit = 1024 * 1024;

[[noreturn]] void fail(std::string_view what) {
  throw Error(ErrorCode::unavailable, fmt::format("language model: {}", what));
}

struct Endpoint {
  bool tls = false;
  std::string host;         // for the resolver, SNI and certificate checks (no IPv6 brackets)
  std::string host_header;  // host[:port] as written
  std::string port;
  std::string target;       // path and query
};

Endpoint parse_endpoint(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) fail("the endpoint URL is not a URL");
  const auto& u = *parsed;
  Endpoint e;
  if (u.scheme_id() == boost::urls::scheme::https) {
    e.tls = true;
  } else if (u.scheme_id() != boost::urls::scheme::http) {
    fail("the endpoint URL must be http:// or https://");
  }
  if (!u.has_authority() || u.encoded_host().empty()) fail("the endpoint URL has no host");
  e.host = u.host_address();
  e.host_header = u.encoded_host_and_port();
  e.port = u.has_port() ? std::string(u.port()) : (e.tls ? "443" : "80");
  e.target = u.encoded_target();
  if (e.target.empty()) e.target = "/";
  return e;
}

std::string request_body(const LlmFallback& config, std::string_view system_prompt, std::string_view question) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto string = [&w](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  auto message = [&](std::string_view role, std::string_view content) {
    w.StartObject();
    w.Key("role");
    string(role);
    w.Key("content");
    string(content);
    w.EndObject();
  };
  w.StartObject();
  w.Key("model");
  string(config.model);
  w.Key("messages");
  w.StartArray();
  message("system", system_prompt);
  message("user", question);
  w.EndArray();
  w.Key("temperature");
  w.Int(0);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

// Runs the call's steps one at a time against one deadline.
class Exchange {
 public:
  Exchange(asio::io_context& ioc, Clock::time_point deadline, std::chrono::milliseconds timeout)
      : ioc_(ioc), deadline_(deadline), timeout_(timeout) {}

  // Starts one asynchronous operation with a completion handler and runs the context until it is done;
  // the stream's timer (expires_at) closes the socket at the deadline, which completes it with a timeout.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code ec;
    start([&ec](beast::error_code e, auto&&...) { ec = e; });
    ioc_.restart();
    ioc_.run();
    return ec;
  }
  template <class Start>
  void step(std::string_view what, Start&& start) {
    check(what, run(std::forward<Start>(start)));
  }
  void check(std::string_view what, beast::error_code ec) const {
    if (!ec) return;
    if (ec == beast::error::timeout || Clock::now() >= deadline_) fail(fmt::format("no answer within {} ms", timeout_.count()));
    if (ec == http::error::body_limit) fail("the answer is larger than 1 MiB");
    if (ec == asio::error::connection_refused) fail(fmt::format("{}: connection refused", what));
    fail(fmt::format("{}: {}", what, ec.message()));
  }

  Clock::time_point deadline() const { return deadline_; }

 private:
  asio::io_context& ioc_;
  Clock::time_point deadline_;
  std::chrono::milliseconds timeout_;
};

// One request and its response over an established (and, for TLS, handshaken) stream.
template <class Stream>
http::response<http::string_body> round_trip(Exchange& x, Stream& stream, const http::request<http::string_body>& request) {
  beast::get_lowest_layer(stream).expires_at(x.deadline());
  x.step("sending the request", [&](auto handler) { http::async_write(stream, request, std::move(handler)); });
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  beast::get_lowest_layer(stream).expires_at(x.deadline());
  auto ec = x.run([&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
  // A body that ends with the connection: a TLS peer that closes without close_notify still ended it.
  if (ec == asio::ssl::error::stream_truncated && !parser.is_done()) {
    beast::error_code eof;
    parser.put_eof(eof);
    if (!eof) ec = {};
  }
  x.check("reading the answer", ec);
  return parser.release();
}

http::response<http::string_body> post(const LlmFallback& config, const Endpoint& endpoint, std::string body) {
  http::request<http::string_body> request{http::verb::post, endpoint.target, 11};
  request.set(http::field::host, endpoint.host_header);
  request.set(http::field::user_agent, "racetiming");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/json");
  if (!config.api_key.empty()) request.set(http::field::authorization, "Bearer " + config.api_key);
  request.keep_alive(false);
  request.body() = std::move(body);
  request.prepare_payload();

  const auto timeout = config.timeout.count() > 0 ? config.timeout : std::chrono::milliseconds{15000};
  asio::io_context ioc;
  Exchange x(ioc, Clock::now() + timeout, timeout);
  tcp::resolver resolver(ioc);
  tcp::resolver::results_type addresses;
  // The resolver is not under the stream's timer: a name lookup is bounded by the system resolver.
  x.step("resolving " + endpoint.host, [&](auto handler) {
    resolver.async_resolve(endpoint.host, endpoint.port, [&addresses, handler](beast::error_code ec, tcp::resolver::results_type r) mutable {
      addresses = std::move(r);
      handler(ec);
    });
  });
  const std::string where = fmt::format("connecting to {}", endpoint.host_header);

  if (!endpoint.tls) {
    beast::tcp_stream stream(ioc);
    stream.expires_at(x.deadline());
    x.step(where, [&](auto handler) { stream.async_connect(addresses, std::move(handler)); });
    auto response = round_trip(x, stream, request);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return response;
  }

  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  stream.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  // SNI names a host, never an address (RFC 6066).
  beast::error_code not_an_address;
  asio::ip::make_address(endpoint.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str()))
    fail("cannot set the TLS server name");
  beast::get_lowest_layer(stream).expires_at(x.deadline());
  x.step(where, [&](auto handler) { beast::get_lowest_layer(stream).async_connect(addresses, std::move(handler)); });
  beast::get_lowest_layer(stream).expires_at(x.deadline());
  x.step("TLS handshake", [&](auto handler) { stream.async_handshake(asio::ssl::stream_base::client, std::move(handler)); });
  // The whole answer is read: no TLS close_notify is awaited (many servers never send one).
  return round_trip(x, stream, request);
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

// The SQL in a model's message: the first ``` fenced block when there is one (its language tag dropped),
// else the whole text; surrounding space and one trailing semicolon removed.
std::string sql_from(std::string_view content) {
  std::string_view sql = content;
  if (const auto open = content.find("```"); open != std::string_view::npos) {
    sql = content.substr(open + 3);
    if (const auto close = sql.find("```"); close != std::string_view::npos) sql = sql.substr(0, close);
    if (const auto line_end = sql.find('\n'); line_end != std::string_view::npos) {
      sql = sql.substr(line_end + 1);  // the opening line holds at most a language tag
    } else if (sql.size() > 4 && (sql.substr(0, 3) == "sql" || sql.substr(0, 3) == "SQL") && std::isspace(static_cast<unsigned char>(sql[3]))) {
      sql = sql.substr(4);  // ```sql SELECT ...``` on one line
    }
  }
  sql = trim(sql);
  if (!sql.empty() && sql.back() == ';') sql = trim(sql.substr(0, sql.size() - 1));
  return std::string(sql);
}

std::string content_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) fail("the answer is not JSON");
  if (!doc.IsObject()) fail("the answer is not a chat completion");
  const auto choices = doc.FindMember("choices");
  if (choices == doc.MemberEnd() || !choices->value.IsArray() || choices->value.Empty())
    fail("the answer has no choices");
  const auto& first = choices->value[0];
  if (!first.IsObject()) fail("the answer has no message");
  const auto message = first.FindMember("message");
  if (message == first.MemberEnd() || !message->value.IsObject()) fail("the answer has no message");
  const auto content = message->value.FindMember("content");
  if (content == message->value.MemberEnd() || !content->value.IsString()) fail("the answer has no content");
  return {content->value.GetString(), content->value.GetStringLength()};
}

}  // namespace

std::string chat_completion_sql(const LlmFallback& config, std::string_view system_prompt, std::string_view question) {
  const Endpoint endpoint = parse_endpoint(config.url);
  http::response<http::string_body> response;
  try {
    response = post(config, endpoint, request_body(config, system_prompt, question));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {  // Asio's own (TLS context setup, ...)
    fail(e.what());
  }
  if (response.result() != http::status::ok)
    fail(fmt::format("the endpoint answered HTTP {} {}", response.result_int(), std::string_view(response.reason())));
  std::string sql = sql_from(content_of(response.body()));
  if (sql.empty()) fail("the answer holds no SQL");
  return sql;
}

}  // namespace racetiming::nl
