#pragma once
// The permissions of api.md, carried by users, API keys (as scopes) and JWTs.
#include <string>
#include <string_view>
#include <vector>

namespace racetiming::auth {

// Every permission there is, in api.md's order.
const std::vector<std::string_view>& all_permissions();
// What a user or key gets when none are named: read everything of its partner and ask questions.
const std::vector<std::string_view>& default_permissions();
// Parses a comma- or space-separated list; throws Error(invalid_parameter, parameter) naming an unknown one.
std::vector<std::string> parse_permissions(std::string_view list, std::string_view parameter = "permissions");
// The canonical stored form: space-separated (as a JWT "scope" claim).
std::string join_permissions(const std::vector<std::string>& permissions);

}  // namespace racetiming::auth
