#include "racetiming/sport/qualifying.hpp"

#include "racetiming/sport/durations.hpp"
#include "sport/table_csv.hpp"

namespace racetiming::sport {

QualifyingTable QualifyingTable::parse(std::string_view csv, std::string_view source) {
  detail::TableCsv in(csv, source, {"gender", "age_min", "age_max", "standard"});
  QualifyingTable table;
  while (in.next()) {
    const auto gender = in.text(0);
    if (gender != "M" && gender != "F" && gender != "X") in.fail("has a gender other than M, F or X");
    QualifyingStandard s{gender[0], in.number<int>(1), in.number<int>(2), 0};
    if (s.age_min < 0 || s.age_max < s.age_min) in.fail("has an empty age range");
    const auto ms = parse_duration_ms(in.text(3));
    if (!ms || *ms <= 0) in.fail("has a bad standard (H:MM:SS)");
    s.standard_ms = *ms;
    table.rows_.push_back(s);
  }
  if (table.rows_.empty()) in.fail("has no standards");
  return table;
}

}  // namespace racetiming::sport
