#pragma once
// Answers of cacheable routes, kept under the partner's data version (moved by every write, import and
// sync, so an answer is never served after its data changed): a hit costs no database round trip, and
// a client that already holds the answer (If-None-Match naming its ETag) gets 304 without a body. Every
// cacheable answer carries its ETag and "Cache-Control: private, no-cache" (a browser may keep it but
// must ask again; a shared cache must not keep it at all). With no store, ETags and 304s still work.
#include <memory>
#include <optional>
#include <string>

#include "app/router.hpp"
#include "http/message.hpp"
#include "racetiming/cache/response_cache.hpp"

namespace racetimingd::app {

class ResponseCaching {
 public:
  explicit ResponseCaching(std::shared_ptr<racetiming::cache::ResponseCache> store) : store_(std::move(store)) {}

  // Whether lookups and stores may wait on a network: they are then made on a worker.
  bool remote() const { return store_ && store_->remote(); }

  // The entity tag of a call at the partner's data version, from everything the answer depends on:
  // partner, version, method, path, the query (sorted), Accept, the coding (gzip, as
  // ResponseCompression::accepts_gzip says, or none), and for a question its body and today's date (its
  // "last year" moves with the date). It is also the key the answer is stored under.
  static std::string tag(const Call& call, std::int64_t version, bool gzip);

  // The answer without running the route: 304 when the client holds it, else the stored one; nullopt
  // when the route must run.
  std::optional<http::Response> lookup(const http::Request& request, const std::string& tag) const;
  // After the route ran: a 200 gets its ETag and Cache-Control, and is stored.
  void keep(const std::string& tag, http::Response& response) const;

 private:
  std::shared_ptr<racetiming::cache::ResponseCache> store_;
};

}  // namespace racetimingd::app
