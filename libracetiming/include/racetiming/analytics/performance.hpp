#pragma once
// How a race ran: finishers and chip-time statistics (min, mean, p10, p25, median, p75, p90, max),
// pace, mean and best age grade, overall, by gender and by division; and a finish-time histogram
// (1-minute bins up to 10K, 2-minute bins under a half marathon, 5-minute bins from the half up) whose
// counts sum to the finishers. For one race, or each race of one event.
#include <cstdint>
#include <optional>

#include "racetiming/report.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::analytics {

struct PerformanceRequest {
  std::optional<std::int64_t> race_id, event_id;  // one of them
};

// Tables: overall, by_gender, by_division (race_id, the group, finishers, *_time_ms statistics,
// mean_pace_ms_per_km, median_pace_ms_per_km, mean_age_grade, best_age_grade) and histogram (race_id,
// from_time_ms, to_time_ms, finishers). Error(not_found) for a race or event that is not the partner's.
Report performance(TenantSession& session, const sport::ReferenceTables& tables, const PerformanceRequest& request);

// The histogram's bin width for a race of that distance.
std::int64_t histogram_bin_ms(std::int64_t distance_m) noexcept;

}  // namespace racetiming::analytics
