#include "racetiming/reports/finishers.hpp"

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"

namespace racetiming::reports {

namespace detail = analytics::detail;

Report finishers(TenantSession& s, const sport::ReferenceTables& tables, std::int64_t race_id) {
  const auto scope = detail::resolve_races(s, race_id, std::nullopt);
  const Dialect d = s.dialect();
  SqlWriter w(d);
  // places are the stored ones: every write keeps them (ranked by the race's placement basis)
  w << "WITH " << detail::age_standards_cte(tables.age_grading, scope.distances())
    << " SELECT r.overall_place AS place, p.bib, p.first_name || ' ' || p.last_name AS name, p.gender, p.age, "
       "p.division, r.division_place, r.gender_place, r.results_time_ms AS chip_time_ms, r.gun_time_ms, r.pace_ms_per_km, "
    << detail::age_grade_sql("r.results_time_ms") << " AS age_grade, " << detail::age_graded_time_sql("r.results_time_ms")
    << " AS age_graded_time_ms, p.city, p.state, p.team, p.participant_id FROM ct_participants p "
       "JOIN ct_results r ON r.participant_id = p.participant_id AND r.timing_partner_id = p.timing_partner_id AND r.is_final"
    << detail::age_standards_join() << " WHERE p.timing_partner_id = ";
  w.bind(s.partner_id());
  (w << " AND p.race_id = ").bind(race_id);
  w << " AND p.status = 'finished' ORDER BY r.overall_place IS NULL, r.overall_place, p.bib";
  Report report{"finishers", scope.rows, {}};
  report.tables.emplace_back("finishers", s.query(w.take()));
  return report;
}

}  // namespace racetiming::reports
