#include "app/metrics.hpp"

#include <array>

#include <fmt/format.h>

namespace racetimingd::app {
namespace {

constexpr std::array<double, 12> kBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

// Label values escape backslash, quote and newline (the exposition format's rule).
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::observe(std::string_view route, std::string_view method, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  if (auto it = requests_.find(std::tuple{route, method, status}); it != requests_.end())
    ++it->second;
  else
    requests_.emplace(std::tuple{std::string(route), std::string(method), status}, 1);
  auto at = latency_.find(route);
  if (at == latency_.end()) at = latency_.emplace(std::string(route), Histogram{std::vector<std::uint64_t>(kBounds.size(), 0), 0, 0}).first;
  auto& h = at->second;
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) {
      ++h.buckets[i];
      break;
    }
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::render(std::size_t pool_in_use, std::size_t pool_size) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP racetiming_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE racetiming_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("racetiming_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", label(route),
                       label(method), status, n);
  }
  out += "# HELP racetiming_http_request_duration_seconds Time from routing to response, by route.\n";
  out += "# TYPE racetiming_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
      cumulative += h.buckets[i];
      out += fmt::format("racetiming_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label(route),
                         kBounds[i], cumulative);
    }
    out += fmt::format("racetiming_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label(route), h.count);
    out += fmt::format("racetiming_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label(route), h.sum);
    out += fmt::format("racetiming_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label(route), h.count);
  }
  out += "# HELP racetiming_db_pool_connections Database connections by state.\n";
  out += "# TYPE racetiming_db_pool_connections gauge\n";
  out += fmt::format("racetiming_db_pool_connections{{state=\"in_use\"}} {}\n", pool_in_use);
  out += fmt::format("racetiming_db_pool_connections{{state=\"idle\"}} {}\n", pool_size - pool_in_use);
  out += "# HELP racetiming_db_inline_reads_total Reads run on an I/O thread without blocking it (no worker).\n";
  out += "# TYPE racetiming_db_inline_reads_total counter\n";
  out += fmt::format("racetiming_db_inline_reads_total {}\n", inline_reads_.load());
  return out;
}

}  // namespace racetimingd::app
