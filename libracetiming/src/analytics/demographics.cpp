#include "racetiming/analytics/demographics.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"
#include "racetiming/error.hpp"

namespace racetiming::analytics {
namespace {

struct Dimension {
  const char* table;
  const char* expression;  // of the entry x; empty: all entries together
  bool by_size;            // rows by entries, largest first (else by value)
};

constexpr Dimension kDimensions[] = {
    {"totals", "", false},
    {"by_gender", "x.gender", false},
    {"by_division", "x.division", false},
    {"by_age_band", "CASE WHEN x.age IS NULL THEN NULL WHEN x.age < 20 THEN 'under 20' WHEN x.age >= 70 THEN '70+' "
                    "ELSE (x.age / 10 * 10) || '-' || (x.age / 10 * 10 + 9) END", false},
    {"by_state", "x.state", true},
    {"by_country", "x.country", true},
    {"by_team", "x.team", true},
};

}  // namespace

Report demographics(TenantSession& s, const DemographicsRequest& request) {
  if (request.race_id && request.event_id)
    throw Error(ErrorCode::invalid_parameter, "give race_id or event_id, not both", "event_id");
  if (request.year && (request.race_id || request.event_id))
    throw Error(ErrorCode::invalid_parameter, "year is for a partner's whole year, not with race_id or event_id", "year");
  if (request.year && (*request.year < 1900 || *request.year > 2200))
    throw Error(ErrorCode::invalid_parameter, "year must be between 1900 and 2200", "year");
  Report report{"demographics", {}, {}};
  detail::RaceScope scope;
  if (request.race_id || request.event_id) scope = detail::resolve_races(s, request.race_id, request.event_id);
  report.races = scope.rows;
  // One statement: the entries counted once by every combination of the dimensions' columns (a few
  // thousand groups for a 31,000-runner race), then those counts summed by each dimension: the entries
  // are read and grouped once, not seven times.
  const Dialect d = s.dialect();
  SqlWriter w(d);
  w << "WITH x AS (SELECT p.gender, p.division, p.age, p.state, p.country, p.team, p.status, COUNT(*) AS n FROM ct_participants p";
  if (request.year) w << " JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = p.timing_partner_id";
  w << " WHERE p.timing_partner_id = ";
  w.bind(s.partner_id());
  if (!scope.races.empty()) {
    w << " AND p.race_id IN ";
    scope.id_list(w);
  }
  if (request.year) {
    (w << " AND e.event_date >= ").bind(fmt::format("{}-01-01", *request.year));
    (w << " AND e.event_date <= ").bind(fmt::format("{}-12-31", *request.year));
  }
  w << " GROUP BY p.gender, p.division, p.age, p.state, p.country, p.team, p.status)";
  for (std::size_t i = 0; i < std::size(kDimensions); ++i) {
    const Dimension& dim = kDimensions[i];
    const bool all = *dim.expression == '\0';
    w << (i ? " UNION ALL " : " ") << fmt::format("SELECT {} AS dimension, {} AS value, ", i, all ? "NULL" : dim.expression)
      << detail::entry_counts_sql(d, "x", "x.n") << " FROM x";
    if (!all) w << " GROUP BY " << dim.expression;
  }
  const ResultSet rows = s.query(w.take());
  std::vector<ResultSet> tables(std::size(kDimensions));
  for (std::size_t i = 0; i < tables.size(); ++i) {
    tables[i].columns = {"value", "entries", "starters", "finishers", "finish_rate"};
    if (i == 0) tables[i].columns.erase(tables[i].columns.begin());
  }
  for (const auto& row : rows.rows) {
    const auto i = static_cast<std::size_t>(as_int(row[0]).value_or(0));
    tables.at(i).rows.emplace_back(row.begin() + (i == 0 ? 2 : 1), row.end());
  }
  for (std::size_t i = 0; i < tables.size(); ++i) {
    auto& t = tables[i].rows;
    if (i == 0) {
      if (t.empty()) t.push_back({std::int64_t{0}, std::int64_t{0}, std::int64_t{0}, Value{}});
      for (std::size_t c = 0; c < 3; ++c)  // the totals of no entries at all are zeros, not NULLs
        if (is_null(t[0][c])) t[0][c] = std::int64_t{0};
      continue;
    }
    // in C++, so that both databases (and any collation) order alike: by value, or largest first
    std::stable_sort(t.begin(), t.end(), [by_size = kDimensions[i].by_size](const auto& a, const auto& b) {
      const auto key = [](const std::vector<Value>& r) { return std::pair(is_null(r[0]), as_text(r[0])); };
      if (by_size && as_int(a[1]) != as_int(b[1])) return as_int(a[1]) > as_int(b[1]);
      return key(a) < key(b);
    });
  }
  for (std::size_t i = 0; i < tables.size(); ++i) report.tables.emplace_back(kDimensions[i].table, std::move(tables[i]));
  return report;
}

}  // namespace racetiming::analytics
