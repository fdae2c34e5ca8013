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
};

// Handlers answer asynchronously: they may hand work to another thread and call `respond` from there,
// exactly once.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request, Respond)>;

}  // namespace racetimingd::http
