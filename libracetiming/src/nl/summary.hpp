#pragma once
// Internal: the one-line summary of an answer.
#include <string>

#include "racetiming/nl/plan.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::nl {

std::string summarize(const Plan& plan, const ResultSet& rows);

}  // namespace racetiming::nl
