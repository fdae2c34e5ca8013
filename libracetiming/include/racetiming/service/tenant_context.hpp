#pragma once
// Who is asking, for which partner: what every host builds from its credentials before calling in.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace racetiming {

struct TenantContext {
  std::int64_t partner_id = 0;
  std::optional<std::int64_t> user_id, key_id;
  std::vector<std::string> permissions;
  std::string request_id;

  bool can(std::string_view permission) const {
    return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
  }
};

}  // namespace racetiming
