#include "app/call_params.hpp"

#include <charconv>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/format/json.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetimingd::app {

using racetiming::Error;
using racetiming::ErrorCode;

std::int64_t id_param(std::string_view text, std::string_view name) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v <= 0)
    throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be a positive integer", name), std::string(name));
  return v;
}

std::int64_t path_id(const Call& c, std::string_view name) {
  auto it = c.path_params.find(name);
  return id_param(it == c.path_params.end() ? std::string_view() : std::string_view(it->second), name);
}

std::optional<std::string> text_query(const Call& c, std::string_view name) {
  auto it = c.query.find(name);
  if (it == c.query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> id_query(const Call& c, std::string_view name) {
  auto v = text_query(c, name);
  if (!v) return std::nullopt;
  return id_param(*v, name);
}

std::optional<std::int64_t> time_query(const Call& c, std::string_view name) {
  auto v = text_query(c, name);
  if (!v) return std::nullopt;
  if (v->find(':') == std::string::npos) return id_param(*v, name);
  if (auto ms = racetiming::sport::parse_duration_ms(*v)) return ms;
  throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be milliseconds or H:MM:SS", name), std::string(name));
}

bool flag_query(const Call& c, std::string_view name) {
  const auto v = text_query(c, name);
  if (v && *v != "true" && *v != "false")
    throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be true or false", name), std::string(name));
  return v == "true";
}

racetiming::PageRequest page_request(const Call& c) {
  racetiming::PageRequest p;
  if (auto limit = text_query(c, "limit")) p.limit = static_cast<std::size_t>(id_param(*limit, "limit"));
  p.cursor = text_query(c, "cursor").value_or("");
  p.sort = text_query(c, "sort").value_or("");
  return p;
}

http::Response page_response(std::string_view target, racetiming::PageJson page) {
  http::Response r;
  r.body = std::move(page.json);
  if (!page.next_cursor.empty()) {
    boost::urls::url next = boost::urls::parse_origin_form(target).value();
    next.params().set("cursor", page.next_cursor);
    r.headers.emplace_back("Link", fmt::format("<{}>; rel=\"next\"", std::string_view(next.buffer())));
  }
  return r;
}

http::Response page_response(std::string_view target, const racetiming::Page& page) {
  return page_response(target, racetiming::PageJson{racetiming::format::page_json(page), page.next_cursor});
}

http::Response row_response(const racetiming::ResultSet& rows, unsigned status) {
  http::Response r;
  r.status = status;
  r.body = racetiming::format::row_json(rows, 0);
  return r;
}

}  // namespace racetimingd::app
