#pragma once
// Prometheus text-format metrics: requests by route, method and status, latency histograms by route,
// and the database pool's use.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace racetimingd::app {

class Metrics {
 public:
  void observe(std::string_view route, std::string_view method, unsigned status, double seconds);
  // A planned read that ran on an I/O thread (no worker involved).
  void count_inline_read() { ++inline_reads_; }
  std::string render(std::size_t pool_in_use, std::size_t pool_size) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative counts are computed when rendered
    double sum = 0;
    std::uint64_t count = 0;
  };
  mutable std::mutex mutex_;
  // transparent comparators: a request is counted without copying its labels (they are copied once, when new)
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
  std::atomic<std::uint64_t> inline_reads_{0};
};

}  // namespace racetimingd::app
