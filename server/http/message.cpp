#include "http/message.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>

namespace racetimingd::http {

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (boost::beast::iequals(key, name)) return value;
  return {};
}

bool Response::has_header(std::string_view name) const {
  for (const auto& header : headers)
    if (boost::beast::iequals(header.first, name)) return true;
  return false;
}

std::string_view reason(unsigned status) {
  auto r = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  return {r.data(), r.size()};
}

std::string response_head(const Response& r, bool close) {
  std::string head;
  head.reserve(128 + r.content_type.size() + 64 * r.headers.size());
  auto field = [&head](std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
  };
  head.append("HTTP/1.1 ").append(std::to_string(r.status)).append(" ").append(reason(r.status)).append("\r\n");
  field("Server", "racetimingd");
  if (!r.content_type.empty()) field("Content-Type", r.content_type);
  for (const auto& [name, value] : r.headers) field(name, value);
  if (r.status >= 200 && r.status != 204 && r.status != 304) field("Content-Length", std::to_string(r.body.size()));
  if (close) field("Connection", "close");
  head.append("\r\n");
  return head;
}

}  // namespace racetimingd::http
