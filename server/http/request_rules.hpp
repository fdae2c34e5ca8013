#pragma once
// The framing and header rules a request must keep before it is handled (RFC 9110, RFC 9112). What they
// refuse is answered 400 and the connection closed, never guessed at: a proxy in front may have read
// the same bytes another way, and that difference is how requests are smuggled.
#include <optional>
#include <string>

#include <boost/beast/http/message.hpp>

namespace racetimingd::http {

// Why the header cannot be served, or nullopt when it can:
// - Transfer-Encoding: once, and exactly "chunked" (any other coding, or chunked not last, RFC 9112 6.3);
// - Content-Length: once, one decimal number ("47, 47" is a list), never beside Transfer-Encoding;
// - Host: exactly one on HTTP/1.1, at most one on HTTP/1.0;
// - X-API-Key, Authorization, X-Timing-Partner-ID: at most once each (which one would count?).
std::optional<std::string> header_problem(const boost::beast::http::request_header<>& header);

}  // namespace racetimingd::http
