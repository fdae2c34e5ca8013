#pragma once
// Internal: whether bytes are text we store and read: well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF) and no NUL. Imports and questions share it.
#include <string>
#include <string_view>

namespace racetiming::text {

bool is_utf8_text(std::string_view s);

// A value as an error message may quote it back: at most `limit` bytes of it, cut on a character
// boundary with "..." after, bytes that are not UTF-8 text (or are control characters) as '?'. A client
// that sent 100 KB gets 200 bytes of it back, and a log line stays one line of text.
std::string echo(std::string_view value, std::size_t limit = 200);

}  // namespace racetiming::text
