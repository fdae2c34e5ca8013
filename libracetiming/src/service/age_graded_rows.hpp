#pragma once
// Internal: result rows with each finish's age grade beside them, as two more columns (age_grade,
// age_graded_time_ms), computed from the rows' own gender, age, distance and time against the engine's
// table. A view: the page's JSON and its records read them like any column, and the rows themselves stay
// where they lie.
#include <optional>
#include <vector>

#include "racetiming/detail/rows_view.hpp"
#include "racetiming/sport/age_grading.hpp"

namespace racetiming::service::detail {

class AgeGradedRows final : public RowsView {
 public:
  // `rows` must have the results list's columns (gender, age, status, results_time_ms, distance_m).
  AgeGradedRows(const RowsView& rows, const sport::AgeGradingTable& table);

  std::size_t row_count() const override { return rows_.row_count(); }
  std::size_t column_count() const override { return rows_.column_count() + 2; }
  std::string_view column_name(std::size_t column) const override;
  CellView cell(std::size_t row, std::size_t column) const override;

 private:
  const RowsView& rows_;
  std::vector<std::optional<sport::AgeGrade>> grades_;
};

}  // namespace racetiming::service::detail
