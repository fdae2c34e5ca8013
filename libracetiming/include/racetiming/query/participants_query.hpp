#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "racetiming/query/page.hpp"
#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming {

// Tenant-scoped statements over ct_participants. Sort keys: participant_id (default), bib, last_name.
class ParticipantsQuery {
 public:
  struct Filter {
    std::optional<std::int64_t> event_id{}, race_id{};
    std::optional<std::string> bib{};
    std::optional<std::string> name{};  // matches "first last", case-insensitive, anywhere
    std::optional<std::string> gender{}, division{}, status{};
  };

  ParticipantsQuery(std::int64_t partner_id, Dialect dialect) : partner_id_(partner_id), dialect_(dialect) {}
  Sql list(const Filter& filter, const PageRequest& page = {}) const;
  Sql get(std::int64_t participant_id) const;
  Page page(ResultSet rows, const PageRequest& request) const;
  // The cursor of the page after `rows` (a list() result, look-ahead row included); empty on the last page.
  std::string next_cursor(const RowsView& rows, const PageRequest& request) const;

 private:
  std::int64_t partner_id_;
  Dialect dialect_;
};

}  // namespace racetiming
