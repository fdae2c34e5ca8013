#include "racetiming/reports/boston_qualifiers.hpp"

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"

namespace racetiming::reports {

namespace detail = analytics::detail;

Report boston_qualifiers(TenantSession& s, const sport::ReferenceTables& tables, std::int64_t race_id) {
  const auto scope = detail::resolve_races(s, race_id, std::nullopt);
  Report report{"boston_qualifiers", scope.rows, {}};
  SqlWriter w(s.dialect());
  w << "SELECT x.place, x.bib, x.name, x.gender, x.age, x.chip_time_ms, x.standard_time_ms, "
       "x.standard_time_ms - x.chip_time_ms AS margin_time_ms, x.participant_id FROM (SELECT r.overall_place AS place, "
       "p.bib, p.first_name || ' ' || p.last_name AS name, p.gender, p.age, p.finish_time_ms AS chip_time_ms, "
    << detail::boston_standard_sql(tables.boston_qualifying, "p.gender", "p.age")
    << " AS standard_time_ms, p.participant_id FROM ct_participants p "
       "JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = p.timing_partner_id "
       "LEFT JOIN ct_results r ON r.participant_id = p.participant_id AND r.timing_partner_id = p.timing_partner_id AND r.is_final "
       "WHERE p.timing_partner_id = ";
  w.bind(s.partner_id());
  (w << " AND p.race_id = ").bind(race_id);
  // a marathon: the standard's own distance (the NL engine's Boston questions read the same rule)
  w << fmt::format(" AND ra.distance_m = {}", detail::kMarathonMetres)
    << " AND p.status = 'finished') x WHERE x.chip_time_ms <= x.standard_time_ms ORDER BY x.chip_time_ms, x.bib";
  report.tables.emplace_back("qualifiers", s.query(w.take()));
  return report;
}

}  // namespace racetiming::reports
