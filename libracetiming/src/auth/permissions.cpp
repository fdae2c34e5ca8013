#include "racetiming/auth/permissions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "text/utf8.hpp"

namespace racetiming::auth {

const std::vector<std::string_view>& all_permissions() {
  static const std::vector<std::string_view> kAll = {
      "read:events",  "write:events",   "read:participants", "write:participants",  "read:results",
      "write:results", "read:analytics", "run:nl-query",      "manage:integrations", "read:audit"};
  return kAll;
}

const std::vector<std::string_view>& default_permissions() {
  static const std::vector<std::string_view> kDefault = {"read:events", "read:participants", "read:results",
                                                         "read:analytics", "run:nl-query"};
  return kDefault;
}

std::vector<std::string> parse_permissions(std::string_view list, std::string_view parameter) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    const auto end = list.find_first_of(", ", pos);
    std::string_view item = list.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (!item.empty()) {
      const auto& all = all_permissions();
      if (std::find(all.begin(), all.end(), item) == all.end())
        throw Error(ErrorCode::invalid_parameter,
                    fmt::format("unknown permission '{}' (known: {})", text::echo(item, 64), fmt::join(all, ", ")), std::string(parameter));
      if (std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return out;
}

std::string join_permissions(const std::vector<std::string>& permissions) {
  return fmt::format("{}", fmt::join(permissions, " "));
}

}  // namespace racetiming::auth
