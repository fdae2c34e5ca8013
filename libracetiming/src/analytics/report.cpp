#include "racetiming/report.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"

namespace racetiming {

const ResultSet& Report::table(std::string_view name) const {
  for (const auto& [n, rows] : tables)
    if (n == name) return rows;
  throw Error(ErrorCode::not_found, fmt::format("the {} report has no table {}", kind, name), "table");
}

}  // namespace racetiming
