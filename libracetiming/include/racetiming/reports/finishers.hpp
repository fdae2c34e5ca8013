#pragma once
// The official results list of a race: every finisher in place order with bib, name, gender, age,
// division, division and gender place, chip and gun time, pace and age grade.
#include <cstdint>

#include "racetiming/report.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::reports {

// Table finishers: place, bib, name, gender, age, division, division_place, gender_place, chip_time_ms,
// gun_time_ms, pace_ms_per_km, age_grade, age_graded_time_ms, city, state, team, participant_id.
Report finishers(TenantSession& session, const sport::ReferenceTables& tables, std::int64_t race_id);

}  // namespace racetiming::reports
