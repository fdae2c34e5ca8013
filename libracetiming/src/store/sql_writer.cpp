#include <fmt/format.h>

#include "racetiming/store/sql.hpp"

namespace racetiming {

SqlWriter& SqlWriter::bind(Value value) {
  sql_.params.push_back(std::move(value));
  fmt::format_to(std::back_inserter(sql_.text), "{}{}", dialect_ == Dialect::postgresql ? '$' : '?',
                 sql_.params.size());
  return *this;
}

}  // namespace racetiming
