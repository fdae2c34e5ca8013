#pragma once
// Boston Marathon qualifying standards, read from the table the library carries
// (libracetiming/data/boston-qualifying-2026.csv: replace the file for another year's standards).
#include <cstdint>
#include <span>

namespace racetiming::sport {

struct QualifyingStandard {
  char gender;  // M, F or X (non-binary runners have their own rows, equal to the women's)
  int age_min, age_max;
  std::int64_t standard_ms;  // a qualifier's chip time is at or under it
};

std::span<const QualifyingStandard> boston_standards();

}  // namespace racetiming::sport
