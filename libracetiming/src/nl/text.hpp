#pragma once
// Internal: the question as tokens. Lower-cased words, numbers and times ("3:30", "13.1"), division
// labels ("f40-44"), with the original spelling kept (names keep their capitals) and a flag for the
// words an entity rule has already explained.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racetiming::nl {

struct Token {
  std::string text;      // lower case; number words as digits ("five" -> "5")
  std::string original;  // as written
  bool used = false;     // explained by an entity or intent rule
  std::uint32_t letters = 0;  // which of a-z the text holds (letters_of): a quick test before an edit distance
  bool is_number() const;
};

// Splits a question into tokens. Never throws on any input (bytes that are not letters, digits or the
// few marks the grammar reads are separators).
std::vector<Token> tokenize(std::string_view question);

// A name (an event's, a race's, a team's, an alias) as the parser reads a question: its tokens, one
// space apart, for Reader::find and Reader::phrase_at. Empty when the name holds no word.
std::string phrase_of(std::string_view name);

// The integer a token spells, if it is one.
std::optional<int> integer(const Token& t);

// Levenshtein distance, stopping early past limit (returns limit + 1 then).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

// A word matches a name word exactly, or within 1 edit for 4-7 letters and 2 for 8 or more.
bool fuzzy_equal(std::string_view word, std::string_view name_word);
// The same, told apart sooner by the letters each holds (an edit changes at most two of them).
bool fuzzy_equal(const Token& word, std::string_view name_word, std::uint32_t name_letters);

// One bit per letter a-z the word holds.
std::uint32_t letters_of(std::string_view word);

}  // namespace racetiming::nl
