#pragma once
// Internal: whether bytes are text we store and read: well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF) and no NUL. Imports and questions share it.
#include <string_view>

namespace racetiming::text {

bool is_utf8_text(std::string_view s);

}  // namespace racetiming::text
