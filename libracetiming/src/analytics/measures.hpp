#pragma once
// Internal: the measures analytics, reports and the NL engine share, as SQL text. One definition each:
// a percentile (linear interpolation between the two nearest ranks, PostgreSQL's percentile_cont), an
// age grade (a finish time against its age standard) and a Boston standard (the qualifying table as a
// CASE). Rounding is decimal on both databases (half away from zero), so both print the same numbers.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analytics/tallies.hpp"
#include "racetiming/sport/age_grading.hpp"
#include "racetiming/sport/qualifying.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming::analytics::detail {

// expr rounded to `digits` decimals: a BIGINT for 0 digits.
inline std::string rounded(Dialect d, std::string_view expr, int digits) {
  if (d == Dialect::postgresql)
    return digits == 0 ? fmt::format("CAST(ROUND(CAST({} AS NUMERIC)) AS BIGINT)", expr)
                       : fmt::format("ROUND(CAST({} AS NUMERIC), {})", expr, digits);
  return digits == 0 ? fmt::format("CAST(ROUND({}) AS INTEGER)", expr) : fmt::format("ROUND({}, {})", expr, digits);
}

// Masters: 40 and over on race day (awards, trends).
inline constexpr int kMastersAge = 40;

// An entry's counts as a field is described: entries, starters (every entry that crossed the start, a
// DQ too; registered and DNS entries did not), finishers, and the finish rate (finishers per 100
// starters, a tenth of a percent).
// `row` names the entries' table or its alias; `weight` is what each row counts for (1 for an entry,
// a count column for rows that are groups of entries).
inline std::string entry_counts_sql(Dialect d, std::string_view row = "p", std::string_view weight = "1") {
  const std::string started =
      fmt::format("SUM(CASE WHEN {}.status IN ('started', 'finished', 'dnf', 'dq') THEN {} ELSE 0 END)", row, weight);
  const std::string finished = fmt::format("SUM(CASE WHEN {}.status = 'finished' THEN {} ELSE 0 END)", row, weight);
  return fmt::format("{} AS entries, {} AS starters, {} AS finishers, {} AS finish_rate",
                     weight == "1" ? std::string("COUNT(*)") : fmt::format("SUM({})", weight), started, finished,
                     rounded(d, fmt::format("100.0 * {} / NULLIF({}, 0)", finished, started), 1));
}

// PostgreSQL: the percentile `fraction` of `value` over a group's rows, as `distribution` reads it.
inline std::string percentile_sql(double fraction, std::string_view value = "x.v") {
  return fmt::format("percentile_cont({}) WITHIN GROUP (ORDER BY {})", fraction, value);
}

// A distribution's select: its rows come from `population`, a SELECT giving group keys k1..kN (as many
// as `keys` names) and the value v, plus the `carried` columns `aggregates` read (as x.name). Writes
//   SELECT k1 AS keys[0], ..., aggregates..., the percentiles (fraction, column name) ... GROUP BY keys
struct Distribution {
  std::vector<std::string> keys = {};                     // output names of the group keys
  std::vector<std::string> aggregates = {};               // over x.v and carried columns: "COUNT(*) AS finishers"
  std::vector<std::string> carried = {};                  // population columns besides k1..kN and v
  std::vector<std::pair<double, std::string>> percentiles;  // fraction in [0, 1], output name
  int digits = 0;                                         // of each percentile
};

template <class Writer, class Population>
void distribution(Writer& w, Dialect d, const Distribution& dist, Population&& population) {
  std::string key_list;
  for (std::size_t i = 0; i < dist.keys.size(); ++i) key_list += fmt::format("{}x.k{}", i ? ", " : "", i + 1);
  w << "SELECT ";
  std::string sep;
  for (std::size_t i = 0; i < dist.keys.size(); ++i) {
    w << sep << fmt::format("x.k{} AS {}", i + 1, dist.keys[i]);
    sep = ", ";
  }
  for (const auto& a : dist.aggregates) {
    w << sep << a;
    sep = ", ";
  }
  for (const auto& [fraction, name] : dist.percentiles) {
    std::string value;
    if (d == Dialect::postgresql) {
      value = percentile_sql(fraction);
    } else {
      // rows rn = floor(f * (n - 1)) + 1 and the next, as percentile_cont reads them
      const std::string at = fmt::format("({} * (x.n - 1))", fraction);
      const std::string lo = fmt::format("MAX(CASE WHEN x.rn = CAST({} AS INTEGER) + 1 THEN x.v END)", at);
      const std::string hi = fmt::format("MAX(CASE WHEN x.rn = CAST({} AS INTEGER) + 2 THEN x.v END)", at);
      value = fmt::format("({0} + (COALESCE({1}, {0}) - {0}) * ({2} - CAST({2} AS INTEGER)))", lo, hi, at);
    }
    w << sep << rounded(d, value, dist.digits) << " AS " << name;
    sep = ", ";
  }
  if (d == Dialect::postgresql) {
    w << " FROM (";
    population(w);
    w << ") x";
  } else {
    const std::string partition = key_list.empty() ? "" : "PARTITION BY " + key_list + " ";
    // named columns, never x.*: the NL engine's guard allows no star
    std::string columns = key_list.empty() ? "x.v" : key_list + ", x.v";
    for (const auto& c : dist.carried) columns.append(", x.").append(c);
    w << " FROM (SELECT " << columns << ", ROW_NUMBER() OVER (" << partition << "ORDER BY x.v) AS rn, COUNT(*) OVER ("
      << partition << ") AS n FROM (";
    population(w);
    w << ") x) x";
  }
  if (!key_list.empty()) w << " GROUP BY " << key_list << " ORDER BY " << key_list;
}

// The median finish time of each of `races` (ids), as `distribution` gives it with percentile 0.5, read
// instead at the middle of the race's finishers in finish-time order (the index of migration 010): the
// race's tallies count its finishers n, so the median is the row at offset (n - 1) / 2, or the mean of
// it and the next when n is even, rounded half up as `rounded` does: (a + b + 1) / 2 in integers. Half
// the race's index entries are read and nothing is sorted. With `gender`, of that gender's finishers
// (the index holds the gender; the gender's tallies count them). Writes rows (k, median_time_ms); a
// race with no finisher has NULL.
// `partner(w)` writes the partner's id (bound, or a placeholder bound already).
template <class Writer, class Partner>
void race_medians(Writer& w, Partner&& partner, std::span<const std::int64_t> races, const std::optional<std::string>& gender = {}) {
  for (std::size_t i = 0; i < races.size(); ++i) {
    const auto finishers = [&] {
      w << "(SELECT CAST(COALESCE(SUM(t.timed), 0) AS BIGINT) FROM race_tallies t WHERE t.timing_partner_id = ";
      partner(w);
      (w << " AND t.race_id = ").bind(races[i])
          << fmt::format(" AND t.dimension = {}", tally_number(gender ? TallyDimension::gender : TallyDimension::all));
      if (gender) (w << " AND t.value = ").bind(*gender);
      w << " AND t.status = 'finished')";
    };
    w << (i ? " UNION ALL " : "") << "SELECT CAST(";
    w.bind(races[i]);
    w << " AS BIGINT) AS k, (MIN(m.v) + MAX(m.v) + 1) / 2 AS median_time_ms FROM (SELECT p.finish_time_ms AS v "
         "FROM ct_participants p WHERE p.timing_partner_id = ";
    partner(w);
    (w << " AND p.race_id = ").bind(races[i]);
    w << " AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL";
    if (gender) (w << " AND p.gender = ").bind(*gender);
    w << " ORDER BY p.finish_time_ms LIMIT 2 - ";
    finishers();
    w << " % 2 OFFSET (";
    finishers();
    w << " - 1) / 2) m";
  }
}

// A marathon, as Boston qualifying reads races: exactly 42,195 m.
inline constexpr std::int64_t kMarathonMetres = 42195;

// The Boston standard (ms) of a runner of that gender and age: NULL where no row of the table covers
// them. The numbers are the table's, written as literals (no value of a request enters here).
inline std::string boston_standard_sql(const sport::QualifyingTable& table, std::string_view gender, std::string_view age) {
  std::string out = "CASE";
  for (const auto& s : table.standards())
    out += fmt::format(" WHEN {} = '{}' AND {} BETWEEN {} AND {} THEN {}", gender, s.gender, age, s.age_min, s.age_max, s.standard_ms);
  return out + " END";
}

// A WITH-list entry: age_standards(k, standard_ms, factor_ppm), one row per race, gender (M, F, X)
// and age the table grades at that race's distance (the factor in millionths), keyed by one integer so
// that SQLite looks rows up through an automatic index (a key of three columns made it scan the list
// for every finisher). Join it with age_standards_join().
inline std::int64_t age_standard_key(std::int64_t race_id, int age, char gender) {
  return (race_id * 200 + age) * 4 + (gender == 'M' ? 0 : gender == 'F' ? 1 : 2);
}
inline std::string age_standards_cte(const sport::AgeGradingTable& table,
                                     std::span<const std::pair<std::int64_t, std::int64_t>> race_distances) {
  std::string rows;
  for (const auto& [race_id, distance_m] : race_distances)
    for (char gender : {'M', 'F', 'X'})
      for (int age = table.min_age(); age <= std::min(table.max_age(), 199); ++age)
        if (const auto s = table.standard(gender, age, distance_m))
          rows += fmt::format("{}({}, {:.0f}, {:.0f})", rows.empty() ? "" : ", ", age_standard_key(race_id, age, gender),
                              s->standard_ms, s->factor * 1e6);
  if (rows.empty()) rows = "(-1, 0, 0)";  // no graded distance: a row that joins nothing
  return "age_standards(k, standard_ms, factor_ppm) AS (VALUES " + rows + ")";
}
// The entry `p`'s age standard as `a` (a LEFT JOIN: no row without a standard).
inline std::string age_standards_join(std::string_view p = "p") {
  return fmt::format(" LEFT JOIN age_standards a ON a.k = ({0}.race_id * 200 + {0}.age) * 4 + CASE {0}.gender WHEN 'M' THEN 0 "
                     "WHEN 'F' THEN 1 ELSE 2 END",
                     p);
}

// PostgreSQL: the entry `p`'s age standard (ms), NULL without one, as age_standards gives it, read from
// one array written into the statement: a subscript per entry where the join is a hash probe. The array
// holds, per race of the list, 121 ages of 4 places, the gender's place being ascii(gender) % 5 (F 0,
// M 2, X 3: one arithmetic step, where comparing text pays for a collation). Measured on a race of
// 31,000 finishers, each choice against the one before it: the join 7 ms a reading, an array inside
// CASE race_id (PostgreSQL copies a CASE's array result) 4 ms, one array whose race is a CASE giving a
// number 1.2 ms, the gender's place by ascii instead of strpos 0.7 ms. No element is NULL (0 stands for
// "no standard"): PostgreSQL finds an element of an array holding NULLs by walking the array.
inline std::string age_standard_array_sql(const sport::AgeGradingTable& table,
                                          std::span<const std::pair<std::int64_t, std::int64_t>> race_distances,
                                          std::string_view p = "p") {
  constexpr int kAges = 121, kPlaces = 4;  // ages 0-120 (the entries' CHECK allows 1-120)
  std::string elements, slot;
  for (std::size_t r = 0; r < race_distances.size(); ++r) {
    const auto distance_m = race_distances[r].second;
    for (int age = 0; age < kAges; ++age)
      for (int place = 0; place < kPlaces; ++place) {
        const char gender = place == 0 ? 'F' : place == 2 ? 'M' : place == 3 ? 'X' : '\0';
        const auto s = gender && age >= table.min_age() && age <= table.max_age() ? table.standard(gender, age, distance_m)
                                                                                    : std::nullopt;
        elements += fmt::format("{}{:.0f}", elements.empty() ? "" : ",", s ? s->standard_ms : 0.0);
      }
    slot += fmt::format(" WHEN {} THEN {}", race_distances[r].first, r * kAges * kPlaces);
  }
  if (elements.empty()) return "CAST(NULL AS BIGINT)";
  const std::string race = race_distances.size() == 1 ? "" : fmt::format("CASE {}.race_id{} END + ", p, slot);
  return fmt::format("NULLIF((CAST('{{{}}}' AS BIGINT[]))[{}{}.age * {} + ascii({}.gender) % 5 + 1], 0)", elements, race, p, kPlaces, p);
}

// A finish time's age grade in hundredths of a percent (an integer: 7768 is 77.68%), read against
// `standard` (age_standards joined as `a`, or age_standard_array_sql); NULL without a standard. Integer
// arithmetic, so that both databases round alike: 100 * standard / time, to the nearest hundredth,
// halves up.
inline std::string age_grade_hundredths_sql(std::string_view time, std::string_view standard = "a.standard_ms") {
  return fmt::format("((CAST({} AS BIGINT) * 20000 / {}) + 1) / 2", standard, time);
}
// The age grade in percent, and the age-graded time (time * factor, to the millisecond).
inline std::string age_grade_sql(std::string_view time) { return fmt::format("{} / 100.0", age_grade_hundredths_sql(time)); }
inline std::string age_graded_time_sql(std::string_view time) {
  return fmt::format("(CAST({} AS BIGINT) * a.factor_ppm + 500000) / 1000000", time);
}

}  // namespace racetiming::analytics::detail
