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

namespace {

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

void check(const EventsQuery::Fields& f, bool require_all) {
  auto bad = [](const char* field, const char* why) { throw Error(ErrorCode::invalid_parameter, fmt::format("{} {}", field, why), field); };
  if (require_all && !f.event_name) bad("event_name", "is required");
  if (require_all && !f.event_date) bad("event_date", "is required");
  if (f.event_name && (f.event_name->empty() || f.event_name->size() > 200)) bad("event_name", "must be 1-200 characters");
  if (f.event_date && !valid_date(*f.event_date)) bad("event_date", "must be a date (YYYY-MM-DD)");
  for (const auto& [field, value] : {std::pair{"city", &f.city}, std::pair{"state", &f.state}, std::pair{"country", &f.country}})
    if (*value && (*value)->size() > 200) bad(field, "must be at most 200 characters");
  if (f.status && *f.status != "scheduled" && *f.status != "active" && *f.status != "completed" && *f.status != "cancelled")
    bad("status", "must be scheduled, active, completed or cancelled");
}

// (column, value) of every field that is set, in a fixed order.
std::vector<std::pair<const char*, std::string>> set_fields(const EventsQuery::Fields& f) {
  std::vector<std::pair<const char*, std::string>> out;
  auto add = [&](const char* column, const std::optional<std::string>& v) {
    if (v) out.emplace_back(column, *v);
  };
  add("event_name", f.event_name);
  add("event_date", f.event_date);
  add("city", f.city);
  add("state", f.state);
  add("country", f.country);
  add("status", f.status);
  return out;
}

}  // namespace

Sql EventsQuery::insert(const Fields& fields) const {
  check(fields, true);
  SqlWriter w(dialect_);
  std::string columns = "timing_partner_id, external_source";
  for (const auto& [column, value] : set_fields(fields)) columns += std::string(", ") + column;
  w << "INSERT INTO ct_events (" << columns << ") VALUES (";
  w.bind(partner_id_) << ", 'api'";
  for (const auto& [column, value] : set_fields(fields)) {
    w << ", ";
    w.bind(value.empty() ? Value{} : Value{value});
  }
  w << ") RETURNING event_id";
  return w.take();
}

Sql EventsQuery::update(std::int64_t event_id, const Fields& fields) const {
  check(fields, false);
  SqlWriter w(dialect_);
  w << "UPDATE ct_events SET updated_at = " << now_expression(dialect_);
  for (const auto& [column, value] : set_fields(fields)) {
    w << ", " << column << " = ";
    w.bind(value.empty() ? Value{} : Value{value});  // an empty place clears it
  }
  query::where_partner_and_id(w, "timing_partner_id", "event_id", partner_id_, event_id);
  w << " RETURNING event_id";
  return w.take();
}

Sql EventsQuery::remove(std::int64_t event_id) const {
  SqlWriter w(dialect_);
  w << "DELETE FROM ct_events";
  query::where_partner_and_id(w, "timing_partner_id", "event_id", partner_id_, event_id);
  w << " RETURNING event_id";
  return w.take();
}

Sql EventsQuery::count_results(std::int64_t event_id) const {
  return query::get_by_id("SELECT COUNT(*) AS results FROM ct_results r", "r.timing_partner_id", "r.event_id",
                          partner_id_, dialect_, event_id);
}

Page EventsQuery::page(ResultSet rows, const PageRequest& request) const {
  return query::make_page(kSpec, std::move(rows), request);
}

}  // namespace racetiming
