#pragma once
// application/problem+json (RFC 9457) responses: the one shape every error of the daemon takes.
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace racetimingd::http {

// Members some problems add: the parameter that was wrong, questions to ask instead, the words of a
// question that were not understood.
struct ProblemExtras {
  std::string parameter;
  std::vector<std::string> suggestions;
  std::vector<std::string> unknown_words = {};
};

// A problem response with a stable snake_case code and the request's id.
Response problem(unsigned status, std::string_view code, std::string_view detail, std::string_view request_id,
                 const ProblemExtras& extras = {});
// A fresh request id: 16 random hex characters.
std::string new_request_id();

}  // namespace racetimingd::http
