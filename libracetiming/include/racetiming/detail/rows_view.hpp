#pragma once
// Rows read where they lie: each cell a view into the driver's result (libpq's PGresult) or into a
// ResultSet, with no Value made per cell. The hot formatting paths (a page of JSON) read rows this way;
// a ResultSet is for keeping them.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <variant>

#include "racetiming/store/value.hpp"

namespace racetiming {

// NULL, an integer, a real, or text valid as long as the rows it was read from.
using CellView = std::variant<std::monostate, std::int64_t, double, std::string_view>;

// The cell as a value to keep, and a value seen as a cell.
Value to_value(const CellView& cell);
CellView to_cell_view(const Value& value);
// As as_int of a Value: the integer (a real truncated, text that is a whole number parsed), else nullopt.
std::optional<std::int64_t> as_int(const CellView& cell) noexcept;

class RowsView {
 public:
  virtual ~RowsView() = default;
  virtual std::size_t row_count() const = 0;
  virtual std::size_t column_count() const = 0;
  virtual std::string_view column_name(std::size_t column) const = 0;
  virtual CellView cell(std::size_t row, std::size_t column) const = 0;

  // Index of a named column; throws Error(internal) when absent, which is a programming error.
  std::size_t column(std::string_view name) const;
  // The first `limit` rows (all by default) as values, to keep.
  ResultSet materialize(std::size_t limit = std::numeric_limits<std::size_t>::max()) const;
};

// A ResultSet seen as rows in place; it must outlive the view.
class ResultSetView final : public RowsView {
 public:
  explicit ResultSetView(const ResultSet& rows) : rows_(rows) {}
  std::size_t row_count() const override { return rows_.rows.size(); }
  std::size_t column_count() const override { return rows_.columns.size(); }
  std::string_view column_name(std::size_t column) const override { return rows_.columns[column]; }
  CellView cell(std::size_t row, std::size_t column) const override;

 private:
  const ResultSet& rows_;
};

}  // namespace racetiming
