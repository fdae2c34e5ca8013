#include "racetiming/analytics/demographics.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"
#include "analytics/tallies.hpp"
#include "racetiming/error.hpp"

namespace racetiming::analytics {
namespace {

using detail::TallyDimension;

struct Dimension {
  const char* table;
  TallyDimension tally;
  bool by_size;  // rows by entries, largest first (else by value)
};

constexpr Dimension kDimensions[] = {
    {"totals", TallyDimension::all, false},         {"by_gender", TallyDimension::gender, false},
    {"by_division", TallyDimension::division, false}, {"by_age_band", TallyDimension::age, false},
    {"by_state", TallyDimension::state, true},      {"by_country", TallyDimension::country, true},
    {"by_team", TallyDimension::team, true},
};

// The report's value of a tally row t: its age band for ages, else the value.
std::string value_sql() {
  const std::string age = detail::tally_age_sql();
  return fmt::format("CASE WHEN t.dimension = {0} THEN CASE WHEN {1} IS NULL THEN NULL WHEN {1} < 20 THEN 'under 20' "
                     "WHEN {1} >= 70 THEN '70+' ELSE ({1} / 10 * 10) || '-' || ({1} / 10 * 10 + 9) END ELSE {2} END",
                     detail::tally_number(TallyDimension::age), age, detail::tally_value_sql());
}

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
  // The race tallies (a few hundred rows a race), summed by dimension and value: no entry is read.
  const Dialect d = s.dialect();
  const std::string value = value_sql();
  SqlWriter w(d);
  w << "SELECT t.dimension, " << value << " AS value, " << detail::entry_counts_sql(d, "t", "t.entries") << " FROM race_tallies t";
  if (request.year)
    w << " JOIN ct_races ra ON ra.race_id = t.race_id AND ra.timing_partner_id = t.timing_partner_id"
         " JOIN ct_events e ON e.event_id = ra.event_id AND e.timing_partner_id = ra.timing_partner_id";
  w << " WHERE t.timing_partner_id = ";
  w.bind(s.partner_id());
  if (!scope.races.empty()) {
    w << " AND t.race_id IN ";
    scope.id_list(w);
  }
  if (request.year) {
    (w << " AND e.event_date >= ").bind(fmt::format("{}-01-01", *request.year));
    (w << " AND e.event_date <= ").bind(fmt::format("{}-12-31", *request.year));
  }
  w << " GROUP BY t.dimension, " << value;
  const ResultSet rows = s.query(w.take());
  std::size_t table_of[7] = {};
  for (std::size_t i = 0; i < std::size(kDimensions); ++i) table_of[detail::tally_number(kDimensions[i].tally)] = i;
  std::vector<ResultSet> tables(std::size(kDimensions));
  for (std::size_t i = 0; i < tables.size(); ++i) {
    tables[i].columns = {"value", "entries", "starters", "finishers", "finish_rate"};
    if (i == 0) tables[i].columns.erase(tables[i].columns.begin());
  }
  for (const auto& row : rows.rows) {
    const std::size_t i = table_of[std::clamp<std::int64_t>(as_int(row[0]).value_or(0), 0, 6)];
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
