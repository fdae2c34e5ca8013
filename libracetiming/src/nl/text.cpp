#include "nl/text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdint>

namespace racetiming::nl {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 23> kNumberWords{{
    {"one", "1"},      {"two", "2"},        {"three", "3"},     {"four", "4"},      {"five", "5"},
    {"six", "6"},      {"seven", "7"},      {"eight", "8"},     {"nine", "9"},      {"ten", "10"},
    {"eleven", "11"},  {"twelve", "12"},    {"thirteen", "13"}, {"fourteen", "14"}, {"fifteen", "15"},
    {"sixteen", "16"}, {"seventeen", "17"}, {"eighteen", "18"}, {"nineteen", "19"}, {"twenty", "20"},
    {"thirty", "30"},  {"fifty", "50"},     {"hundred", "100"},
}};

bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

void push(std::vector<Token>& out, std::string_view original) {
  if (original.empty()) return;
  Token t;
  t.original = std::string(original);
  t.text.reserve(original.size());
  for (char c : original) t.text += lower(c);
  for (const auto& [word, number] : kNumberWords)
    if (t.text == word) t.text = number;
  t.letters = letters_of(t.text);
  out.push_back(std::move(t));
}

// One run of word characters: letters, digits, and the marks that join them (':' and '.' between
// digits, '-' in labels like f40-44). A leading letter run followed by digits ("sub20") stays whole.
void split_word(std::vector<Token>& out, std::string_view w) {
  // possessive: "men's" -> "men" "'s"
  if (w.size() > 2 && (w.ends_with("'s") || w.ends_with("'S") || w.ends_with("’s") || w.ends_with("’S"))) {
    const std::size_t cut = w.ends_with("'s") || w.ends_with("'S") ? 2 : 4;
    split_word(out, w.substr(0, w.size() - cut));
    push(out, "'s");
    return;
  }
  // "sub-20", "10-mile", "half-marathon": split at '-' unless it is a division label (f40-44, m 50-54)
  if (const auto dash = w.find('-'); dash != std::string_view::npos) {
    const bool label = dash >= 2 && dash + 1 < w.size() && digit(w[dash - 1]) && digit(w[dash + 1]) &&
                       alpha(w[0]);
    const bool age_range = dash >= 1 && dash + 1 < w.size() && digit(w[dash - 1]) && digit(w[dash + 1]) && digit(w[0]);
    if (!label && !age_range) {
      split_word(out, w.substr(0, dash));
      split_word(out, w.substr(dash + 1));
      return;
    }
  }
  push(out, w);
}

}  // namespace

bool Token::is_number() const {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return digit(c) || c == '.'; }) &&
         digit(text.front());
}

std::vector<Token> tokenize(std::string_view q) {
  std::vector<Token> out;
  out.reserve(q.size() / 4 + 4);  // a question's words are five letters on average: one allocation, most times
  std::size_t i = 0;
  while (i < q.size()) {
    const char c = q[i];
    const bool starts = alpha(c) || digit(c) || (static_cast<unsigned char>(c) >= 0x80);
    if (c == '#' || c == '%' || c == '+') {
      push(out, q.substr(i, 1));
      ++i;
      continue;
    }
    if (!starts) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < q.size()) {
      const char d = q[j];
      const bool joiner = (d == ':' || d == '.' || d == '-' || d == '\'') && j + 1 < q.size() &&
                          (alpha(q[j + 1]) || digit(q[j + 1])) && j > i;
      // UTF-8 right single quote (E2 80 99) inside a word, as in "men’s"
      const bool curly = d == '\xE2' && j + 2 < q.size() && q[j + 1] == '\x80' && q[j + 2] == '\x99';
      if (alpha(d) || digit(d) || joiner) {
        ++j;
      } else if (curly) {
        j += 3;
      } else if (static_cast<unsigned char>(d) >= 0x80) {
        ++j;  // other non-ASCII letters stay inside the word
      } else {
        break;
      }
    }
    split_word(out, q.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string phrase_of(std::string_view name) {
  std::string phrase;
  for (const Token& t : tokenize(name)) phrase.append(phrase.empty() ? "" : " ").append(t.text);
  return phrase;
}

std::optional<int> integer(const Token& t) {
  int v = 0;
  auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
  if (ec != std::errc{} || end != t.text.data() + t.text.size()) return std::nullopt;
  return v;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  // optimal string alignment: insertions, deletions, substitutions and swaps of neighbours ("rvier")
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > limit) return limit + 1;
  constexpr std::size_t kMax = 64;
  if (b.size() >= kMax) return a == b ? 0 : limit + 1;
  // rows j-2, j-1, j; only what is read is written first (clearing all three cost more than the table)
  std::array<std::array<std::uint8_t, kMax>, 3> rows;
  for (std::size_t i = 0; i <= a.size(); ++i) rows[1][i] = static_cast<std::uint8_t>(i);
  for (std::size_t j = 1; j <= b.size(); ++j) {
    auto& cur = rows[(j + 1) % 3];
    const auto& prev = rows[j % 3];
    const auto& prev2 = rows[(j + 2) % 3];
    cur[0] = static_cast<std::uint8_t>(j);
    std::size_t best = cur[0];
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t d = std::min<std::size_t>({prev[i] + 1u, cur[i - 1] + 1u, prev[i - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min<std::size_t>(d, prev2[i - 2] + 1u);
      cur[i] = static_cast<std::uint8_t>(d);
      best = std::min(best, d);
    }
    if (best > limit) return limit + 1;
  }
  return rows[(b.size() + 1) % 3][a.size()];
}

std::uint32_t letters_of(std::string_view word) {
  std::uint32_t bits = 0;
  for (char c : word)
    if (c >= 'a' && c <= 'z') bits |= std::uint32_t{1} << (c - 'a');
  return bits;
}

namespace {
bool fuzzy_equal(std::string_view word, std::uint32_t word_letters, std::string_view name_word, std::uint32_t name_letters) {
  if (word == name_word) return true;
  const std::size_t n = name_word.size();
  const std::size_t allowed = n >= 8 ? 2 : n >= 4 ? 1 : 0;
  if (allowed == 0 || word.empty()) return false;
  if (word.size() + allowed < n || word.size() > n + allowed) return false;  // more edits than allowed, by length alone
  // an insertion, a deletion or a substitution changes at most two of the letters a word holds
  if (static_cast<std::size_t>(std::popcount(word_letters ^ name_letters)) > 2 * allowed) return false;
  // one edit leaves the first or the last letter in place: most pairs end here, without the table
  if (allowed == 1 && word.front() != name_word.front() && word.back() != name_word.back()) return false;
  return edit_distance(word, name_word, allowed) <= allowed;
}
}  // namespace

bool fuzzy_equal(std::string_view word, std::string_view name_word) {
  return fuzzy_equal(word, letters_of(word), name_word, letters_of(name_word));
}

bool fuzzy_equal(const Token& word, std::string_view name_word, std::uint32_t name_letters) {
  return fuzzy_equal(word.text, word.letters, name_word, name_letters);
}

}  // namespace racetiming::nl
