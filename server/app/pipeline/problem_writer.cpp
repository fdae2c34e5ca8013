#include "app/pipeline/problem_writer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "app/pipeline/rate_limiting.hpp"
#include "http/problem.hpp"
#include "racetiming/nl/engine.hpp"

namespace racetimingd::app {

using racetiming::Error;
using racetiming::ErrorCode;

unsigned status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_parameter:
    case ErrorCode::invalid_input: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::forbidden:
    case ErrorCode::tenant_mismatch: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media_type: return 415;
    case ErrorCode::nl_unsupported: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

namespace {

// OpenAI's error type of a status.
std::string_view openai_type(unsigned status) {
  switch (status) {
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    case 500:
    case 503: return "server_error";
    default: return "invalid_request_error";
  }
}

http::Response openai_error(unsigned status, std::string_view code, std::string_view message, const std::string& parameter) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto text = [&w](std::string_view v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); };
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("message");
  text(message);
  w.Key("type");
  text(openai_type(status));
  w.Key("param");
  if (parameter.empty()) w.Null();
  else text(parameter);
  w.Key("code");
  text(code);
  w.EndObject();
  w.EndObject();
  http::Response r;
  r.status = status;
  r.body.assign(buffer.GetString(), buffer.GetSize());
  return r;
}

}  // namespace

http::Response problem_for(std::exception_ptr error, bool had_authorization, const std::string& request_id, ErrorShape shape) {
  http::Response response;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    // An internal error's text may name tables or statements, an unavailable one the database's host,
    // port and driver text, a provider's or a model's address: they go to the log, not to the client.
    std::string detail = e.what();
    if (e.code() == ErrorCode::internal) {
      spdlog::error("request {}: {}", request_id, e.what());
      detail = "internal error";
    } else if (e.code() == ErrorCode::unavailable) {
      spdlog::warn("request {}: {}", request_id, e.what());
      detail = "the service is unavailable for a moment: retry shortly";
    }
    if (shape == ErrorShape::openai) {
      response = openai_error(status_for(e.code()), racetiming::to_string(e.code()), detail, e.parameter());
    } else {
      http::ProblemExtras extras{e.parameter(), {}};
      if (const auto* refusal = dynamic_cast<const racetiming::nl::NlUnsupported*>(&e)) {
        extras.suggestions = refusal->suggestions();
        extras.unknown_words = refusal->unknown_words();
      }
      response = http::problem(status_for(e.code()), racetiming::to_string(e.code()), detail, request_id, extras);
    }
    if (e.code() == ErrorCode::unavailable) response.headers.emplace_back("Retry-After", "1");
    if (const auto* limited = dynamic_cast<const racetiming::limits::RateLimited*>(&e))
      RateLimiting::add_headers(response, SpentQuota{limited->policy(), limited->decision()});
    if (e.code() == ErrorCode::unauthenticated)
      response.headers.emplace_back("WWW-Authenticate", had_authorization
                                                            ? R"(Bearer realm="racetiming", error="invalid_token")"
                                                            : R"(Bearer realm="racetiming")");
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", request_id, e.what());
    response = shape == ErrorShape::openai ? openai_error(500, "internal", "internal error", {})
                                           : http::problem(500, "internal", "internal error", request_id);
  }
  return response;
}

}  // namespace racetimingd::app
