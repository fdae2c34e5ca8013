#include "integrations/provider_client.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include <boost/url/url.hpp>
#include <fmt/format.h>

#include "racetiming/error.hpp"

namespace racetiming::integrations::detail {

ProviderClient::ProviderClient(std::string provider, const SyncOptions& options)
    : provider_(std::move(provider)), options_(options), random_(std::random_device{}()) {
  http_.connect_timeout = options.connect_timeout;
  http_.read_timeout = options.read_timeout;
  http_.ca_file = options.ca_file;
}

std::chrono::milliseconds ProviderClient::delay_before(int attempt, std::string_view retry_after) {
  int seconds = 0;
  const auto [end, ec] = std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
  if (!retry_after.empty() && ec == std::errc() && end == retry_after.data() + retry_after.size() && seconds >= 0)
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), options_.max_backoff);
  // full jitter (a uniform wait up to the exponential bound) keeps many clients from retrying in step
  const auto bound = std::min<std::int64_t>(options_.max_backoff.count(),
                                            options_.initial_backoff.count() << std::min(attempt - 1, 20));
  std::uniform_int_distribution<std::int64_t> wait(0, std::max<std::int64_t>(bound, 0));
  return std::chrono::milliseconds(wait(random_));
}

net::HttpResponse ProviderClient::exchange(const net::HttpRequest& request, const std::string& shown) {
  std::string last;
  for (int attempt = 1;; ++attempt) {
    if (requests_ >= options_.request_budget)
      throw Error(ErrorCode::unavailable, fmt::format("{}: the run's budget of {} requests is spent (at {})", provider_,
                                                      options_.request_budget, shown));
    ++requests_;
    std::string retry_after;
    try {
      net::HttpResponse response = net::send(request, http_);
      if (response.status >= 200 && response.status < 300) return response;
      last = fmt::format("HTTP {}", response.status);
      if (response.status != 429 && response.status < 500)
        throw Error(ErrorCode::unavailable, fmt::format("{}: {} answered {}", provider_, shown, last));
      retry_after = std::string(response.header("Retry-After"));
    } catch (const net::TransportError& e) {
      last = e.what();
    }
    if (attempt >= options_.max_attempts)
      throw Error(ErrorCode::unavailable, fmt::format("{}: {} failed {} times, the last: {}", provider_, shown, attempt, last));
    std::this_thread::sleep_for(delay_before(attempt, retry_after));
  }
}

net::HttpResponse ProviderClient::get(const std::string& base_url, const std::string& path,
                                      const std::vector<std::pair<std::string, std::string>>& query,
                                      const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  boost::urls::url url;
  try {
    url = boost::urls::url(base + path);
  } catch (const std::exception&) {
    throw Error(ErrorCode::invalid_parameter, fmt::format("{}: the base URL is not a URL", provider_), "base_url");
  }
  for (const auto& [name, value] : query) url.params().append({name, value});
  net::HttpRequest request{"GET", std::string(url.buffer()), headers, {}};
  request.headers.emplace_back("Accept", "application/json");
  return exchange(request, std::string(path));
}

net::HttpResponse ProviderClient::post_form(const std::string& url, const std::vector<std::pair<std::string, std::string>>& form) {
  boost::urls::url encoded("http://x/");
  for (const auto& [name, value] : form) encoded.params().append({name, value});
  net::HttpRequest request{"POST", url, {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}},
                           std::string(encoded.encoded_query())};
  return exchange(request, net::redacted(url));
}

}  // namespace racetiming::integrations::detail
