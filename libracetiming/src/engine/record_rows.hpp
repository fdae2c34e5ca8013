#pragma once
// Rows to records: each field of record_fields<R>() read from the column of its name, converted to the
// field's type. A column a record names but the rows lack leaves an optional field empty (a result read
// without its age grade); for any other field it is a programming error (Error(internal)).
#include <array>
#include <optional>
#include <tuple>
#include <type_traits>

#include "racetiming/records.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming {

namespace detail {

template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

template <class T>
T from_value(const Value& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return as_int(v).value_or(0) != 0;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return as_int(v).value_or(0);
  } else if constexpr (std::is_same_v<T, std::optional<std::int64_t>>) {
    return as_int(v);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    return as_real(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return as_text(v);
  } else {
    static_assert(std::is_same_v<T, std::optional<std::string>>, "a record field of an unknown type");
    return is_null(v) ? std::nullopt : std::optional<std::string>(as_text(v));
  }
}

}  // namespace detail

template <class Record>
std::vector<Record> records_from(const ResultSet& rows) {
  constexpr auto fields = record_fields<Record>();
  constexpr std::size_t n = std::tuple_size_v<decltype(fields)>;
  constexpr std::size_t absent = static_cast<std::size_t>(-1);
  std::array<std::size_t, n> columns{};
  std::size_t i = 0;
  const auto column_of = [&](std::string_view name, bool optional) {
    return optional ? rows.find_column(name).value_or(absent) : rows.column(name);  // throws for a required field
  };
  std::apply([&](const auto&... f) {
    ((columns[i++] = column_of(f.name, detail::is_optional_v<std::remove_cvref_t<decltype(Record{}.*(f.member))>>)), ...);
  }, fields);
  std::vector<Record> out(rows.rows.size());
  for (std::size_t r = 0; r < rows.rows.size(); ++r) {
    const auto& row = rows.rows[r];
    std::size_t c = 0;
    std::apply(
        [&](const auto&... f) {
          ((columns[c] == absent ? void(++c)
                                 : void(out[r].*(f.member) =
                                            detail::from_value<std::remove_cvref_t<decltype(out[r].*(f.member))>>(row[columns[c++]]))),
           ...);
        },
        fields);
  }
  return out;
}

}  // namespace racetiming
