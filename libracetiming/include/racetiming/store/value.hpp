#pragma once
// Values that cross the store boundary: bound parameters going in, cells coming out.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace racetiming {

// NULL, an integer, a real, or text. Dates travel as ISO text ("2024-04-15").
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

inline bool is_null(const Value& v) noexcept { return std::holds_alternative<std::monostate>(v); }
// The integer in v (a real is truncated); nullopt for NULL or text that is not a number.
std::optional<std::int64_t> as_int(const Value& v) noexcept;
std::optional<double> as_real(const Value& v) noexcept;
// Text form of any value; "" for NULL.
std::string as_text(const Value& v);

// Rows of a query, with their column names.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  // Index of a named column; throws Error(internal) when absent, which is a programming error.
  std::size_t column(std::string_view name) const;
  // The same, nullopt when absent (a column some reads have and others not).
  std::optional<std::size_t> find_column(std::string_view name) const noexcept;
  const Value& at(std::size_t row, std::string_view name) const { return rows.at(row).at(column(name)); }
};

}  // namespace racetiming
