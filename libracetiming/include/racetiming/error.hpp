#pragma once
// The one error type of the library. Every failure a caller can act on carries a stable code; hosts map
// codes to their own surface in one place (HTTP status in the daemon, exit status in the CLI).
#include <stdexcept>
#include <string>
#include <string_view>

namespace racetiming {

enum class ErrorCode {
  invalid_parameter,  // a caller-supplied value is malformed or out of range (names the parameter)
  invalid_input,      // a document (CSV file, request body) fails validation
  unauthenticated,
  forbidden,
  tenant_mismatch,
  not_found,
  conflict,
  payload_too_large,
  unsupported_media_type,  // a request body in a format the route does not take
  nl_unsupported,
  rate_limited,
  unavailable,  // the database cannot be reached or the pool is exhausted
  internal,
};

// snake_case name of a code, stable across releases ("invalid_parameter", ...).
std::string_view to_string(ErrorCode code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::string parameter = {})
      : std::runtime_error(std::move(message)), code_(code), parameter_(std::move(parameter)) {}

  ErrorCode code() const noexcept { return code_; }
  // The offending parameter or column, where there is one.
  const std::string& parameter() const noexcept { return parameter_; }

 private:
  ErrorCode code_;
  std::string parameter_;
};

}  // namespace racetiming
