#pragma once
// The natural-language login of api.md: "I'm Josh from Big River Race Management, show me our events".
// The message names a person and a partner; the API key that comes with it proves them. A name alone
// authenticates no one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/admin/api_keys.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::auth {

// What a login message says: who, from which partner, and what they ask, if anything.
struct LoginMessage {
  std::string person;   // "Josh"
  std::string partner;  // "Big River Race Management"
  std::string request;  // "show me our events" ("" when the message only introduces)
};

// Reads "I'm X from Y[, request]", "I am X from Y", "This is X from/at/with Y", "X from Y here",
// "My name is X and I work at/for Y". nullopt when the message names no person and partner.
std::optional<LoginMessage> read_login_message(std::string_view message);

struct NaturalLogin {
  std::int64_t timing_partner_id = 0;
  std::int64_t user_id = 0;
  std::vector<std::string> permissions;  // the key's scopes
  std::string request;
};

// Checks a message against a verified API key: the partner it names (by name or slug, case and
// punctuation aside) must be the key's, and the person one of that partner's users (by first name or
// full display name; the key's own user when the key has one). Error(unauthenticated) otherwise, with a
// reason that does not say which part failed.
NaturalLogin natural_language_login(Database& db, const admin::VerifiedKey& key, std::string_view message);

}  // namespace racetiming::auth
