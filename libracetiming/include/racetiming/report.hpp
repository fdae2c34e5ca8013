#pragma once
// What an analytics call or a report answers: the races it covers, then its named tables of rows, in
// order. Times are milliseconds in `*_time_ms` columns (the formatters print them beside), percentages
// are numbers (0-100). The first table is the report's main one (what CSV carries).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "racetiming/store/value.hpp"

namespace racetiming {

struct Report {
  std::string kind;     // "performance", "demographics", "trends", "finishers", "awards", "boston_qualifiers"
  ResultSet races;      // what it covers: race_id, race_name, distance_m, placement_basis, event_id, event_name, event_date
  std::vector<std::pair<std::string, ResultSet>> tables;

  // The table of that name; Error(not_found, "table") when the report has none.
  const ResultSet& table(std::string_view name) const;
};

}  // namespace racetiming
