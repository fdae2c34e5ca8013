#include "racetiming/reports/awards.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"
#include "analytics/tallies.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/divisions.hpp"

namespace racetiming::reports {

namespace detail = analytics::detail;

namespace {

std::string gender_name(std::string_view g) { return g == "F" ? "Female" : g == "M" ? "Male" : "Non-binary"; }

void check_count(int n, const char* name) {
  if (n < 0 || n > 1000) throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be between 0 and 1000", name), name);
}

// WITH-list entries ending in "winners AS (...), ": the ids of each category's winners with ties, found
// by probing the first finishers in time order per gender (overall, masters) and per division, from the
// race's tallies' lists of genders and divisions. Without double awards each category skips the
// winners of the ones before it, as the ranking does.
void winner_probes(SqlWriter& w, std::int64_t partner, const AwardsRequest& request) {
  const auto first = [&](std::string_view group, std::string_view also, int count) {
    w << fmt::format("SELECT x.participant_id FROM {0}s CROSS JOIN LATERAL (SELECT p.participant_id FROM ct_participants p "
                     "WHERE p.timing_partner_id = ", group);
    w.bind(partner);
    (w << " AND p.race_id = ").bind(request.race_id);
    w << fmt::format(" AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL AND p.{0} = {0}s.value{1} "
                     "ORDER BY p.finish_time_ms FETCH FIRST {2} ROWS WITH TIES) x",
                     group, also, count);
  };
  const auto values = [&](std::string_view group, int dimension) {
    w << group << "s AS (SELECT t.value FROM race_tallies t WHERE t.timing_partner_id = ";
    w.bind(partner);
    (w << " AND t.race_id = ").bind(request.race_id);
    w << fmt::format(" AND t.dimension = {} AND t.status = 'finished' AND t.timed > 0 AND t.value <> ''), ", dimension);
  };
  values("gender", detail::tally_number(detail::TallyDimension::gender));
  values("division", detail::tally_number(detail::TallyDimension::division));
  const std::string skip = request.double_awards ? "" : " AND p.participant_id NOT IN (SELECT participant_id FROM overall";
  w << "overall AS (";
  first("gender", "", request.overall);
  w << "), masters AS (";
  first("gender", fmt::format(" AND p.age >= {}{}", detail::kMastersAge, skip.empty() ? "" : skip + ")"), request.masters);
  w << "), by_division AS (";
  first("division", skip.empty() ? "" : skip + " UNION ALL SELECT participant_id FROM masters)", request.division);
  w << "), winners AS (SELECT participant_id FROM overall UNION SELECT participant_id FROM masters UNION "
       "SELECT participant_id FROM by_division), ";
}

}  // namespace

Report awards(TenantSession& s, const AwardsRequest& request) {
  check_count(request.overall, "overall");
  check_count(request.masters, "masters");
  check_count(request.division, "division");
  const auto bands = request.division_bands.empty() ? std::vector<sport::AgeBand>{} : sport::parse_age_bands(request.division_bands);
  const auto scope = detail::resolve_races(s, request.race_id, std::nullopt);
  const bool gun = scope.races.at(0).gun;
  // a chip-placed race reads the entries' own finish times (one index, no join); gun times are the readings'
  const std::string time = gun ? "r.gun_time_ms" : "p.finish_time_ms";
  const std::string n = std::to_string(request.overall), m = std::to_string(request.masters), dv = std::to_string(request.division);
  const std::string twice = request.double_awards ? "1 = 1" : "1 = 0";
  // Each category ranks those still eligible: without double awards, an overall winner leaves the
  // masters and division rankings, a masters winner the division rankings, and the next finisher moves up.
  const std::string masters_ok = fmt::format("o.age >= {} AND ({} OR o.overall_rank > {})", detail::kMastersAge, twice, n);
  const std::string division_ok = fmt::format("m.division IS NOT NULL AND ({} OR (m.overall_rank > {} AND (m.masters_rank IS NULL OR m.masters_rank > {})))", twice, n, m);
  SqlWriter w(s.dialect());
  w << "WITH ";
  // On PostgreSQL a chip-placed race with its entries' own divisions ranks its winners only: each
  // category's first finishers with ties, probed per gender and per division through the finishers' time
  // indexes (migrations 010, 011), skipping those an earlier category already took unless awards double.
  // The ranks below then come out as over the whole field: every finisher faster than a winner of a
  // category is in it, and anyone else is slower than all of its winners (see the design notes).
  const bool probe = s.dialect() == Dialect::postgresql && !gun && bands.empty();
  if (probe) winner_probes(w, s.partner_id(), request);
  // The rankings sort narrow rows (id, gender, age, division, time); names join the winners alone.
  // Genders partition as small integers: PostgreSQL sorts 31,000 rows by (integer, time) at twice the
  // speed of (text, time).
  w << "f AS (SELECT p.participant_id, p.gender, CASE p.gender WHEN 'F' THEN 1 WHEN 'M' THEN 2 ELSE 3 END AS g, p.age, ";
  if (bands.empty()) {
    w << "p.division";
  } else {  // the race's own award divisions: gender and band, as the entries' divisions are written
    w << "CASE";
    for (const auto& band : bands) {
      (w << " WHEN p.age >= ").bind(std::int64_t{band.min_age});
      if (band.max_age) (w << " AND p.age <= ").bind(std::int64_t{band.max_age});
      (w << " THEN p.gender || ").bind(band.label);
    }
    w << " END";
  }
  w << " AS division, " << time << " AS t FROM ct_participants p";
  if (gun)
    w << " JOIN ct_results r ON r.participant_id = p.participant_id AND r.timing_partner_id = p.timing_partner_id AND r.is_final";
  w << " WHERE p.timing_partner_id = ";
  w.bind(s.partner_id());
  (w << " AND p.race_id = ").bind(request.race_id);
  w << " AND p.status = 'finished' AND " << time << " IS NOT NULL";
  if (probe) w << " AND p.participant_id IN (SELECT c.participant_id FROM winners c)";
  w << "), "
    << "o AS (SELECT f.*, RANK() OVER (PARTITION BY f.g ORDER BY f.t) AS overall_rank FROM f), "
    << fmt::format("m AS (SELECT o.*, CASE WHEN {0} THEN RANK() OVER (PARTITION BY o.g, CASE WHEN {0} THEN 1 ELSE 0 END "
                   "ORDER BY o.t) END AS masters_rank FROM o), ", masters_ok)
    << fmt::format("d AS (SELECT m.*, CASE WHEN {0} THEN RANK() OVER (PARTITION BY m.division, CASE WHEN {0} THEN 1 ELSE 0 END "
                   "ORDER BY m.t) END AS division_rank FROM m) ", division_ok)
    << "SELECT d.participant_id, p.bib, p.first_name || ' ' || p.last_name AS name, d.gender, d.age, d.division, d.t, "
       "d.overall_rank, d.masters_rank, d.division_rank FROM d JOIN ct_participants p ON p.participant_id = d.participant_id "
       "AND p.timing_partner_id = ";
  w.bind(s.partner_id());
  w << fmt::format(" WHERE d.overall_rank <= {} OR d.masters_rank <= {} OR d.division_rank <= {} ORDER BY d.t, p.bib", n, m, dv);
  Sql sql = w.take();
  // planned for its race each time: a generic plan walks and sorts the whole race instead of probing it
  sql.reuse_plan = !probe;
  const ResultSet winners = s.query(sql);

  // One row per award, by category, group and place; a tie is a place that two or more share.
  struct Award {
    int category;          // 0 overall, 1 masters, 2 division
    std::string group;     // gender or division
    std::int64_t place;
    std::size_t row;
  };
  std::vector<Award> list;
  std::map<std::tuple<int, std::string, std::int64_t>, int> sharing;
  const int limits[] = {request.overall, request.masters, request.division};
  for (std::size_t i = 0; i < winners.rows.size(); ++i) {
    const auto& row = winners.rows[i];
    for (int c = 0; c < 3; ++c) {
      const auto rank = as_int(row[7 + c]);
      if (!rank || *rank > limits[c]) continue;
      Award a{c, as_text(row[c == 2 ? 5 : 3]), *rank, i};
      ++sharing[{a.category, a.group, a.place}];
      list.push_back(std::move(a));
    }
  }
  std::stable_sort(list.begin(), list.end(), [](const Award& a, const Award& b) {
    return std::tie(a.category, a.group, a.place) < std::tie(b.category, b.group, b.place);
  });
  ResultSet table{{"award", "category", "place", "name", "bib", "gender", "age", "division", "time_ms", "tie", "participant_id"}, {}};
  static constexpr const char* kCategory[] = {"overall", "masters", "division"};
  for (const Award& a : list) {
    const auto& row = winners.rows[a.row];
    const std::string label = a.category == 2 ? a.group : fmt::format("{} {}", a.category == 0 ? "Overall" : "Masters", gender_name(a.group));
    table.rows.push_back({label, std::string(kCategory[a.category]), a.place, row[2], row[1], row[3], row[4], row[5], row[6],
                          std::int64_t{sharing[{a.category, a.group, a.place}] > 1}, row[0]});
  }
  Report report{"awards", scope.rows, {}};
  report.tables.emplace_back("awards", std::move(table));
  return report;
}

}  // namespace racetiming::reports
