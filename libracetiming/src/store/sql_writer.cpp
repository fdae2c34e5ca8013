#include <fmt/format.h>

#include "racetiming/store/sql.hpp"

namespace racetiming {

std::string utc_text_expression(Dialect dialect, std::string_view column) {
  if (dialect != Dialect::postgresql) return std::string(column);
  return fmt::format("to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')", column);
}

SqlWriter& SqlWriter::bind(Value value) {
  sql_.params.push_back(std::move(value));
  fmt::format_to(std::back_inserter(sql_.text), "{}{}", dialect_ == Dialect::postgresql ? '$' : '?',
                 sql_.params.size());
  return *this;
}

}  // namespace racetiming
