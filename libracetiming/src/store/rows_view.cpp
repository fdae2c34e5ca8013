#include "racetiming/detail/rows_view.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "racetiming/error.hpp"

namespace racetiming {

Value to_value(const CellView& cell) {
  if (const auto* text = std::get_if<std::string_view>(&cell)) return std::string(*text);
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return *i;
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  return {};
}

std::size_t RowsView::column(std::string_view name) const {
  for (std::size_t c = 0; c < column_count(); ++c)
    if (column_name(c) == name) return c;
  throw Error(ErrorCode::internal, "no column " + std::string(name));
}

ResultSet RowsView::materialize(std::size_t limit) const {
  ResultSet out;
  const std::size_t columns = column_count(), rows = std::min(limit, row_count());
  out.columns.reserve(columns);
  for (std::size_t c = 0; c < columns; ++c) out.columns.emplace_back(column_name(c));
  out.rows.reserve(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    auto& row = out.rows.emplace_back();
    row.reserve(columns);
    for (std::size_t c = 0; c < columns; ++c) row.push_back(to_value(cell(r, c)));
  }
  return out;
}

CellView to_cell_view(const Value& v) {
  if (const auto* text = std::get_if<std::string>(&v)) return std::string_view(*text);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return {};
}

std::optional<std::int64_t> as_int(const CellView& cell) noexcept {
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return *i;
  if (const auto* d = std::get_if<double>(&cell)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string_view>(&cell)) {
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc{} && end == s->data() + s->size()) return out;
  }
  return std::nullopt;
}

CellView ResultSetView::cell(std::size_t row, std::size_t column) const { return to_cell_view(rows_.rows[row][column]); }

}  // namespace racetiming
