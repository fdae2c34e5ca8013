#include "racetiming/store/value.hpp"

#include <charconv>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/detail/rows_view.hpp"

namespace racetiming {

std::optional<std::int64_t> as_int(const Value& v) noexcept { return as_int(to_cell_view(v)); }

std::optional<double> as_real(const Value& v) noexcept {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc{} && end == s->data() + s->size()) return out;
  }
  return std::nullopt;
}

std::string as_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

std::optional<std::size_t> ResultSet::find_column(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  return std::nullopt;
}

std::size_t ResultSet::column(std::string_view name) const {
  if (const auto i = find_column(name)) return *i;
  throw Error(ErrorCode::internal, fmt::format("no column '{}' in result", name));
}

}  // namespace racetiming
