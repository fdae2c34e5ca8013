#pragma once
// gzip for answers worth compressing, when the client takes it (every browser does): a race-day results
// page of 30 KB goes out as about 4 KB. The body is compressed after the route answers and before the
// answer is kept, so a kept page is compressed once and served compressed from then on; the cache keys
// the two codings apart (ResponseCaching::tag), and so do their ETags, as RFC 9110 8.8.3 asks of two
// representations. Streams (text/event-stream), small bodies and answers already coded go out as they are.
#include "http/message.hpp"

namespace racetimingd::app {

struct ResponseCompression {
  // Bodies smaller than this gain less than the header costs (about one TCP segment).
  static constexpr std::size_t kMinimumBody = 1024;

  // Whether the client takes gzip (Accept-Encoding names gzip, x-gzip or *, with a q above 0).
  static bool accepts_gzip(const http::Request& request);

  // A 200 whose type is text-like gets "Vary: Accept-Encoding" (a cache in between must key by it);
  // its body is gzipped in place when `gzip` and the body is large enough.
  static void apply(bool gzip, http::Response& response);
};

}  // namespace racetimingd::app
