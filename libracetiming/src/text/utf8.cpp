#include "text/utf8.hpp"

#include <cstdint>

namespace racetiming::text {

// Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF), so text stored is text.
bool is_utf8_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 9;
    if (n == 9 || i + n >= s.size() + (n ? 0 : 1)) return false;
    std::uint32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || c == 0)
      return false;
    i += n + 1;
  }
  return true;
}

std::string echo(std::string_view value, std::size_t limit) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    const auto c = static_cast<unsigned char>(value[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    const std::string_view character = value.substr(i, n);
    const bool text = n == 1 ? (c >= 0x20 && c != 0x7F) : (character.size() == n && is_utf8_text(character));
    const std::size_t width = text ? n : 1;
    if (out.size() + width > limit) return out + "...";
    if (text) out.append(character);
    else out += '?';
    i += width;
  }
  return out;
}

}  // namespace racetiming::text
