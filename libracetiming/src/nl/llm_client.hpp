#pragma once
// Internal: the one call the LLM fallback makes. Everything it returns is untrusted text: the engine
// passes it through sqlguard before anything runs.
#include <string>
#include <string_view>

#include "racetiming/nl/engine.hpp"

namespace racetiming::nl {

// POSTs {"model", "messages": [system, user], "temperature": 0} to config.url and returns the SQL in the
// first choice's message (code fences and a trailing semicolon removed). Error(unavailable) when the
// endpoint cannot be reached, times out, or answers anything but 200 with that shape.
std::string chat_completion_sql(const LlmFallback& config, std::string_view system_prompt, std::string_view question);

}  // namespace racetiming::nl
