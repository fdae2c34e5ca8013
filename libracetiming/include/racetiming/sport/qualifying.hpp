#pragma once
// Boston Marathon qualifying standards: a table read from CSV (gender,age_min,age_max,standard), so that
// next year's standards replace this year's without a rebuild (see sport/reference_tables.hpp).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace racetiming::sport {

struct QualifyingStandard {
  char gender;  // M, F or X (non-binary runners have their own rows, equal to the women's)
  int age_min, age_max;
  std::int64_t standard_ms;  // a qualifier's chip time is at or under it
};

class QualifyingTable {
 public:
  // Error(invalid_input) naming `source` and the line for a malformed table (a missing column, a gender
  // other than M/F/X, a bad age range or time).
  static QualifyingTable parse(std::string_view csv, std::string_view source = "qualifying table");

  // The rows as read; the rule that applies them is SQL (analytics/measures.hpp), for reports and NL alike.
  std::span<const QualifyingStandard> standards() const noexcept { return rows_; }

 private:
  std::vector<QualifyingStandard> rows_;
};

}  // namespace racetiming::sport
