#pragma once
// Internal: the reference tables' CSV, read by column name through the library's one CSV reader.
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/ingest/interchange_csv.hpp"

namespace racetiming::sport::detail {

class TableCsv {
 public:
  TableCsv(std::string_view text, std::string_view source, std::initializer_list<std::string_view> columns)
      : reader_(text), source_(source) {
    std::vector<std::string> header;
    if (!reader_.next(header)) fail("has no header");
    for (auto name : columns) {
      std::size_t at = 0;
      while (at < header.size() && header[at] != name) ++at;
      if (at == header.size()) fail(fmt::format("lacks the column {}", name));
      index_.push_back(at);
    }
  }
  // The next row's fields in the order the columns were named; false at the end.
  bool next() {
    while (reader_.next(fields_)) {
      if (fields_.size() == 1 && fields_[0].empty()) continue;  // a blank line
      if (fields_.size() < index_.size()) fail("has a short row");
      return true;
    }
    return false;
  }
  std::string_view text(std::size_t column) const { return fields_.at(index_.at(column)); }
  template <class Number>
  Number number(std::size_t column) const {
    const std::string_view t = text(column);
    Number value{};
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc() || end != t.data() + t.size()) fail(fmt::format("has a bad number '{}'", t));
    return value;
  }
  [[noreturn]] void fail(std::string_view what) const {
    throw Error(ErrorCode::invalid_input, fmt::format("{} line {}: {}", source_, reader_.line(), what));
  }

 private:
  ingest::CsvReader reader_;
  std::string source_;
  std::vector<std::size_t> index_;
  std::vector<std::string> fields_;
};

}  // namespace racetiming::sport::detail
