#pragma once
// Rate limits, around authentication: before it, a client address or key prefix that failed to
// authenticate too often is refused (and a public route with a class, the token exchange and the
// login, spends from the address's quota); after it, the partner's route class spends from the
// partner's quota. A refusal is limits::RateLimited (429, by the problem writer); an allowed request's
// answer carries the RateLimit-Policy and RateLimit fields of the quota it spent from.
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/router.hpp"
#include "http/message.hpp"
#include "racetiming/limits/rate_limiter.hpp"

namespace racetimingd::app {

struct RateLimitingOptions {
  std::shared_ptr<racetiming::limits::RateLimiter> limiter = {};  // null: no limits at all
  racetiming::limits::RatePolicy policy = racetiming::limits::RatePolicy::defaults();
  // Peers whose X-Forwarded-For is believed: addresses ("10.0.0.5") or networks ("10.0.0.0/8").
  std::vector<std::string> trusted_proxies = {};
};

// The quota a request spent from: what its answer's RateLimit fields say.
struct SpentQuota {
  std::string policy;  // the route class
  racetiming::limits::RateDecision decision;
};

class RateLimiting {
 public:
  explicit RateLimiting(RateLimitingOptions options);

  bool enabled() const { return options_.limiter != nullptr; }
  // Whether decisions may wait on a network (Redis): they are then made on a worker, not an I/O thread.
  bool remote() const { return options_.limiter && options_.limiter->remote(); }

  // The client's address: the peer's, or, when the peer is a trusted proxy, the nearest untrusted
  // address of X-Forwarded-For (read from the right, as each proxy appends the one it saw).
  std::string client_address(const http::Request& request) const;

  // Before the credential is checked. Throws RateLimited.
  std::optional<SpentQuota> before_authentication(const http::Request& request, const Route& route,
                                                  const std::string& client) const;
  // Once the partner is known. Throws RateLimited.
  std::optional<SpentQuota> for_partner(const Route& route, std::int64_t partner_id) const;
  // The credential was refused: spends from the client address's and the key prefix's failure quotas.
  void authentication_failed(const http::Request& request, const std::string& client) const;

  // RateLimit-Policy and RateLimit on an answer; on a 429 also Retry-After.
  static void add_headers(http::Response& response, const SpentQuota& quota);

 private:
  // The class a route spends from: its own, else "reads" or "writes" by method for routes that need a
  // credential; public routes without one are not limited (health checks must always answer).
  static std::string_view route_class(const Route& route);

  RateLimitingOptions options_;
  std::vector<boost::asio::ip::network_v4> trusted_v4_;
  std::vector<boost::asio::ip::network_v6> trusted_v6_;
};

}  // namespace racetimingd::app
