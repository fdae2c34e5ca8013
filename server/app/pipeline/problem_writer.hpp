#pragma once
// The one place a failure becomes an answer: racetiming::Error's code to an HTTP status and a
// problem+json body (with the parameter, the suggestions and unknown words of a refused question, and
// a WWW-Authenticate challenge on 401). Anything else is a 500 whose text goes to the log only.
#include <exception>
#include <string>

#include "http/message.hpp"
#include "racetiming/error.hpp"

namespace racetimingd::app {

// The HTTP status of a library error code.
unsigned status_for(racetiming::ErrorCode code);

enum class ErrorShape { problem, openai };

// had_authorization: the request carried an Authorization header (the challenge then names the token
// as invalid). shape openai: {"error": {"message", "type", "param", "code"}} with the same status and
// code, as OpenAI's clients expect.
http::Response problem_for(std::exception_ptr error, bool had_authorization, const std::string& request_id,
                           ErrorShape shape = ErrorShape::problem);

}  // namespace racetimingd::app
