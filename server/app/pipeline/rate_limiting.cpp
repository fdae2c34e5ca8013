#include "app/pipeline/rate_limiting.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include "http/header_values.hpp"

namespace racetimingd::app {

namespace asio_ip = boost::asio::ip;
using racetiming::Error;
using racetiming::ErrorCode;
using racetiming::limits::RateCheck;
using racetiming::limits::RateLimited;

namespace {

constexpr std::string_view kFailures = "auth-failures";

// "rt_<12 hex>" of an API key: the part that names the key without proving it.
std::string_view key_prefix(const http::Request& request) {
  std::string_view key = request.header("X-API-Key");
  if (key.empty()) {
    const std::string_view authorization = request.header("Authorization");
    if (authorization.starts_with("Bearer rt_")) key = authorization.substr(7);
  }
  if (!key.starts_with("rt_") || key.size() < 15) return {};
  return key.substr(0, 15);
}

SpentQuota spend_or_throw(std::string policy, const racetiming::limits::RateDecision& d) {
  if (!d.allowed) throw RateLimited(std::move(policy), d);
  return SpentQuota{std::move(policy), d};
}

}  // namespace

RateLimiting::RateLimiting(RateLimitingOptions options) : options_(std::move(options)) {
  for (const auto& proxy : options_.trusted_proxies) {
    const auto slash = proxy.find('/');
    boost::system::error_code ec;
    const auto address = asio_ip::make_address(proxy.substr(0, slash), ec);
    if (ec) throw Error(ErrorCode::invalid_parameter, "a trusted proxy is an address or a network (10.0.0.0/8)", "trusted_proxy");
    const int bits = slash == std::string::npos ? (address.is_v4() ? 32 : 128) : std::atoi(proxy.c_str() + slash + 1);
    if (bits < 0 || bits > (address.is_v4() ? 32 : 128))
      throw Error(ErrorCode::invalid_parameter, "a trusted proxy's prefix length is out of range", "trusted_proxy");
    if (address.is_v4()) trusted_v4_.push_back(asio_ip::make_network_v4(address.to_v4(), static_cast<unsigned short>(bits)).canonical());
    else trusted_v6_.push_back(asio_ip::make_network_v6(address.to_v6(), static_cast<unsigned short>(bits)).canonical());
  }
}

std::string RateLimiting::client_address(const http::Request& request) const {
  const auto trusted = [this](std::string_view text) {
    boost::system::error_code ec;
    const auto address = asio_ip::make_address(std::string(text), ec);
    if (ec) return false;
    if (address.is_v4()) {
      for (const auto& n : trusted_v4_)
        if (asio_ip::make_network_v4(address.to_v4(), n.prefix_length()).canonical() == n) return true;
    } else {
      for (const auto& n : trusted_v6_)
        if (asio_ip::make_network_v6(address.to_v6(), n.prefix_length()).canonical() == n) return true;
    }
    return false;
  };
  if ((trusted_v4_.empty() && trusted_v6_.empty()) || !trusted(request.remote_address)) return request.remote_address;
  std::string client = request.remote_address;
  // Every X-Forwarded-For field, in order, as one list; the rightmost untrusted entry is the client.
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers) {
    if (name.size() != 15 || strncasecmp(name.c_str(), "X-Forwarded-For", 15) != 0) continue;
    http::for_each_element(value, ',', [&](std::string_view hop) {
      while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
      while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
      hops.push_back(hop);
    });
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    boost::system::error_code ec;
    asio_ip::make_address(std::string(*it), ec);
    if (ec) break;  // not an address: nothing left of it can be believed
    client = std::string(*it);
    if (!trusted(*it)) break;
  }
  return client;
}

std::string_view RateLimiting::route_class(const Route& route) {
  if (!route.rate_class.empty()) return route.rate_class;
  if (route.permission.empty()) return {};
  return route.method == "GET" || route.method == "HEAD" ? "reads" : "writes";
}

std::optional<SpentQuota> RateLimiting::before_authentication(const http::Request& request, const Route& route,
                                                              const std::string& client) const {
  if (!options_.limiter) return std::nullopt;
  const auto failures = options_.policy.limit(kFailures);
  // a public route with a class (the token exchange, the login) spends per client address here
  const std::string_view public_class = route.permission.empty() ? route_class(route) : std::string_view{};
  const auto public_limit = public_class.empty() ? std::nullopt : options_.policy.limit(public_class);
  const std::string_view prefix = key_prefix(request);

  std::string route_key, address_key, prefix_key;
  std::vector<RateCheck> checks;
  std::vector<std::string_view> names;
  if (public_limit) {
    route_key = fmt::format("rl:{}:addr:{}", public_class, client);
    checks.push_back({route_key, *public_limit, 1});
    names.push_back(public_class);
  }
  if (failures) {  // asked, not spent: only a failure spends
    address_key = fmt::format("rl:{}:addr:{}", kFailures, client);
    checks.push_back({address_key, *failures, 0});
    names.push_back(kFailures);
    if (!prefix.empty()) {
      prefix_key = fmt::format("rl:{}:key:{}", kFailures, prefix);
      checks.push_back({prefix_key, *failures, 0});
      names.push_back(kFailures);
    }
  }
  if (checks.empty()) return std::nullopt;
  const auto decision = options_.limiter->decide(checks);
  if (!decision.allowed) throw RateLimited(std::string(names[decision.check]), decision);
  if (!public_limit) return std::nullopt;
  return SpentQuota{std::string(public_class), decision};
}

std::optional<SpentQuota> RateLimiting::for_partner(const Route& route, std::int64_t partner_id) const {
  if (!options_.limiter) return std::nullopt;
  const std::string_view name = route_class(route);
  if (name.empty()) return std::nullopt;
  const auto limit = options_.policy.limit(name, partner_id);
  if (!limit) return std::nullopt;
  const std::string key = fmt::format("rl:{}:partner:{}", name, partner_id);
  return spend_or_throw(std::string(name), options_.limiter->decide(RateCheck{key, *limit, 1}));
}

void RateLimiting::authentication_failed(const http::Request& request, const std::string& client) const {
  if (!options_.limiter) return;
  const auto failures = options_.policy.limit(kFailures);
  if (!failures) return;
  const std::string address_key = fmt::format("rl:{}:addr:{}", kFailures, client);
  const std::string_view prefix = key_prefix(request);
  const std::string prefix_key = prefix.empty() ? std::string() : fmt::format("rl:{}:key:{}", kFailures, prefix);
  // each quota is spent on its own: an address already refused still counts its key's failures
  options_.limiter->decide(RateCheck{address_key, *failures, 1});
  if (!prefix_key.empty()) options_.limiter->decide(RateCheck{prefix_key, *failures, 1});
}

void RateLimiting::add_headers(http::Response& response, const SpentQuota& quota) {
  const auto& d = quota.decision;
  response.headers.emplace_back("RateLimit-Policy", fmt::format("\"{}\";q={};w={}", quota.policy, d.quota, d.window.count()));
  const auto reset_s = (d.reset.count() + 999) / 1000;
  response.headers.emplace_back("RateLimit", fmt::format("\"{}\";r={};t={}", quota.policy, d.remaining, reset_s));
  if (!d.allowed) response.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(1, (d.retry_after.count() + 999) / 1000)));
}

}  // namespace racetimingd::app
