#pragma once
// Internal: one outbound HTTP(S) exchange, shared by the language-model fallback and the provider syncs.
// Beast over Asio; TLS through OpenSSL with the peer's certificate and host name verified. Nothing here
// logs, and no error message carries the request's target, headers or body (they may hold credentials).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace racetiming::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The first header of that name (case-insensitive), "" when there is none.
  std::string_view header(std::string_view name) const;
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{5000};  // resolving aside: connect and TLS handshake
  std::chrono::milliseconds read_timeout{30000};    // sending the request and reading the whole answer
  std::uint64_t body_limit = 64ull << 20;
  std::string ca_file = {};  // trust these certificates (PEM) too; empty: the system's store alone
};

// Why an exchange failed, for a caller deciding whether to try again.
enum class TransportFailure { timeout, connection, tls, protocol };

class TransportError : public std::exception {
 public:
  TransportError(TransportFailure kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  TransportFailure kind() const noexcept { return kind_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  TransportFailure kind_;
  std::string message_;
};

// Sends the request on a connection of its own and returns whatever status the server answered.
// Throws Error(invalid_parameter, "url") for a URL that is not http(s), TransportError otherwise.
HttpResponse send(const HttpRequest& request, const HttpOptions& options = {});

// The URL without its query and user info: what may be shown of it.
std::string redacted(std::string_view url);

}  // namespace racetiming::net
