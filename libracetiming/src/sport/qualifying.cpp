#include "racetiming/sport/qualifying.hpp"

#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::store::embedded {
extern const std::pair<std::string_view, std::string_view> kFiles[];
extern const int kFileCount;
}  // namespace racetiming::store::embedded

namespace racetiming::sport {
namespace {

std::vector<QualifyingStandard> load() {
  for (int i = 0; i < store::embedded::kFileCount; ++i) {
    auto [path, text] = store::embedded::kFiles[i];
    if (!path.ends_with("boston-qualifying-2026.csv")) continue;
    std::vector<QualifyingStandard> out;
    std::size_t pos = text.find('\n') + 1;  // past the header: gender,age_min,age_max,standard
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
      pos = end == std::string_view::npos ? text.size() : end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      std::string_view cells[4];
      for (auto& cell : cells) {
        const auto comma = line.find(',');
        cell = line.substr(0, comma);
        line = comma == std::string_view::npos ? std::string_view() : line.substr(comma + 1);
      }
      QualifyingStandard s{cells[0].empty() ? '?' : cells[0][0], 0, 0, 0};
      std::from_chars(cells[1].data(), cells[1].data() + cells[1].size(), s.age_min);
      std::from_chars(cells[2].data(), cells[2].data() + cells[2].size(), s.age_max);
      const auto ms = parse_duration_ms(cells[3]);
      if (!ms) throw Error(ErrorCode::internal, "boston-qualifying table: bad standard");
      s.standard_ms = *ms;
      out.push_back(s);
    }
    return out;
  }
  throw Error(ErrorCode::internal, "boston-qualifying table is missing");
}

}  // namespace

std::span<const QualifyingStandard> boston_standards() {
  static const std::vector<QualifyingStandard> table = load();
  return table;
}

}  // namespace racetiming::sport
