#pragma once
// A chat with the NL engine, as chat front ends (OpenWebUI, any OpenAI client) hold it: the whole
// conversation comes with each turn; the last user message is the question, the earlier ones are its
// follow-up context, and the reply is one Markdown message. Tenant::chat answers a turn.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "racetiming/nl/engine.hpp"

namespace racetiming::chat {

enum class Role { system, user, assistant };
// "system", "developer" (OpenAI's newer name for it), "user", "assistant"; nullopt for any other.
std::optional<Role> role_from(std::string_view name);

struct Message {
  Role role = Role::user;
  std::string content;
};

struct Options {
  bool show_sql = false;    // the reply ends with the SQL in a fenced block
  std::size_t max_rows = 20;  // rows shown in the reply's table
  std::string today = {};     // YYYY-MM-DD ("last year" counts from it); empty: now
};

// Sizes in words (runs of non-blank characters), not a model's tokens: nothing here tokenizes.
struct Usage {
  std::size_t prompt_words = 0, reply_words = 0;
};

struct Reply {
  std::string content;    // Markdown
  bool answered = false;  // false: the question was refused, and content says why and what to ask
  Usage usage;
};

std::size_t count_words(std::string_view text);
// The reply to an answer: the summary, how the question was read, the rows as a table, the SQL.
std::string answer_message(const nl::Answer& answer, const Options& options);
// The reply to a refusal: the reason and the questions the engine would answer instead.
std::string refusal_message(const nl::Refusal& refusal);

}  // namespace racetiming::chat
