#pragma once
// Internal: the words of an answer (summary.cpp).
#include <string>

#include "racetiming/nl/plan.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::nl {

// One sentence a race director would say aloud about an answer.
std::string summarize(const Plan& plan, const ResultSet& rows);

// How the question was read: "Counted finishers of the Boston Marathon 2024 with chip time under 3:00:00."
std::string interpret(const Plan& plan);

}  // namespace racetiming::nl
