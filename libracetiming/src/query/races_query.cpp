#include "racetiming/query/races_query.hpp"

#include <array>

#include "query/list_builder.hpp"

namespace racetiming {
namespace {

constexpr std::string_view kSelect =
    "SELECT ra.race_id, ra.event_id, ra.race_name, ra.distance_m, ra.start_time, ra.placement_basis, e.event_name, "
    "e.event_date FROM ct_races ra JOIN ct_events e ON e.event_id = ra.event_id AND e.timing_partner_id = "
    "ra.timing_partner_id";

constexpr std::array kSorts{
    query::SortKey{"race_id", "ra.race_id", "race_id", false},
    query::SortKey{"race_name", "ra.race_name", "race_name", true},
    query::SortKey{"distance_m", "ra.distance_m", "distance_m", false},
};

constexpr query::ListSpec kSpec{kSelect, "ra.timing_partner_id", "ra.race_id", "race_id", kSorts, "race_id"};

}  // namespace

Sql RacesQuery::list(const Filter& f, const PageRequest& page) const {
  query::ListBuilder b(kSpec, partner_id_, dialect_, page);
  if (f.event_id) b.compare("ra.event_id", "=", *f.event_id);
  return b.finish();
}

Sql RacesQuery::get(std::int64_t race_id) const {
  return query::get_by_id(kSelect, "ra.timing_partner_id", "ra.race_id", partner_id_, dialect_, race_id);
}

Page RacesQuery::page(ResultSet rows, const PageRequest& request) const {
  return query::make_page(kSpec, std::move(rows), request);
}

std::string RacesQuery::next_cursor(const RowsView& rows, const PageRequest& request) const {
  return query::next_cursor(kSpec, rows, request);
}

}  // namespace racetiming
