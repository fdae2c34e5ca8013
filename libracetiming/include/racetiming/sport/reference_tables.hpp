#pragma once
// The sport's reference data an Engine reads: age-grading factors and Boston qualifying standards.
// The library carries this year's tables; a directory of CSV files replaces them without a rebuild
// (EngineOptions::reference_dir, the daemon's and the CLI's --data-dir, or RACETIMING_DATA_DIR).
#include <string>

#include "racetiming/sport/age_grading.hpp"
#include "racetiming/sport/qualifying.hpp"

namespace racetiming::sport {

struct ReferenceTables {
  AgeGradingTable age_grading;
  QualifyingTable boston_qualifying;

  // The tables built into the library (age-grade-2025.csv, boston-qualifying-2026.csv).
  static const ReferenceTables& built_in();
  // A directory's tables: the newest-named age-grade*.csv and boston-qualifying*.csv in it; a table the
  // directory lacks is the built-in one. Error(invalid_parameter, "data_dir") when it is not a
  // directory; Error(invalid_input) for a malformed file.
  static ReferenceTables from_directory(const std::string& dir);
};

}  // namespace racetiming::sport
