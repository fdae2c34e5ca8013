#include "app/pipeline/problem_writer.hpp"

#include <spdlog/spdlog.h>

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
    case ErrorCode::nl_unsupported: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

http::Response problem_for(std::exception_ptr error, bool had_authorization, const std::string& request_id) {
  http::Response response;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    // an internal error's text may name tables or statements: it goes to the log, not to the client
    std::string detail = e.code() == ErrorCode::internal ? "internal error" : e.what();
    if (e.code() == ErrorCode::internal) spdlog::error("request {}: {}", request_id, e.what());
    http::ProblemExtras extras{e.parameter(), {}};
    if (const auto* refusal = dynamic_cast<const racetiming::nl::NlUnsupported*>(&e)) {
      extras.suggestions = refusal->suggestions();
      extras.unknown_words = refusal->unknown_words();
    }
    response = http::problem(status_for(e.code()), racetiming::to_string(e.code()), detail, request_id, extras);
    if (e.code() == ErrorCode::unauthenticated)
      response.headers.emplace_back("WWW-Authenticate", had_authorization
                                                            ? R"(Bearer realm="racetiming", error="invalid_token")"
                                                            : R"(Bearer realm="racetiming")");
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", request_id, e.what());
    response = http::problem(500, "internal", "internal error", request_id);
  }
  return response;
}

}  // namespace racetimingd::app
