#pragma once
// Age-group divisions: 5-year bands by age on race day, "F01-14", "F15-19", ... "F75-79", "F80+".
#include <string>

namespace racetiming::sport {

// gender is 'M', 'F' or 'X'; age in years (values under 15 fall in the 01-14 band).
std::string division_for(char gender, int age);

}  // namespace racetiming::sport
