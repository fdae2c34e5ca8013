#include "app/pipeline/request_body.hpp"

#include <algorithm>
#include <cctype>

#include "racetiming/error.hpp"

namespace racetimingd::app {

void check_request_body(const http::Request& request, const Route& route) {
  // routes without a body, and those whose body is not JSON (the imports' CSV), decide for themselves
  if (route.body.empty() || route.body.find('/') != std::string::npos) return;
  if (request.body.empty() && request.method == "GET") return;
  std::string_view type = request.header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower != "application/json")
    throw racetiming::Error(racetiming::ErrorCode::unsupported_media_type,
                            "the body must be JSON, sent with Content-Type: application/json", "Content-Type");
}

}  // namespace racetimingd::app
