#pragma once
// A race's awards: the top `overall` per gender, then (optionally) the top `masters` (40+) per gender,
// then the top `division` of each division, ranked by the race's placement basis (chip or gun time).
// Without double awards an athlete wins one award only, the first of that order, and the next finisher
// moves up; ties share the award (and may make a category larger than N).
#include <cstdint>

#include "racetiming/report.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::reports {

struct AwardsRequest {
  std::int64_t race_id = 0;
  int overall = 3;    // per gender; 0: none
  int masters = 0;    // per gender, 40 and over; 0: no masters awards
  int division = 3;   // per division; 0: none
  bool double_awards = false;
  // This race's award divisions instead of the standard 5-year bands of the entries ("1-19,20-29,
  // 30-39,40-49,50-59,60+", see sport::parse_age_bands); empty: the entries' own divisions.
  std::string division_bands = {};
};

// Table awards: award ("Overall F", "Masters M", "F40-44"), category (overall, masters, division),
// place, name, bib, gender, age, division, time_ms, tie (1 when another finisher shares the place),
// participant_id. Error(invalid_parameter) for a negative count (or over 1000) or malformed bands.
Report awards(TenantSession& session, const AwardsRequest& request);

}  // namespace racetiming::reports
