#include "http/problem.hpp"

#include <random>

#include <boost/beast/http/status.hpp>
#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace racetimingd::http {

Response problem(unsigned status, std::string_view code, std::string_view detail, std::string_view request_id,
                 const ProblemExtras& extras) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&w](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  w.StartObject();
  w.Key("type");
  str(fmt::format("/problems/{}", code));  // relative: resolved against the API's own origin
  w.Key("title");
  str(reason(status));
  w.Key("status");
  w.Uint(status);
  w.Key("detail");
  str(detail);
  w.Key("code");
  str(code);
  w.Key("request_id");
  str(request_id);
  if (!extras.parameter.empty()) {
    w.Key("parameter");
    str(extras.parameter);
  }
  if (!extras.suggestions.empty()) {
    w.Key("suggestions");
    w.StartArray();
    for (const auto& s : extras.suggestions) str(s);
    w.EndArray();
  }
  if (!extras.unknown_words.empty()) {
    w.Key("unknown_words");
    w.StartArray();
    for (const auto& s : extras.unknown_words) str(s);
    w.EndArray();
  }
  w.EndObject();
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = buffer.GetString();
  r.headers.emplace_back("X-Request-ID", std::string(request_id));
  return r;
}

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

}  // namespace racetimingd::http
