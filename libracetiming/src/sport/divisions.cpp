#include "racetiming/sport/divisions.hpp"

#include <fmt/format.h>

namespace racetiming::sport {

std::string division_for(char gender, int age) {
  if (age < 15) return fmt::format("{}01-14", gender);
  if (age >= 80) return fmt::format("{}80+", gender);
  const int low = age / 5 * 5;
  return fmt::format("{}{}-{}", gender, low, low + 4);
}

}  // namespace racetiming::sport
