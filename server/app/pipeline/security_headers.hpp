#pragma once
#include "http/message.hpp"

namespace racetimingd::app {

// respond, adding what every answer carries: X-Content-Type-Options: nosniff; Cache-Control: no-store on
// an answer to a request that carried a credential (unless the route set its own); and on /docs, the
// Swagger UI's pages, a Content-Security-Policy that lets only this server's scripts run, and no framing.
http::Respond with_security_headers(const http::Request& request, http::Respond respond);

}  // namespace racetimingd::app
