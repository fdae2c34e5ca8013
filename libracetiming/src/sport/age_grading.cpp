#include "racetiming/sport/age_grading.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "sport/table_csv.hpp"

namespace racetiming::sport {

AgeGradingTable AgeGradingTable::parse(std::string_view csv, std::string_view source) {
  detail::TableCsv in(csv, source, {"gender", "distance_km", "open_standard_s", "age", "factor"});
  AgeGradingTable table;
  while (in.next()) {
    const auto gender = in.text(0);
    if (gender != "M" && gender != "F") in.fail("has a gender other than M or F");
    Row row{gender == "F" ? 1 : 0, in.number<double>(1) * 1000.0, in.number<int>(3), in.number<double>(2),
            in.number<double>(4)};
    if (!(row.distance_m > 0) || !(row.open_standard_s > 0) || !(row.factor > 0) || row.age < 1)
      in.fail("has a distance, standard, age or factor that is not positive");
    table.rows_.push_back(row);
  }
  if (table.rows_.empty()) in.fail("has no rows");
  auto key = [](const Row& r) { return std::tuple(r.gender, r.distance_m, r.age); };
  std::sort(table.rows_.begin(), table.rows_.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
  const auto [lo, hi] = std::minmax_element(table.rows_.begin(), table.rows_.end(),
                                            [](const Row& a, const Row& b) { return a.age < b.age; });
  for (const Row& r : table.rows_)
    if (auto& d = table.distances_[r.gender]; d.empty() || d.back() != r.distance_m) d.push_back(r.distance_m);
  table.min_age_ = lo->age;
  table.max_age_ = hi->age;
  return table;
}

const AgeGradingTable::Row* AgeGradingTable::find(int gender, double distance_m, int age) const noexcept {
  const auto it = std::lower_bound(rows_.begin(), rows_.end(), std::tuple(gender, distance_m, age), [](const Row& r, const auto& k) {
    return std::tuple(r.gender, r.distance_m, r.age) < k;
  });
  return it != rows_.end() && it->gender == gender && it->distance_m == distance_m && it->age == age ? &*it : nullptr;
}

std::optional<AgeStandard> AgeGradingTable::standard(char gender, int age, std::int64_t distance_m) const noexcept {
  if (gender != 'M' && gender != 'F' && gender != 'X') return std::nullopt;
  const int g = gender == 'M' ? 0 : 1;
  const double d = static_cast<double>(distance_m);
  // the listed distances around d (within half a metre is the listed one: 21098 m is the half marathon)
  const auto& listed = distances_[g];
  const auto above_it = std::lower_bound(listed.begin(), listed.end(), d - 0.5);
  if (above_it == listed.end()) return std::nullopt;
  if (std::abs(*above_it - d) <= 0.5) {
    const Row* r = find(g, *above_it, age);
    if (!r) return std::nullopt;
    return AgeStandard{r->open_standard_s * 1000.0 / r->factor, r->factor};
  }
  if (above_it == listed.begin()) return std::nullopt;
  const Row* below = find(g, *(above_it - 1), age);
  const Row* above = find(g, *above_it, age);
  if (!below || !above) return std::nullopt;
  const double w = (std::log(d) - std::log(below->distance_m)) / (std::log(above->distance_m) - std::log(below->distance_m));
  const double open_s = below->open_standard_s + w * (above->open_standard_s - below->open_standard_s);
  const double factor = below->factor + w * (above->factor - below->factor);
  return AgeStandard{open_s * 1000.0 / factor, factor};
}

std::optional<AgeGrade> AgeGradingTable::grade(char gender, int age, std::int64_t distance_m, std::int64_t time_ms) const noexcept {
  if (time_ms <= 0 || age < 0 || age > 199) return std::nullopt;
  const auto s = standard(gender == 'M' || gender == 'F' ? gender : 'X', age, distance_m);
  if (!s) return std::nullopt;
  // as the SQL's standards list carries them: whole milliseconds and millionths, rounded to nearest even
  const auto standard_ms = static_cast<std::int64_t>(std::nearbyint(s->standard_ms));
  const auto factor_ppm = static_cast<std::int64_t>(std::nearbyint(s->factor * 1e6));
  const std::int64_t hundredths = (standard_ms * 20000 / time_ms + 1) / 2;
  return AgeGrade{static_cast<double>(hundredths) / 100.0, (time_ms * factor_ppm + 500000) / 1000000};
}

}  // namespace racetiming::sport
