// Placeholder until the HTTP client lands: the fallback is configured but cannot be reached.
#include "nl/llm_client.hpp"

#include "racetiming/error.hpp"

namespace racetiming::nl {

std::string chat_completion_sql(const LlmFallback&, std::string_view, std::string_view) {
  throw Error(ErrorCode::unavailable, "the language-model fallback is not built yet");
}

}  // namespace racetiming::nl
