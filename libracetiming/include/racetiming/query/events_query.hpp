#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "racetiming/query/page.hpp"
#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming {

// Tenant-scoped statements over ct_events. Sort keys: event_date (default, newest first: "-event_date"),
// event_name, event_id.
class EventsQuery {
 public:
  struct Filter {
    std::optional<std::string> status{};  // scheduled, active, completed, cancelled
    std::optional<int> year{};
    std::optional<std::string> name_contains{};  // case-insensitive
  };

  EventsQuery(std::int64_t partner_id, Dialect dialect) : partner_id_(partner_id), dialect_(dialect) {}
  Sql list(const Filter& filter, const PageRequest& page = {}) const;
  Sql get(std::int64_t event_id) const;
  // Trims the look-ahead row of a list() result and writes the cursor of the next page.
  Page page(ResultSet rows, const PageRequest& request) const;
  // The cursor of the page after `rows` (a list() result, look-ahead row included); empty on the last page.
  std::string next_cursor(const RowsView& rows, const PageRequest& request) const;

 private:
  std::int64_t partner_id_;
  Dialect dialect_;
};

}  // namespace racetiming
