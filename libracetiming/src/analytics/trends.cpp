#include "racetiming/analytics/trends.hpp"

#include <map>

#include <fmt/format.h>

#include "analytics/measures.hpp"
#include "analytics/race_scope.hpp"
#include "analytics/tallies.hpp"
#include "nl/render.hpp"
#include "nl/rules.hpp"
#include "racetiming/error.hpp"

namespace racetiming::analytics {
namespace {

std::string year_of(Dialect d, std::string_view date) {
  return d == Dialect::postgresql ? fmt::format("CAST(EXTRACT(YEAR FROM {}) AS INTEGER)", date)
                                  : fmt::format("CAST(substr({}, 1, 4) AS INTEGER)", date);
}

// The field's counts and shares, grouped by `key` (an expression over the tally row t and the event e),
// from the race tallies: entries, starters and finishers from the all-entries rows, women from the
// gender rows, masters from the age rows.
std::string counts_select(Dialect d, std::string_view key) {
  using detail::TallyDimension, detail::tally_number;
  const auto of = [](TallyDimension dim, std::string_view also = {}) {
    return fmt::format("CASE WHEN t.dimension = {}{} THEN t.entries ELSE 0 END", tally_number(dim), also);
  };
  const std::string all = of(TallyDimension::all);
  const std::string women = of(TallyDimension::gender, " AND t.value = 'F'");
  const std::string masters = of(TallyDimension::age, fmt::format(" AND {} >= {}", detail::tally_age_sql(), detail::kMastersAge));
  return fmt::format("SELECT {} AS k, {}, {} AS women_percent, {} AS masters_percent", key, detail::entry_counts_sql(d, "t", all),
                     detail::rounded(d, fmt::format("100.0 * SUM({}) / SUM({})", women, all), 1),
                     detail::rounded(d, fmt::format("100.0 * SUM({}) / SUM({})", masters, all), 1));
}

// The tally rows counts_select reads.
std::string counted_tallies() {
  using detail::TallyDimension, detail::tally_number;
  return fmt::format(" AND t.dimension IN ({}, {}, {})", tally_number(TallyDimension::all), tally_number(TallyDimension::gender),
                     tally_number(TallyDimension::age));
}

// The median finish time grouped by `key`, over the finishers the filter `where` keeps.
template <class Where>
std::map<std::int64_t, Value> medians(TenantSession& s, std::string_view key, std::string_view from, Where&& where) {
  detail::Distribution dist{.keys = {"k"}, .percentiles = {{0.5, "median_time_ms"}}};
  SqlWriter w(s.dialect());
  detail::distribution(w, s.dialect(), dist, [&](SqlWriter& out) {
    out << "SELECT " << key << " AS k1, p.finish_time_ms AS v " << from << " WHERE p.timing_partner_id = ";
    out.bind(s.partner_id());
    where(out);
    out << " AND p.status = 'finished' AND p.finish_time_ms IS NOT NULL";
  });
  std::map<std::int64_t, Value> out;
  for (auto& row : s.query(w.take()).rows) out[as_int(row[0]).value_or(0)] = row[1];
  return out;
}

// Count rows (k, entries, starters, finishers, finish_rate, women_percent, masters_percent) after their
// head columns, with the median between: the report's table.
ResultSet with_medians(ResultSet counts, std::vector<std::string> head, std::map<std::int64_t, Value> median,
                       const std::map<std::int64_t, std::vector<Value>>& head_of) {
  ResultSet out;
  out.columns = std::move(head);
  out.columns.insert(out.columns.end(), {"entries", "starters", "finishers", "finish_rate", "median_time_ms", "women_percent", "masters_percent"});
  for (auto& row : counts.rows) {
    const std::int64_t k = as_int(row[0]).value_or(0);
    std::vector<Value> line = head_of.at(k);
    line.insert(line.end(), {row[1], row[2], row[3], row[4], median.contains(k) ? median[k] : Value{}, row[5], row[6]});
    out.rows.push_back(std::move(line));
  }
  return out;
}

Report editions(TenantSession& s, const TrendsRequest& request) {
  const Dialect d = s.dialect();
  SqlWriter w(d);
  w << "SELECT e.event_id, e.event_name, e.event_date, ra.race_id, ra.race_name, ra.distance_m, ra.placement_basis "
       "FROM ct_events e JOIN ct_races ra ON ra.event_id = e.event_id AND ra.timing_partner_id = e.timing_partner_id "
       "WHERE e.timing_partner_id = ";
  w.bind(s.partner_id());
  (w << " AND lower(e.event_name) = lower(").bind(request.event_name) << ") ORDER BY e.event_date, e.event_id, ra.race_id";
  const ResultSet found = s.query(w.take());
  if (found.rows.empty())
    throw Error(ErrorCode::not_found, fmt::format("no event is called '{}'", request.event_name), "event_name");
  // each edition's race: of distance_m, else the one its name names, else its longest (the NL engine's rule)
  std::map<std::int64_t, nl::CatalogEvent> events;
  std::vector<std::int64_t> order;
  for (const auto& row : found.rows) {
    const std::int64_t id = as_int(row[0]).value_or(0);
    auto [it, fresh] = events.try_emplace(id);
    if (fresh) {
      it->second.event_id = id, it->second.event_name = as_text(row[1]), it->second.event_date = as_text(row[2]);
      order.push_back(id);
    }
    it->second.races.push_back({as_int(row[3]).value_or(0), as_text(row[4]), as_int(row[5]).value_or(0), as_text(row[6]) == "gun"});
  }
  Report report{"trends", detail::no_races(), {}};
  std::map<std::int64_t, std::vector<Value>> head;  // by race id: year, event_id, event_date, race_id
  for (std::int64_t id : order) {
    const nl::CatalogEvent& e = events[id];
    const nl::CatalogRace* race = nullptr;
    if (request.distance_m) {
      for (const auto& r : e.races)
        if (nl::same_distance(r.distance_m, *request.distance_m)) race = &r;
    } else {
      race = nl::main_race(e);
    }
    if (!race) continue;  // this edition had no race of that distance
    report.races.rows.push_back({race->race_id, race->race_name, race->distance_m, std::string(race->gun_placed ? "gun" : "chip"),
                                 e.event_id, e.event_name, e.event_date});
    head[race->race_id] = {std::int64_t{e.year()}, e.event_id, e.event_date, race->race_id};
  }
  if (report.races.rows.empty())
    throw Error(ErrorCode::not_found, fmt::format("no edition of '{}' has a race of {} m", request.event_name, *request.distance_m), "distance_m");
  SqlWriter c(d);
  c << counts_select(d, "t.race_id") << " FROM race_tallies t WHERE t.timing_partner_id = ";
  c.bind(s.partner_id());
  c << counted_tallies() << " AND t.race_id IN (";
  for (std::size_t i = 0; i < report.races.rows.size(); ++i) (i ? c << ", " : c).bind(report.races.rows[i][0]);
  c << ") GROUP BY t.race_id";
  ResultSet counts = s.query(c.take());
  // in edition order
  std::map<std::int64_t, std::vector<Value>> by_race;
  for (auto& row : counts.rows) by_race[as_int(row[0]).value_or(0)] = row;
  counts.rows.clear();
  for (const auto& race : report.races.rows)
    if (auto it = by_race.find(as_int(race[0]).value_or(0)); it != by_race.end()) counts.rows.push_back(it->second);
  std::vector<std::int64_t> race_ids;
  for (const auto& race : report.races.rows) race_ids.push_back(as_int(race[0]).value_or(0));
  SqlWriter m(d);
  detail::race_medians(m, [&](SqlWriter& q) { q.bind(s.partner_id()); }, race_ids);
  std::map<std::int64_t, Value> median;
  for (auto& row : s.query(m.take()).rows) median[as_int(row[0]).value_or(0)] = row[1];
  report.tables.emplace_back("editions", with_medians(std::move(counts), {"year", "event_id", "event_date", "race_id"}, std::move(median), head));
  return report;
}

Report years(TenantSession& s, const TrendsRequest& request) {
  const Dialect d = s.dialect();
  const std::string year = year_of(d, "e.event_date");
  auto where = [&](SqlWriter& w) {
    if (request.year_from) (w << " AND e.event_date >= ").bind(fmt::format("{:04}-01-01", *request.year_from));
    if (request.year_to) (w << " AND e.event_date <= ").bind(fmt::format("{:04}-12-31", *request.year_to));
  };
  const std::string from =
      "FROM ct_participants p JOIN ct_events e ON e.event_id = p.event_id AND e.timing_partner_id = p.timing_partner_id";
  SqlWriter c(d);
  c << counts_select(d, year) << ", COUNT(DISTINCT e.event_id) AS events FROM race_tallies t"
    << " JOIN ct_races ra ON ra.race_id = t.race_id AND ra.timing_partner_id = t.timing_partner_id"
    << " JOIN ct_events e ON e.event_id = ra.event_id AND e.timing_partner_id = ra.timing_partner_id WHERE t.timing_partner_id = ";
  c.bind(s.partner_id());
  c << counted_tallies();
  where(c);
  c << " GROUP BY " << year << " ORDER BY k";
  ResultSet counts = s.query(c.take());
  std::map<std::int64_t, Value> median;
  if (request.distance_m) {
    const std::int64_t m = *request.distance_m;
    median = medians(s, year, from + " JOIN ct_races ra ON ra.race_id = p.race_id AND ra.timing_partner_id = p.timing_partner_id",
                     [&](SqlWriter& w) {
                       where(w);
                       (w << " AND ra.distance_m BETWEEN ").bind(m - m * 3 / 100);
                       (w << " AND ").bind(m + m * 3 / 100);
                     });
  }
  std::map<std::int64_t, std::vector<Value>> head;
  for (const auto& row : counts.rows) head[as_int(row[0]).value_or(0)] = {row[0], row[7]};
  Report report{"trends", detail::no_races(), {}};
  report.tables.emplace_back("years", with_medians(std::move(counts), {"year", "events"}, std::move(median), head));
  return report;
}

}  // namespace

Report trends(TenantSession& s, const TrendsRequest& request) {
  if (request.distance_m && *request.distance_m <= 0)
    throw Error(ErrorCode::invalid_parameter, "distance_m must be a positive number of metres", "distance_m");
  for (auto [y, name] : {std::pair{request.year_from, "year_from"}, std::pair{request.year_to, "year_to"}})
    if (y && (*y < 1900 || *y > 2200)) throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be between 1900 and 2200", name), name);
  if (request.year_from && request.year_to && *request.year_from > *request.year_to)
    throw Error(ErrorCode::invalid_parameter, "year_from is after year_to", "year_from");
  if (!request.event_name.empty()) {
    if (request.year_from || request.year_to)
      throw Error(ErrorCode::invalid_parameter, "year_from and year_to are for the partner's years, not with event_name", "year_from");
    return editions(s, request);
  }
  return years(s, request);
}

}  // namespace racetiming::analytics
