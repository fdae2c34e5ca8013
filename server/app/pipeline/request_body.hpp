#pragma once
#include "app/router.hpp"
#include "http/message.hpp"

namespace racetimingd::app {

// A route that takes a JSON body takes it as application/json (a charset parameter aside): anything else
// is Error(unsupported_media_type), 415, before the body is looked at. A browser form (text/plain,
// urlencoded) cannot then pass for an API call.
void check_request_body(const http::Request& request, const Route& route);

}  // namespace racetimingd::app
