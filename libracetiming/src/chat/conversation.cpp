#include "racetiming/chat/conversation.hpp"

#include <cctype>

#include "racetiming/format/markdown.hpp"

namespace racetiming::chat {

std::optional<Role> role_from(std::string_view name) {
  if (name == "user") return Role::user;
  if (name == "assistant") return Role::assistant;
  if (name == "system" || name == "developer") return Role::system;
  return std::nullopt;
}

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    const bool blank = std::isspace(c) != 0;
    if (!blank && !in_word) ++words;
    in_word = !blank;
  }
  return words;
}

std::string answer_message(const nl::Answer& answer, const Options& options) {
  std::string out = answer.summary;
  if (!answer.interpretation.empty()) out += "\n\n_Read as: " + answer.interpretation + "_";
  if (!answer.rows.columns.empty()) out += "\n\n" + format::rows_markdown(answer.rows, options.max_rows);
  if (options.show_sql) out += "\n```sql\n" + answer.sql.text + "\n```\n";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string refusal_message(const nl::Refusal& refusal) {
  std::string out = "I can't answer that: " + refusal.reason + ".";
  if (!refusal.suggestions.empty()) {
    out += "\n\nQuestions I can answer:";
    for (const auto& s : refusal.suggestions) out += "\n- " + s;
  }
  return out;
}

}  // namespace racetiming::chat
