#pragma once
// Step 1 of every request: its id. A client's X-Request-ID is kept when it is short and plain; anything
// else (or none) gets a fresh one. Every answer carries it back, and every log line and problem names it.
#include <string>

#include "http/message.hpp"

namespace racetimingd::app {

std::string request_id_of(const http::Request& request);

}  // namespace racetimingd::app
