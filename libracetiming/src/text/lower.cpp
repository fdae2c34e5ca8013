#include "text/lower.hpp"

#include <cctype>

namespace racetiming::text {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace racetiming::text
