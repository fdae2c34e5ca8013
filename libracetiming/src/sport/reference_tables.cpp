#include "racetiming/sport/reference_tables.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "racetiming/error.hpp"

namespace racetiming::store::embedded {
extern const std::pair<std::string_view, std::string_view> kFiles[];
extern const int kFileCount;
}  // namespace racetiming::store::embedded

namespace racetiming::sport {
namespace {

std::string_view embedded(std::string_view name) {
  for (int i = 0; i < store::embedded::kFileCount; ++i)
    if (store::embedded::kFiles[i].first.ends_with(name)) return store::embedded::kFiles[i].second;
  throw Error(ErrorCode::internal, fmt::format("the built-in table {} is missing", name));
}

// The last by name of the directory's files called prefix*.csv ("boston-qualifying-2027.csv" after -2026).
std::optional<std::filesystem::path> newest(const std::filesystem::path& dir, std::string_view prefix) {
  std::optional<std::filesystem::path> best;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with(prefix) && name.ends_with(".csv") &&
        (!best || name > best->filename().string()))
      best = entry.path();
  }
  return best;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) throw Error(ErrorCode::invalid_parameter, fmt::format("cannot read {}", path.string()), "data_dir");
  return text.str();
}

}  // namespace

const ReferenceTables& ReferenceTables::built_in() {
  static const ReferenceTables tables{AgeGradingTable::parse(embedded("age-grade-2025.csv"), "age-grade-2025.csv"),
                                      QualifyingTable::parse(embedded("boston-qualifying-2026.csv"), "boston-qualifying-2026.csv")};
  return tables;
}

ReferenceTables ReferenceTables::from_directory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(ErrorCode::invalid_parameter, fmt::format("the data directory {} is not a directory", dir), "data_dir");
  ReferenceTables tables = built_in();
  if (auto path = newest(dir, "age-grade"))
    tables.age_grading = AgeGradingTable::parse(read(*path), path->filename().string());
  if (auto path = newest(dir, "boston-qualifying"))
    tables.boston_qualifying = QualifyingTable::parse(read(*path), path->filename().string());
  return tables;
}

}  // namespace racetiming::sport
