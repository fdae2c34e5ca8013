#pragma once
// Internal: the common shape of every tenant-scoped list: tenant predicate first, typed filters, a
// whitelisted sort with the id as tie-breaker, keyset cursor, limit + 1 rows to know whether more follow.
#include <cstdint>
#include <span>
#include <string_view>

#include "racetiming/query/page.hpp"
#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming::query {

struct SortKey {
  std::string_view name;    // as the API spells it
  std::string_view expr;    // SQL expression (never NULL)
  std::string_view column;  // the result column holding its value, for the cursor
  bool text;                // compare as text (else integer)
};

struct ListSpec {
  std::string_view select_from;    // "SELECT ... FROM ct_events e"
  std::string_view tenant_column;  // "e.timing_partner_id"
  std::string_view id_expr;        // "e.event_id"
  std::string_view id_column;      // "event_id"
  std::span<const SortKey> sorts;
  std::string_view default_sort;  // e.g. "-event_date"
};

constexpr std::size_t kMaxLimit = 1000;

class ListBuilder {
 public:
  // Validates limit, sort and cursor (Error invalid_parameter naming the one at fault).
  ListBuilder(const ListSpec& spec, std::int64_t partner_id, Dialect dialect, const PageRequest& page);
  // Starts one more AND-ed condition and returns the writer to append it to.
  SqlWriter& and_where();
  // AND expr op value, the value bound.
  void compare(std::string_view expr, std::string_view op, Value value);
  // AND expr contains needle, case-insensitively, LIKE wildcards in the needle taken literally.
  void contains(std::string_view expr, std::string_view needle);
  Sql finish();

 private:
  const ListSpec& spec_;
  const SortKey* sort_ = nullptr;
  bool descending_ = false;
  std::size_t limit_;
  std::optional<Value> after_value_;
  std::int64_t after_id_ = 0;
  SqlWriter w_;
};

// Appends " WHERE <tenant_column> = <partner> AND <id_expr> = <id>": how every single-row statement
// (get, update, delete) is scoped.
void where_partner_and_id(SqlWriter& w, std::string_view tenant_column, std::string_view id_expr,
                          std::int64_t partner_id, std::int64_t id);

// A get-by-id statement: the select, the tenant predicate, the id.
Sql get_by_id(std::string_view select_from, std::string_view tenant_column, std::string_view id_expr,
              std::int64_t partner_id, Dialect dialect, std::int64_t id);

// The cursor after a list() result (look-ahead row included): empty when there is no further page.
std::string next_cursor(const ListSpec& spec, const RowsView& rows, const PageRequest& request);
// Trims the look-ahead row and writes the cursor.
Page make_page(const ListSpec& spec, ResultSet rows, const PageRequest& request);

}  // namespace racetiming::query
