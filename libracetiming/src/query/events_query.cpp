#include "racetiming/query/events_query.hpp"

#include <array>

#include <fmt/format.h>

#include "query/list_builder.hpp"
#include "racetiming/error.hpp"

namespace racetiming {
namespace {

constexpr std::string_view kSelect =
    "SELECT e.event_id, e.event_name, e.event_date, e.city, e.state, e.country, e.status, e.external_source, "
    "e.external_id FROM ct_events e";

constexpr std::array kSorts{
    query::SortKey{"event_date", "e.event_date", "event_date", true},
    query::SortKey{"event_name", "e.event_name", "event_name", true},
    query::SortKey{"event_id", "e.event_id", "event_id", false},
};

constexpr query::ListSpec kSpec{kSelect, "e.timing_partner_id", "e.event_id", "event_id", kSorts, "-event_date"};

}  // namespace

Sql EventsQuery::list(const Filter& f, const PageRequest& page) const {
  query::ListBuilder b(kSpec, partner_id_, dialect_, page);
  if (f.status) {
    if (*f.status != "scheduled" && *f.status != "active" && *f.status != "completed" && *f.status != "cancelled")
      throw Error(ErrorCode::invalid_parameter, "status must be scheduled, active, completed or cancelled", "status");
    b.compare("e.status", "=", *f.status);
  }
  if (f.year) {
    if (*f.year < 1900 || *f.year > 2200) throw Error(ErrorCode::invalid_parameter, "year is out of range", "year");
    b.compare("e.event_date", ">=", fmt::format("{}-01-01", *f.year));
    b.compare("e.event_date", "<=", fmt::format("{}-12-31", *f.year));
  }
  if (f.name_contains && !f.name_contains->empty()) {
    b.contains("e.event_name", *f.name_contains);
  }
  return b.finish();
}

Sql EventsQuery::get(std::int64_t event_id) const {
  return query::get_by_id(kSelect, "e.timing_partner_id", "e.event_id", partner_id_, dialect_, event_id);
}

Page EventsQuery::page(ResultSet rows, const PageRequest& request) const {
  return query::make_page(kSpec, std::move(rows), request);
}

std::string EventsQuery::next_cursor(const RowsView& rows, const PageRequest& request) const {
  return query::next_cursor(kSpec, rows, request);
}

}  // namespace racetiming
