#pragma once
// The last step of every request: its answer is tagged with the request id, counted and timed in the
// metrics, and logged as one JSON line (when the access log is on), then sent. Every answer passes
// here exactly once, success or problem alike.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "app/metrics.hpp"
#include "http/message.hpp"

namespace spdlog {
class logger;
}

namespace racetimingd::app {

class AccessLog {
 public:
  AccessLog(Metrics& metrics, std::shared_ptr<spdlog::logger> log) : metrics_(metrics), log_(std::move(log)) {}

  // What to call with the answer: it observes, then passes the answer on to respond. route is the
  // matched route's pattern, or a literal ("unmatched"): it outlives the request.
  http::Respond observe(const http::Request& request, const std::string& request_id, std::string_view route,
                        std::chrono::steady_clock::time_point start, http::Respond respond) const;

 private:
  Metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace racetimingd::app
