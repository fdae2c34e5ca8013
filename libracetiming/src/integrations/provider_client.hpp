#pragma once
// Internal: the HTTP client a sync talks to a provider through. Retries what may pass (a timeout, a
// refused or dropped connection, 429 and 5xx answers) with exponential backoff and full jitter, honouring
// Retry-After; counts every request against the run's budget. Messages name the provider and the URL's
// path, never its query (credentials travel there) nor any header.
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "net/http_client.hpp"
#include "racetiming/integrations/integration.hpp"

namespace racetiming::integrations::detail {

class ProviderClient {
 public:
  ProviderClient(std::string provider, const SyncOptions& options);

  // GET base + path with the query parameters and headers given; the 2xx answer, else Error(unavailable)
  // once retries or the budget are spent (a 4xx other than 429 is not retried).
  net::HttpResponse get(const std::string& base_url, const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& query,
                        const std::vector<std::pair<std::string, std::string>>& headers = {});
  // POST a form, for token exchanges.
  net::HttpResponse post_form(const std::string& url, const std::vector<std::pair<std::string, std::string>>& form);

  std::size_t requests() const noexcept { return requests_; }

  // How long to wait before attempt `attempt` (1-based retries), given a Retry-After header value ("" when
  // none): the header's seconds when it has them (capped by max_backoff), else a full-jitter backoff.
  std::chrono::milliseconds delay_before(int attempt, std::string_view retry_after);

 private:
  net::HttpResponse exchange(const net::HttpRequest& request, const std::string& shown);

  std::string provider_;
  SyncOptions options_;
  net::HttpOptions http_;
  std::size_t requests_ = 0;
  std::minstd_rand random_;
};

}  // namespace racetiming::integrations::detail
