#pragma once
// Internal: the races an analytics call or a report reads, resolved for the session's partner (another
// partner's race or event is not found, exactly like one that does not exist).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "racetiming/store/tenant_session.hpp"

namespace racetiming::analytics::detail {

struct ScopedRace {
  std::int64_t race_id = 0, event_id = 0, distance_m = 0;
  bool gun = false;  // placed by gun time
};

// A report's races table, without rows yet: race_id, race_name, distance_m, placement_basis, event_id,
// event_name, event_date.
ResultSet no_races();

struct RaceScope {
  ResultSet rows = no_races();  // the races, in those columns
  std::vector<ScopedRace> races;

  // "(?2, ?3)": the race ids bound into w, for an IN list.
  void id_list(SqlWriter& w) const;
  std::vector<std::pair<std::int64_t, std::int64_t>> distances() const;  // race id, metres
};

// One race, or every race of one event (longest first). Error(not_found, "race_id" | "event_id").
RaceScope resolve_races(TenantSession& s, std::optional<std::int64_t> race_id, std::optional<std::int64_t> event_id);
}  // namespace racetiming::analytics::detail
