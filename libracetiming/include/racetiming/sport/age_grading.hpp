#pragma once
// Age grading (WMA / USATF road standards): how a finish compares with the best for the runner's age and
// gender. Read from CSV (gender,event,distance_km,open_standard_s,age,factor), one row per gender, event
// and age. Age standard = open standard / factor; age grade % = 100 * age standard / time; age-graded
// time = time * factor. Distances between two listed ones interpolate open standard and factor linearly
// on log(distance); outside the listed range, and for ages the table lacks, there is no grade.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace racetiming::sport {

struct AgeStandard {
  double standard_ms;  // the age standard: open standard / factor
  double factor;
};

struct AgeGrade {
  double percent;                // 77.68: to the hundredth
  std::int64_t graded_time_ms;   // time * factor, to the millisecond
};

class AgeGradingTable {
 public:
  // Error(invalid_input) naming `source` and the line for a malformed table.
  static AgeGradingTable parse(std::string_view csv, std::string_view source = "age-grading table");

  // Gender M or F; X is graded against the women's standards (as Boston qualifying treats it).
  // Reports and analytics grade in SQL from these standards (analytics/measures.hpp).
  std::optional<AgeStandard> standard(char gender, int age, std::int64_t distance_m) const noexcept;
  // One finish's grade, for a row on its own (a results page): the same rounding as the SQL, so that a
  // row and a report agree to the hundredth. A gender other than M or F is graded as X, as there. None
  // without a standard or a positive time.
  std::optional<AgeGrade> grade(char gender, int age, std::int64_t distance_m, std::int64_t time_ms) const noexcept;
  // The ages the table covers.
  int min_age() const noexcept { return min_age_; }
  int max_age() const noexcept { return max_age_; }

 private:
  struct Row {
    int gender;  // 0 men, 1 women
    double distance_m;
    int age;
    double open_standard_s, factor;
  };
  const Row* find(int gender, double distance_m, int age) const noexcept;

  std::vector<Row> rows_;  // sorted by gender, distance, age
  std::vector<double> distances_[2];  // each gender's listed distances, ascending
  int min_age_ = 0, max_age_ = 0;
};

}  // namespace racetiming::sport
