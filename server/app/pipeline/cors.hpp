#pragma once
// Cross-origin requests from the configured browser origins (OpenWebUI's, when its tool server or chat
// connection runs in the browser): a preflight (OPTIONS) from an allowed origin is answered here,
// before routing; every answer to an allowed origin names it in Access-Control-Allow-Origin. Requests
// from other origins get no CORS headers (the browser then blocks them); "*" allows any origin.
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace racetimingd::app {

class Cors {
 public:
  explicit Cors(std::vector<std::string> origins) : origins_(std::move(origins)) {}

  // The answer to a preflight from an allowed origin; nullopt for any other request.
  std::optional<http::Response> preflight(const http::Request& request) const;
  // respond, adding the allow-origin headers when the request's origin is allowed.
  http::Respond wrap(const http::Request& request, http::Respond respond) const;

 private:
  bool allowed(std::string_view origin) const;

  std::vector<std::string> origins_;
};

}  // namespace racetimingd::app
