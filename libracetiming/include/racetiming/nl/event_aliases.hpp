#pragma once
// A partner's own names for its events ("the Trot", "BRM"): the NL engine reads them as the event they
// name, within that partner's catalog only. An alias names an event by its name, so it holds for every
// edition ("the Trot in 2023").
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/service/tenant_context.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::nl {

struct EventAliasRecord {
  std::int64_t event_alias_id = 0;
  std::string alias;
  std::string event_name;  // as the partner's events spell it
};

// The partner's aliases, by alias.
std::vector<EventAliasRecord> list_event_aliases(Database& db, const TenantContext& ctx);

// Registers an alias. Errors: invalid_parameter "alias" (empty, over 100 bytes, not UTF-8, or no words),
// not_found "event_name" (the partner has no event of that name; compared without case), conflict "alias"
// (the partner already uses it, compared as the parser reads it: without case or punctuation).
EventAliasRecord add_event_alias(Database& db, const TenantContext& ctx, std::string_view alias, std::string_view event_name);

// Errors: not_found (no such alias of this partner).
void remove_event_alias(Database& db, const TenantContext& ctx, std::int64_t event_alias_id);

}  // namespace racetiming::nl
