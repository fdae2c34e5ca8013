#include "app/pipeline/access_log.hpp"

#include <algorithm>
#include <optional>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

namespace racetimingd::app {
namespace {

// What the access log says of a request beyond its status and time; kept only while the log is on.
struct AccessEntry {
  std::string method, target, remote, request_id;
};

// The path of a target, without its query (credentials and personal data travel there: an api_key,
// a name searched for), every byte outside printable ASCII as %XX so that the line stays valid JSON
// whatever a client sent.
std::string loggable_path(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::string out;
  out.reserve(target.size());
  for (const char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string access_line(const AccessEntry& e, unsigned status, double milliseconds) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  field("request_id", e.request_id);
  field("method", e.method);
  field("path", e.target);
  w.Key("status");
  w.Uint(status);
  w.Key("duration_ms");
  w.Double(milliseconds);
  field("remote", e.remote);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

http::Respond AccessLog::observe(const http::Request& request, const std::string& request_id, std::string_view route,
                                 std::chrono::steady_clock::time_point start, http::Respond respond) const {
  std::optional<AccessEntry> entry;
  if (log_) entry = AccessEntry{loggable_path(request.method), loggable_path(request.target), request.remote_address, request_id};
  return [this, start, route, method = request.method, request_id, entry = std::move(entry),
          respond = std::move(respond)](http::Response r) {
    if (std::none_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "X-Request-ID"; }))
      r.headers.emplace_back("X-Request-ID", request_id);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.observe(route, method, r.status, seconds);
    if (entry) log_->info(access_line(*entry, r.status, seconds * 1000));
    respond(std::move(r));
  };
}

}  // namespace racetimingd::app
