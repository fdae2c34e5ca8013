#pragma once
// The daemon's own request and response: what handlers see, free of Beast types.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace racetimingd::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;
  // The connection's executor: a handler that waits on a socket of its own (the database's) without
  // blocking waits on this, and answers on the connection's I/O thread.
  boost::asio::any_io_executor executor;

  // First value of a header (case-insensitive name); empty when absent. A view into this request.
  std::string_view header(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after this response

  // Whether one of its own headers has this name (case-insensitive).
  bool has_header(std::string_view name) const;
};

// The standard reason phrase of a status ("Not Found").
std::string_view reason(unsigned status);

// A response's status line and header fields as HTTP/1.1 sends them, the blank line included: written
// straight into one string (Beast's fields cost a node per field, its serializer a walk over a buffer
// sequence per write). Server, Content-Type, the response's own headers, Content-Length (none where no
// body may follow: 1xx, 204, 304), and "Connection: close" when the connection closes after it.
std::string response_head(const Response& r, bool close);

// Handlers answer asynchronously: they may hand work to another thread and call `respond` from there,
// exactly once.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request, Respond)>;

}  // namespace racetimingd::http
