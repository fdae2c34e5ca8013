#pragma once
// A marathon's Boston qualifiers: finishers whose chip time is at or under the standard for their age
// (on race day) and gender, with the margin to spare. Women's standards apply to non-binary runners.
#include <cstdint>

#include "racetiming/report.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::reports {

// Table qualifiers: place, bib, name, gender, age, chip_time_ms, standard_time_ms, margin_time_ms,
// participant_id, fastest first. A race that is not a marathon has none. Error(not_found) for a race
// that is not the partner's.
Report boston_qualifiers(TenantSession& session, const sport::ReferenceTables& tables, std::int64_t race_id);

}  // namespace racetiming::reports
