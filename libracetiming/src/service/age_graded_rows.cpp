#include "service/age_graded_rows.hpp"

namespace racetiming::service::detail {

AgeGradedRows::AgeGradedRows(const RowsView& rows, const sport::AgeGradingTable& table) : rows_(rows) {
  const std::size_t gender = rows.column("gender"), age = rows.column("age"), status = rows.column("status"),
                    time = rows.column("results_time_ms"), distance = rows.column("distance_m");
  grades_.reserve(rows.row_count());
  for (std::size_t r = 0; r < rows.row_count(); ++r) {
    const CellView gender_cell = rows.cell(r, gender), status_cell = rows.cell(r, status);
    const auto* g = std::get_if<std::string_view>(&gender_cell);
    const auto* s = std::get_if<std::string_view>(&status_cell);
    const auto years = as_int(rows.cell(r, age)), ms = as_int(rows.cell(r, time)), metres = as_int(rows.cell(r, distance));
    // finishes only: a time beside another status (a disqualification) is not graded
    if (g && !g->empty() && s && *s == "finished" && years && ms && metres)
      grades_.push_back(table.grade((*g)[0], static_cast<int>(*years), *metres, *ms));
    else
      grades_.emplace_back();
  }
}

std::string_view AgeGradedRows::column_name(std::size_t column) const {
  const std::size_t own = rows_.column_count();
  if (column < own) return rows_.column_name(column);
  return column == own ? "age_grade" : "age_graded_time_ms";
}

CellView AgeGradedRows::cell(std::size_t row, std::size_t column) const {
  const std::size_t own = rows_.column_count();
  if (column < own) return rows_.cell(row, column);
  const auto& grade = grades_[row];
  if (!grade) return std::monostate{};
  if (column == own) return grade->percent;
  return grade->graded_time_ms;
}

}  // namespace racetiming::service::detail
