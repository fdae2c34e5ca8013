#pragma once
// Who ran: entries, starters (started, finished, dnf or dq) and finishers, and the finish rate
// (finishers / starters, percent), in all and by gender, division, age band (under 20, 20-29, ... 70+),
// state, country and team. For one race, one event, one year, or all of the partner's data.
#include <cstdint>
#include <optional>

#include "racetiming/report.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::analytics {

struct DemographicsRequest {
  std::optional<std::int64_t> race_id, event_id;  // at most one
  std::optional<int> year;                         // events of that year (with neither id)
};

// Tables: totals, by_gender, by_division, by_age_band, by_state, by_country, by_team (value, entries,
// starters, finishers, finish_rate). `races` lists the races read (none for a year or the whole partner).
Report demographics(TenantSession& session, const DemographicsRequest& request);

}  // namespace racetiming::analytics
