#include "analytics/race_scope.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"

namespace racetiming::analytics::detail {

ResultSet no_races() {
  return {{"race_id", "race_name", "distance_m", "placement_basis", "event_id", "event_name", "event_date"}, {}};
}

void RaceScope::id_list(SqlWriter& w) const {
  w << "(";
  for (std::size_t i = 0; i < races.size(); ++i) {
    if (i) w << ", ";
    w.bind(races[i].race_id);
  }
  w << ")";
}

std::vector<std::pair<std::int64_t, std::int64_t>> RaceScope::distances() const {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : races) out.emplace_back(r.race_id, r.distance_m);
  return out;
}

RaceScope resolve_races(TenantSession& s, std::optional<std::int64_t> race_id, std::optional<std::int64_t> event_id) {
  if (!race_id && !event_id) throw Error(ErrorCode::invalid_parameter, "give race_id or event_id", "race_id");
  SqlWriter w(s.dialect());
  w << "SELECT ra.race_id, ra.race_name, ra.distance_m, ra.placement_basis, e.event_id, e.event_name, e.event_date "
       "FROM ct_races ra JOIN ct_events e ON e.event_id = ra.event_id AND e.timing_partner_id = ra.timing_partner_id "
       "WHERE ra.timing_partner_id = ";
  w.bind(s.partner_id());
  if (race_id) (w << " AND ra.race_id = ").bind(*race_id);
  if (event_id) (w << " AND ra.event_id = ").bind(*event_id);
  w << " ORDER BY ra.distance_m DESC, ra.race_id";
  RaceScope scope;
  scope.rows = s.query(w.take());
  if (scope.rows.rows.empty()) {
    const char* what = race_id ? "race_id" : "event_id";
    throw Error(ErrorCode::not_found, fmt::format("no {} {}", race_id ? "race" : "event with races", race_id ? *race_id : *event_id), what);
  }
  for (const auto& row : scope.rows.rows)
    scope.races.push_back({as_int(row[0]).value_or(0), as_int(row[4]).value_or(0), as_int(row[2]).value_or(0), as_text(row[3]) == "gun"});
  return scope;
}

}  // namespace racetiming::analytics::detail
