#pragma once
// Internal: the SQL templates, one per intent (see templates.cpp).
#include <cstdint>
#include <string>

#include "racetiming/nl/plan.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming::nl {

struct RenderedQuery {
  Sql sql;
  std::string template_name;
};

RenderedQuery render(const Plan& plan, Dialect dialect, std::int64_t partner_id);

// The race rankings and times of an event use when the question names none: the race whose distance
// the event's name names ("Big River Marathon" -> its marathon), else the longest.
const CatalogRace* main_race(const CatalogEvent& e);

}  // namespace racetiming::nl
