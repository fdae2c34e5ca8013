#pragma once
// How a recurring event, or the partner's whole calendar, changes over the years: entries, finishers,
// finish rate, median finish time, share of women and of masters (40+) in the field.
#include <cstdint>
#include <optional>
#include <string>

#include "racetiming/report.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::analytics {

struct TrendsRequest {
  // Per edition of the event of this name (case-insensitive), one race each: the race of distance_m,
  // else the race the event's name names ("... Marathon"), else its longest.
  std::string event_name;
  // Per year across the partner (when event_name is empty), from..to inclusive; median times then read
  // only races of distance_m (none given: no median).
  std::optional<int> year_from, year_to;
  std::optional<std::int64_t> distance_m;
};

// One table, editions or years: year, event_id / event_date / race_id (editions) or events (years),
// entries, starters, finishers, finish_rate, median_time_ms, women_percent, masters_percent.
// Error(not_found, "event_name") when no event has that name.
Report trends(TenantSession& session, const TrendsRequest& request);

}  // namespace racetiming::analytics
