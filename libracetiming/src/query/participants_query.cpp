#include "racetiming/query/participants_query.hpp"

#include <array>

#include "query/filters.hpp"

namespace racetiming {
namespace {

constexpr std::string_view kSelect =
    "SELECT p.participant_id, p.event_id, p.race_id, p.bib, p.first_name, p.last_name, p.gender, p.age, "
    "p.division, p.city, p.state, p.country, p.team, p.status FROM ct_participants p";

constexpr std::array kSorts{
    query::SortKey{"participant_id", "p.participant_id", "participant_id", false},
    query::SortKey{"bib", "p.bib", "bib", true},
    query::SortKey{"last_name", "p.last_name", "last_name", true},
};

constexpr query::ListSpec kSpec{kSelect, "p.timing_partner_id", "p.participant_id", "participant_id", kSorts,
                                "participant_id"};

}  // namespace

Sql ParticipantsQuery::list(const Filter& f, const PageRequest& page) const {
  query::ListBuilder b(kSpec, partner_id_, dialect_, page);
  if (f.event_id) b.compare("p.event_id", "=", *f.event_id);
  if (f.race_id) b.compare("p.race_id", "=", *f.race_id);
  if (f.bib) b.compare("p.bib", "=", *f.bib);
  if (f.name && !f.name->empty()) b.contains("p.first_name || ' ' || p.last_name", *f.name);
  query::add_entry_filters(b, f.gender, f.division, f.status);
  return b.finish();
}

Sql ParticipantsQuery::get(std::int64_t participant_id) const {
  return query::get_by_id(kSelect, "p.timing_partner_id", "p.participant_id", partner_id_, dialect_, participant_id);
}

Page ParticipantsQuery::page(ResultSet rows, const PageRequest& request) const {
  return query::make_page(kSpec, std::move(rows), request);
}

std::string ParticipantsQuery::next_cursor(const RowsView& rows, const PageRequest& request) const {
  return query::next_cursor(kSpec, rows, request);
}

}  // namespace racetiming
