#pragma once
// Internal: ASCII lower case (bytes past ASCII, such as UTF-8 sequences, are kept as they are).
#include <string>
#include <string_view>

namespace racetiming::text {

std::string lower(std::string_view s);

}  // namespace racetiming::text
