#include "app/pipeline/request_id.hpp"

#include "http/problem.hpp"

namespace racetimingd::app {

std::string request_id_of(const http::Request& request) {
  const std::string_view id = request.header("X-Request-ID");
  const bool sane = !id.empty() && id.size() <= 64 &&
                    id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
                        std::string_view::npos;
  return sane ? std::string(id) : http::new_request_id();
}

}  // namespace racetimingd::app
