#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "racetiming/query/page.hpp"
#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming {

// Tenant-scoped statements over final results (one row per finisher or DQ), joined to the entry and the
// race. Sort keys: results_time_ms (default: fastest first, the overall order), bib, last_name.
class ResultsQuery {
 public:
  struct Filter {
    std::optional<std::int64_t> event_id{}, race_id{};
    std::optional<std::string> gender{}, division{}, status{};
    std::optional<std::int64_t> min_time_ms{}, max_time_ms{};  // inclusive bounds on the chip time
  };

  ResultsQuery(std::int64_t partner_id, Dialect dialect) : partner_id_(partner_id), dialect_(dialect) {}
  Sql list(const Filter& filter, const PageRequest& page = {}) const;
  Sql get(std::int64_t result_id) const;
  // Every timing read (splits and finish) of one entry, in distance order.
  Sql splits(std::int64_t participant_id) const;
  Page page(ResultSet rows, const PageRequest& request) const;
  // The cursor of the page after `rows` (a list() result, look-ahead row included); empty on the last page.
  std::string next_cursor(const RowsView& rows, const PageRequest& request) const;

 private:
  std::int64_t partner_id_;
  Dialect dialect_;
};

}  // namespace racetiming
