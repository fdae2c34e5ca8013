#include "racetiming/sport/divisions.hpp"

#include <charconv>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "text/utf8.hpp"

namespace racetiming::sport {

std::string division_for(char gender, int age) {
  if (age < 15) return fmt::format("{}01-14", gender);
  if (age >= 80) return fmt::format("{}80+", gender);
  const int low = age / 5 * 5;
  return fmt::format("{}{}-{}", gender, low, low + 4);
}

std::vector<AgeBand> parse_age_bands(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Error(ErrorCode::invalid_parameter, fmt::format("division_bands: {} (e.g. 1-19,20-29,30-39,40-49,50-59,60+)", why),
                 "division_bands");
  };
  auto number = [&](std::string_view digits) {
    int v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || v < 1 || v > 120)
      throw bad(fmt::format("'{}' is not an age from 1 to 120", text::echo(digits, 64)));
    return v;
  };
  std::vector<AgeBand> bands;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (!bands.empty() && bands.back().max_age == 0) throw bad("only the last band may be open (\"60+\")");
    AgeBand band{};
    if (item.ends_with('+')) {
      band.min_age = number(item.substr(0, item.size() - 1));
      band.label = fmt::format("{:02}+", band.min_age);
    } else {
      const auto dash = item.find('-');
      if (dash == std::string_view::npos) throw bad(fmt::format("'{}' is not a band like 20-29 or 60+", text::echo(item, 64)));
      band.min_age = number(item.substr(0, dash));
      band.max_age = number(item.substr(dash + 1));
      if (band.max_age < band.min_age) throw bad(fmt::format("'{}' ends before it starts", text::echo(item, 64)));
      band.label = fmt::format("{:02}-{:02}", band.min_age, band.max_age);
    }
    if (!bands.empty() && band.min_age <= bands.back().max_age) throw bad(fmt::format("'{}' overlaps the band before it", text::echo(item, 64)));
    bands.push_back(std::move(band));
  }
  if (bands.empty()) throw bad("no bands");
  return bands;
}

}  // namespace racetiming::sport
