#pragma once
// How a command reports: a JSON object on stdout with --json, readable lines otherwise.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace racetiming::cli {

// One flat record: what each command prints.
class Record {
 public:
  using Field = std::variant<std::int64_t, std::string, std::vector<std::string>>;
  Record& add(std::string key, Field value) {
    fields_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  std::string json() const;
  // "key: value" lines
  std::string text() const;

 private:
  std::vector<std::pair<std::string, Field>> fields_;
};

// A list of records under one key, for --json; a table for people.
std::string json_list(std::string_view key, const std::vector<Record>& records);

}  // namespace racetiming::cli
