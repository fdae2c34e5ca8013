#pragma once
// Internal: a Plan rendered to one SELECT (render.cpp): the measure over the population, grouped or
// compared as the plan says, scoped to the partner with every value bound.
#include <cstdint>
#include <string>
#include <vector>

#include "racetiming/nl/plan.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming::nl {

struct RenderedQuery {
  Sql sql;
  std::string template_name;  // the shape of the statement ("count", "statistic_by_gender", ...)
};

// Boston questions read `boston`'s standards.
RenderedQuery render(const Plan& plan, Dialect dialect, std::int64_t partner_id,
                     const sport::QualifyingTable& boston = sport::ReferenceTables::built_in().boston_qualifying);

// The race rankings and times of an event use when the question names none: the race whose distance
// the event's name names ("Big River Marathon" -> its marathon), else the longest.
const CatalogRace* main_race(const CatalogEvent& e);

// The events and races a plan reads: the named race, the main race (rankings, times) or every race of
// each event in its scope.
struct ScopedRace {
  const CatalogEvent* event;
  const CatalogRace* race;
};
std::vector<const CatalogEvent*> scope_events(const Plan& p);
std::vector<ScopedRace> scope_races(const Plan& p);

}  // namespace racetiming::nl
