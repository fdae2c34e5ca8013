#pragma once
// People at a partner, with the permissions their keys and tokens may carry.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "racetiming/store/database.hpp"

namespace racetiming::admin {

struct User {
  std::int64_t user_id = 0, timing_partner_id = 0;
  std::string display_name, email;
  std::vector<std::string> permissions;
};

// Empty permissions mean auth::default_permissions(). Throws Error(not_found, "partner") for an unknown
// partner, Error(invalid_parameter) for an empty name or unknown permission.
std::int64_t add_user(Database& db, std::int64_t partner_id, const std::string& display_name,
                      const std::string& email = {}, std::vector<std::string> permissions = {});
std::optional<User> find_user(Database& db, std::int64_t user_id);
std::vector<User> list_users(Database& db, std::int64_t partner_id);

}  // namespace racetiming::admin
