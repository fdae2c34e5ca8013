#include "racetiming/analytics/performance.hpp"

#include <array>
#include <map>

#include <fmt/format.h>

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::analytics {
namespace {

using detail::RaceScope;

constexpr double kFractions[] = {0.1, 0.25, 0.5, 0.75, 0.9};
constexpr const char* kPercentileNames[] = {"p10_time_ms", "p25_time_ms", "median_time_ms", "p75_time_ms", "p90_time_ms"};

// PostgreSQL: the same table as statistics_sql below, each grouping read from the finishers' index in
// the order its percentiles need (migrations 011 and 013): the race's from (race, time), the genders'
// from (race, gender, time), the divisions' from (race, division, time). Each group's times arrive
// sorted, so no grouping sorts the race and percentile_cont's own sort is a pass over sorted input;
// age grades are read from arrays (age_standard_array_sql), and the race's are summed from its genders'
// instead of graded a second time. The largest prod race: 82 -> 36 ms under pgbench (docs/performance.md).
ResultSet statistics_postgresql(TenantSession& s, const sport::ReferenceTables& tables, const RaceScope& scope) {
  const Dialect d = Dialect::postgresql;
  const auto distances = scope.distances();
  const std::string grade = detail::age_grade_hundredths_sql("p.finish_time_ms", detail::age_standard_array_sql(tables.age_grading, distances));
  std::string percentiles;
  for (std::size_t i = 0; i < std::size(kFractions); ++i)
    percentiles += fmt::format(", {} AS {}", detail::rounded(d, detail::percentile_sql(kFractions[i]), 0),
                               kPercentileNames[i]);
  const std::string times =
      fmt::format("COUNT(*) AS finishers, MIN(x.v) AS min_time_ms, {} AS mean_time_ms, MAX(x.v) AS max_time_ms", detail::rounded(d, "AVG(x.v)", 0));
  SqlWriter w(d);
  const auto finishers = [&](std::string_view columns) {
    w << "(SELECT p.race_id" << columns << ", p.finish_time_ms AS v FROM ct_participants p WHERE p.timing_partner_id = ";
    w.bind(s.partner_id());
    w << " AND p.race_id IN ";
    scope.id_list(w);
    w << " AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL) x";
  };
  w << "WITH by_gender AS (SELECT x.race_id, x.gender, " << times
    << ", SUM(x.g) AS grade_sum, COUNT(x.g) AS graded, MAX(x.g) AS best_grade" << percentiles << " FROM ";
  finishers(", p.gender, " + grade + " AS g");
  w << " GROUP BY x.race_id, x.gender), overall AS (SELECT x.race_id, " << times << percentiles << " FROM ";
  finishers("");
  w << " GROUP BY x.race_id), overall_grades AS (SELECT race_id, SUM(grade_sum) AS grade_sum, SUM(graded) AS graded, "
       "MAX(best_grade) AS best_grade FROM by_gender GROUP BY race_id)";
  const auto graded = [&](std::string_view t) {
    return fmt::format("{} / 100.0 AS mean_age_grade, {}.best_grade / 100.0 AS best_age_grade",
                       detail::rounded(d, fmt::format("{0}.grade_sum / NULLIF({0}.graded, 0)", t), 0), t);
  };
  std::string percentile_columns;
  for (const char* name : kPercentileNames) percentile_columns += fmt::format(", {}", name);
  w << " SELECT o.race_id, 0 AS dimension, CAST(NULL AS TEXT) AS value, o.finishers, o.min_time_ms, o.mean_time_ms, "
       "o.max_time_ms, "
    << graded("og") << percentile_columns << " FROM overall o LEFT JOIN overall_grades og ON og.race_id = o.race_id"
    << " UNION ALL SELECT race_id, 1, gender, finishers, min_time_ms, mean_time_ms, max_time_ms, " << graded("by_gender")
    << percentile_columns << " FROM by_gender UNION ALL SELECT x.race_id, 2, x.division, " << times << ", "
    << detail::rounded(d, "AVG(x.g)", 0) << " / 100.0, MAX(x.g) / 100.0" << percentiles << " FROM ";
  finishers(", p.division, " + grade + " AS g");
  w << " GROUP BY x.race_id, x.division ORDER BY 1, 2, 3";
  return s.query(w.take());
}

// The statistics of finish times by race, by race and gender, and by race and division, in one
// statement: the finishers are read (and age-graded) once into `f`, which the three groupings share.
ResultSet statistics_sql(TenantSession& s, const sport::ReferenceTables& tables, const RaceScope& scope) {
  const Dialect d = s.dialect();
  detail::Distribution dist;
  dist.keys = {"race_id", "dimension", "value"};
  dist.aggregates = {"COUNT(*) AS finishers",
                     "MIN(x.v) AS min_time_ms",
                     detail::rounded(d, "AVG(x.v)", 0) + " AS mean_time_ms",
                     "MAX(x.v) AS max_time_ms",
                     detail::rounded(d, "AVG(x.g)", 0) + " / 100.0 AS mean_age_grade",
                     "MAX(x.g) / 100.0 AS best_age_grade"};
  dist.carried = {"g"};
  for (std::size_t i = 0; i < std::size(kFractions); ++i) dist.percentiles.emplace_back(kFractions[i], kPercentileNames[i]);
  const auto distances = scope.distances();
  SqlWriter w(d);
  w << "WITH " << detail::age_standards_cte(tables.age_grading, distances)
    << ", f AS (SELECT p.race_id, p.gender, p.division, p.finish_time_ms AS v, "
    << detail::age_grade_hundredths_sql("p.finish_time_ms")
    << " AS g FROM ct_participants p" << detail::age_standards_join() << " WHERE p.timing_partner_id = ";
  w.bind(s.partner_id());
  w << " AND p.race_id IN ";
  scope.id_list(w);
  w << " AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL)";
  static constexpr const char* kGroups[] = {"NULL", "f.gender", "f.division"};
  for (int i = 0; i < 3; ++i) {
    w << (i ? " UNION ALL SELECT * FROM (" : " SELECT * FROM (");
    detail::distribution(w, d, dist, [&](SqlWriter& out) {
      out << fmt::format("SELECT f.race_id AS k1, {} AS k2, {} AS k3, f.v, f.g FROM f", i, kGroups[i]);
    });
    w << fmt::format(") q{}", i);
  }
  return s.query(w.take());
}

// The three tables (overall, by gender, by division), with paces.
std::array<ResultSet, 3> statistics(TenantSession& s, const sport::ReferenceTables& tables, const RaceScope& scope) {
  const ResultSet rows = s.dialect() == Dialect::postgresql ? statistics_postgresql(s, tables, scope) : statistics_sql(s, tables, scope);
  const auto distances = scope.distances();
  // split by grouping; pace beside the times: a unit conversion of the aggregates, by the race's distance
  std::map<std::int64_t, std::int64_t> distance_of(distances.begin(), distances.end());
  std::array<ResultSet, 3> out;
  for (int i = 0; i < 3; ++i) {
    out[i].columns = {"race_id"};
    if (i == 1) out[i].columns.emplace_back("gender");
    if (i == 2) out[i].columns.emplace_back("division");
    out[i].columns.insert(out[i].columns.end(), rows.columns.begin() + 3, rows.columns.end());
    out[i].columns.insert(out[i].columns.end(), {"mean_pace_ms_per_km", "median_pace_ms_per_km"});
  }
  const std::size_t mean = rows.column("mean_time_ms"), median = rows.column("median_time_ms");
  for (const auto& row : rows.rows) {
    const auto i = static_cast<std::size_t>(as_int(row[1]).value_or(0));
    std::vector<Value> line{row[0]};
    if (i > 0) line.push_back(row[2]);
    line.insert(line.end(), row.begin() + 3, row.end());
    const std::int64_t metres = distance_of[as_int(row[0]).value_or(0)];
    for (std::size_t c : {mean, median}) {
      const auto t = as_int(row[c]);
      if (t && metres > 0) line.emplace_back(sport::pace_ms_per_km(*t, metres));
      else line.emplace_back();
    }
    out.at(i).rows.push_back(std::move(line));
  }
  return out;
}

std::vector<Value> bin_row(std::int64_t race_id, std::int64_t from_ms, std::int64_t to_ms, std::int64_t finishers) {
  std::vector<Value> row;
  row.reserve(4);
  for (std::int64_t v : {race_id, from_ms, to_ms, finishers}) row.emplace_back(v);
  return row;
}

ResultSet histogram(TenantSession& s, const RaceScope& scope) {
  SqlWriter w(s.dialect());
  w << "SELECT p.race_id, p.finish_time_ms / ";
  if (scope.races.size() == 1) {
    w.bind(histogram_bin_ms(scope.races[0].distance_m));  // a CASE per finisher cost an eighth of the query
  } else {
    w << "CASE p.race_id";
    for (const auto& r : scope.races) {
      (w << " WHEN ").bind(r.race_id);
      (w << " THEN ").bind(histogram_bin_ms(r.distance_m));
    }
    w << " END";
  }
  w << " AS bin, COUNT(*) AS finishers FROM ct_participants p WHERE p.timing_partner_id = ";
  w.bind(s.partner_id());
  w << " AND p.race_id IN ";
  scope.id_list(w);
  w << " AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL GROUP BY p.race_id, bin ORDER BY p.race_id, bin";
  Sql sql = w.take();
  // planned for its race: a generic plan sorts the race's finishers to group them (10.3 against 6.9 ms
  // on the largest prod race, planning included)
  sql.reuse_plan = false;
  const ResultSet counted = s.query(sql);
  // every bin from the fastest finisher's to the slowest's, the empty ones too, so a chart reads straight
  ResultSet out{{"race_id", "from_time_ms", "to_time_ms", "finishers"}, {}};
  std::map<std::int64_t, std::int64_t> width;
  for (const auto& r : scope.races) width[r.race_id] = histogram_bin_ms(r.distance_m);
  std::int64_t race = -1, next_bin = 0;
  for (const auto& row : counted.rows) {
    const std::int64_t id = as_int(row[0]).value_or(0), bin = as_int(row[1]).value_or(0), w_ms = width[id];
    if (id != race) race = id, next_bin = bin;
    for (; next_bin < bin; ++next_bin) out.rows.push_back(bin_row(id, next_bin * w_ms, (next_bin + 1) * w_ms, 0));
    out.rows.push_back(bin_row(id, bin * w_ms, (bin + 1) * w_ms, as_int(row[2]).value_or(0)));
    next_bin = bin + 1;
  }
  return out;
}

}  // namespace

std::int64_t histogram_bin_ms(std::int64_t distance_m) noexcept {
  if (distance_m <= 10'000) return 60'000;
  if (distance_m < 21'000) return 120'000;
  return 300'000;
}

Report performance(TenantSession& s, const sport::ReferenceTables& tables, const PerformanceRequest& request) {
  if (request.race_id && request.event_id)
    throw Error(ErrorCode::invalid_parameter, "give race_id or event_id, not both", "event_id");
  RaceScope scope = detail::resolve_races(s, request.race_id, request.event_id);
  Report report{"performance", scope.rows, {}};
  auto [overall, by_gender, by_division] = statistics(s, tables, scope);
  report.tables.emplace_back("overall", std::move(overall));
  report.tables.emplace_back("by_gender", std::move(by_gender));
  report.tables.emplace_back("by_division", std::move(by_division));
  report.tables.emplace_back("histogram", histogram(s, scope));
  return report;
}

}  // namespace racetiming::analytics
