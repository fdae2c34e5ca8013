#include "http/request_rules.hpp"

#include <algorithm>
#include <string_view>

#include <boost/beast/core/string.hpp>

#include "http/header_values.hpp"

namespace racetimingd::http {
namespace {

namespace bhttp = boost::beast::http;

}  // namespace

std::optional<std::string> header_problem(const bhttp::request_header<>& header) {
  const auto encodings = header.count(bhttp::field::transfer_encoding);
  const auto lengths = header.count(bhttp::field::content_length);
  if (encodings > 1) return "repeated Transfer-Encoding";
  if (lengths > 1) return "repeated Content-Length";
  if (encodings && lengths) return "both Content-Length and Transfer-Encoding";
  if (encodings && !boost::beast::iequals(trim_ows(header[bhttp::field::transfer_encoding]), "chunked"))
    return "Transfer-Encoding must be chunked alone";
  if (lengths) {
    const auto value = trim_ows(header[bhttp::field::content_length]);
    if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return "Content-Length must be one decimal number";
  }
  const auto hosts = header.count(bhttp::field::host);
  if (hosts > 1) return "repeated Host";
  if (hosts == 0 && header.version() >= 11) return "HTTP/1.1 requires a Host header";
  for (std::string_view name : {"X-API-Key", "Authorization", "X-Timing-Partner-ID"})
    if (header.count(name) > 1) return "repeated " + std::string(name);
  return std::nullopt;
}

}  // namespace racetimingd::http
