#pragma once
// Keyset pagination shared by every list builder.
#include <cstddef>
#include <string>

#include "racetiming/store/value.hpp"

namespace racetiming {

struct PageRequest {
  std::size_t limit = 50;  // 1..1000
  std::string cursor{};    // next_cursor of the previous page; empty for the first
  std::string sort{};      // a whitelisted key, "-" in front for descending; empty for the list's default
};

struct Page {
  ResultSet rows;
  std::string next_cursor;  // empty on the last page
};

// A page written as JSON straight from the rows, as the API sends it ({"data": [...], "next_cursor":
// ...}), and its cursor apart (for a Link header).
struct PageJson {
  std::string json;
  std::string next_cursor;  // empty on the last page
};

}  // namespace racetiming
