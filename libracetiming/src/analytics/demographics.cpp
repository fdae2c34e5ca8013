#include "racetiming/analytics/demographics.hpp"

#include <fmt/format.h>

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"
#include "racetiming/error.hpp"

namespace racetiming::analytics {
namespace {

struct Dimension {
  const char* table;
  const char* expression;  // of the entry p; empty: all entries together
  bool by_size;            // rows by entries, largest first (else by value)
};

constexpr Dimension kDimensions[] = {
    {"totals", "", false},
    {"by_gender", "p.gender", false},
    {"by_division", "p.division", false},
    {"by_age_band", "CASE WHEN p.age IS NULL THEN NULL WHEN p.age < 20 THEN 'under 20' WHEN p.age >= 70 THEN '70+' "
                    "ELSE (p.age / 10 * 10) || '-' || (p.age / 10 * 10 + 9) END", false},
    {"by_state", "p.state", true},
    {"by_country", "p.country", true},
    {"by_team", "p.team", true},
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
  const Dialect d = s.dialect();
  for (const Dimension& dim : kDimensions) {
    const bool all = *dim.expression == '\0';
    SqlWriter w(d);
    w << "SELECT " << (all ? "" : fmt::format("{} AS value, ", dim.expression)) << detail::entry_counts_sql(d)
      << " FROM ct_participants p";
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
    // (PostgreSQL reads an output name only alone in ORDER BY, not inside an expression)
    if (!all)
      w << " GROUP BY " << dim.expression << " ORDER BY " << (dim.by_size ? "entries DESC, " : "")
        << fmt::format("({0}) IS NULL, {0}", dim.expression);
    ResultSet rows = s.query(w.take());
    // the totals of no entries at all are zeros, not NULLs
    if (all)
      for (auto& row : rows.rows)
        for (std::size_t c = 0; c < 3; ++c)
          if (is_null(row[c])) row[c] = std::int64_t{0};
    report.tables.emplace_back(dim.table, std::move(rows));
  }
  return report;
}

}  // namespace racetiming::analytics
