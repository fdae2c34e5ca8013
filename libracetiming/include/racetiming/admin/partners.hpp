#pragma once
// Timing partners: the tenants.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "racetiming/store/database.hpp"

namespace racetiming::admin {

struct Partner {
  std::int64_t timing_partner_id = 0;
  std::string name, slug, domain;
};

// slug: lowercase letters, digits and '-', 1-63 characters (it becomes a host name label in domain
// tenancy). Throws Error(invalid_parameter) for a bad name or slug, Error(conflict) for a taken one.
std::int64_t add_partner(Database& db, const std::string& name, const std::string& slug, const std::string& domain = {});
std::vector<Partner> list_partners(Database& db);
std::optional<Partner> find_partner(Database& db, std::int64_t partner_id);
std::optional<Partner> find_partner_by_slug(Database& db, const std::string& slug);

// How much data each partner holds (an administrator's view across tenants).
struct PartnerCounts {
  std::int64_t timing_partner_id = 0;
  std::int64_t events = 0, races = 0, participants = 0, results = 0;
};
std::vector<PartnerCounts> partner_counts(Database& db);

}  // namespace racetiming::admin
