#pragma once
#include <cstdint>
#include <string>
#include <optional>

#include "racetiming/query/page.hpp"
#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming {

// Tenant-scoped statements over ct_races, with the event's name and date. Sort keys: race_id (default),
// race_name, distance_m.
class RacesQuery {
 public:
  struct Filter {
    std::optional<std::int64_t> event_id{};
  };

  RacesQuery(std::int64_t partner_id, Dialect dialect) : partner_id_(partner_id), dialect_(dialect) {}
  Sql list(const Filter& filter, const PageRequest& page = {}) const;
  Sql get(std::int64_t race_id) const;
  Page page(ResultSet rows, const PageRequest& request) const;
  // The cursor of the page after `rows` (a list() result, look-ahead row included); empty on the last page.
  std::string next_cursor(const RowsView& rows, const PageRequest& request) const;

 private:
  std::int64_t partner_id_;
  Dialect dialect_;
};

}  // namespace racetiming
