#include "racetiming/query/results_query.hpp"

#include <array>

#include <fmt/format.h>

#include "query/filters.hpp"
#include "racetiming/error.hpp"

namespace racetiming {
namespace {

// The partner predicate sits on ct_results (the builder adds it); the joins carry it along so that each
// table is read through its own (timing_partner_id, ...) index.
constexpr std::string_view kColumns =
    "r.result_id, r.event_id, r.race_id, r.participant_id, r.interval_name, r.is_final, p.bib, p.first_name, p.last_name, p.gender, "
    "p.age, p.division, p.city, p.state, p.status, r.overall_place, r.gender_place, r.division_place, "
    "r.results_time_ms, r.gun_time_ms, r.pace_ms_per_km, ra.distance_m, ra.race_name";
// The races join names the bound partner (always the first placeholder) rather than r's column: with the
// column, the generic plan PostgreSQL settles on for the prepared statement scans all the partner's races
// for every row instead of looking the race up by its key.
std::string joins(Dialect d) {
  return fmt::format(
      "JOIN ct_participants p ON p.participant_id = r.participant_id AND p.timing_partner_id = r.timing_partner_id "
      "JOIN ct_races ra ON ra.race_id = r.race_id AND ra.timing_partner_id = {}",
      d == Dialect::postgresql ? "$1" : "?1");
}

constexpr std::array kSorts{
    query::SortKey{"results_time_ms", "r.results_time_ms", "results_time_ms", false},
    query::SortKey{"bib", "p.bib", "bib", true},
    query::SortKey{"last_name", "p.last_name", "last_name", true},
};

const query::ListSpec& spec(Dialect d) {
  static const std::string text[2] = {fmt::format("SELECT {} FROM ct_results r {}", kColumns, joins(Dialect::sqlite)),
                                      fmt::format("SELECT {} FROM ct_results r {}", kColumns, joins(Dialect::postgresql))};
  static const query::ListSpec s[2] = {
      {text[0], "r.timing_partner_id", "r.result_id", "result_id", kSorts, "results_time_ms"},
      {text[1], "r.timing_partner_id", "r.result_id", "result_id", kSorts, "results_time_ms"}};
  return s[d == Dialect::postgresql];
}

// A page in time order that filters on ct_results alone is taken from ct_results first (in the order of
// its (partner, race, time, id) index, stopping at the limit) and joined afterwards: left to itself the
// planner hash-joins every participant of the partner before sorting, several times slower.
const query::ListSpec& page_first_spec() {
  static const query::ListSpec s{"SELECT r.* FROM ct_results r", "r.timing_partner_id", "r.result_id", "result_id",
                                 std::span<const query::SortKey>(kSorts.data(), 1), "results_time_ms"};
  return s;
}

}  // namespace

Sql ResultsQuery::list(const Filter& f, const PageRequest& page) const {
  if (f.min_time_ms && *f.min_time_ms < 0) throw Error(ErrorCode::invalid_parameter, "min_time is negative", "min_time");
  if (f.max_time_ms && *f.max_time_ms < 0) throw Error(ErrorCode::invalid_parameter, "max_time is negative", "max_time");
  auto result_filters = [&](query::ListBuilder& b) {
    b.and_where() << "r.is_final";
    if (f.event_id) b.compare("r.event_id", "=", *f.event_id);
    if (f.race_id) b.compare("r.race_id", "=", *f.race_id);
    if (f.min_time_ms) b.compare("r.results_time_ms", ">=", *f.min_time_ms);
    if (f.max_time_ms) b.compare("r.results_time_ms", "<=", *f.max_time_ms);
  };
  const bool by_time = page.sort.empty() || page.sort == "results_time_ms" || page.sort == "-results_time_ms";
  if (by_time && !f.gender && !f.division && !f.status) {
    query::ListBuilder b(page_first_spec(), partner_id_, dialect_, page);
    result_filters(b);
    Sql sql = b.finish();
    const char* dir = page.sort.starts_with('-') ? " DESC" : "";
    sql.text = fmt::format("SELECT {} FROM ({}) r {} ORDER BY r.results_time_ms{}, r.result_id{}", kColumns, sql.text,
                           joins(dialect_), dir, dir);
    return sql;
  }
  query::ListBuilder b(spec(dialect_), partner_id_, dialect_, page);
  result_filters(b);
  query::add_entry_filters(b, f.gender, f.division, f.status);
  return b.finish();
}

Sql ResultsQuery::get(std::int64_t result_id) const {
  return query::get_by_id(spec(dialect_).select_from, "r.timing_partner_id", "r.result_id", partner_id_, dialect_, result_id);
}

Sql ResultsQuery::splits(std::int64_t participant_id) const {
  SqlWriter w(dialect_);
  w << "SELECT r.result_id, r.interval_name, r.interval_distance_m, r.is_final, r.results_time_ms, r.gun_time_ms, "
       "r.pace_ms_per_km FROM ct_results r";
  query::where_partner_and_id(w, "r.timing_partner_id", "r.participant_id", partner_id_, participant_id);
  w << " ORDER BY r.interval_distance_m, r.result_id";
  return w.take();
}

Page ResultsQuery::page(ResultSet rows, const PageRequest& request) const {
  return query::make_page(spec(dialect_), std::move(rows), request);
}

std::string ResultsQuery::next_cursor(const RowsView& rows, const PageRequest& request) const {
  return query::next_cursor(spec(dialect_), rows, request);
}

}  // namespace racetiming
