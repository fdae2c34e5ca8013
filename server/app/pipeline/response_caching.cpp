#include "app/pipeline/response_caching.hpp"

#include <fmt/format.h>

#include "http/header_values.hpp"
#include "racetiming/sport/dates.hpp"

namespace racetimingd::app {

namespace {

constexpr const char* kCacheControl = "private, no-cache";

// If-None-Match holds the tag: "*", or one of a list of tags, weak ones compared weakly (RFC 9110 13.1.2).
bool client_holds(const http::Request& request, std::string_view tag) {
  std::string_view list = request.header("If-None-Match");
  if (list.empty()) return false;
  if (list == "*") return true;
  bool held = false;
  http::for_each_element(list, ',', [&](std::string_view item) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    held = held || item == tag;
  });
  return held;
}

http::Response not_modified(const std::string& tag) {
  http::Response r;
  r.status = 304;
  r.content_type.clear();
  r.headers.emplace_back("ETag", tag);
  r.headers.emplace_back("Cache-Control", kCacheControl);
  return r;
}

}  // namespace

std::string ResponseCaching::tag(const Call& call, std::int64_t version, bool gzip) {
  std::string k = fmt::format("{}|{}|{}|{}|", call.partner().partner_id(), version, call.request.method, call.path);
  for (const auto& [name, value] : call.query) k += fmt::format("{}={}&", name, value);  // a std::map: sorted
  k += "|";
  k += call.request.header("Accept");
  if (gzip) k += "|gzip";  // its own bytes, so its own tag
  if (!call.request.body.empty()) {
    k += '|';
    k += racetiming::sport::today_utc();
    k += '|';
    k += call.request.body;
  }
  return racetiming::cache::entity_tag(k);
}

std::optional<http::Response> ResponseCaching::lookup(const http::Request& request, const std::string& tag) const {
  if (client_holds(request, tag)) return not_modified(tag);
  if (!store_) return std::nullopt;
  const auto hit = store_->get(tag);
  if (!hit) return std::nullopt;
  http::Response r;
  r.content_type = hit->content_type;
  r.headers = hit->headers;
  r.body = hit->body;
  r.headers.emplace_back("ETag", tag);
  r.headers.emplace_back("Cache-Control", kCacheControl);
  return r;
}

void ResponseCaching::keep(const std::string& tag, http::Response& response) const {
  if (response.status != 200) return;
  if (store_) {
    auto kept = std::make_shared<racetiming::cache::CachedResponse>();
    kept->content_type = response.content_type;
    kept->headers = response.headers;
    kept->body = response.body;
    store_->put(tag, std::move(kept));
  }
  response.headers.emplace_back("ETag", tag);
  response.headers.emplace_back("Cache-Control", kCacheControl);
}

}  // namespace racetimingd::app
