#pragma once
// Age-group divisions: 5-year bands by age on race day, "F01-14", "F15-19", ... "F75-79", "F80+".
#include <string>
#include <string_view>
#include <vector>

namespace racetiming::sport {

// gender is 'M', 'F' or 'X'; age in years (values under 15 fall in the 01-14 band).
std::string division_for(char gender, int age);

// Age bands a race may award by instead ("1-19,20-29,30-39,40-49,50-59,60+": ascending, not
// overlapping; the last may be open, "60+"). Error(invalid_parameter, "division_bands") otherwise.
struct AgeBand {
  int min_age, max_age;  // max_age 0: open ("60+")
  std::string label;     // after the gender letter: "01-19", "60+"
};
std::vector<AgeBand> parse_age_bands(std::string_view text);

}  // namespace racetiming::sport
