#pragma once
#include <string>

#include "app/router.hpp"
#include "racetiming/nl/engine.hpp"

namespace racetimingd::app {

// POST {prefix}/nl-query: a question in, an answer (JSON, CSV or a sentence) out; {prefix}/event-aliases:
// the partner's own names for its events. engine and db must outlive the router.
void add_nl_routes(Router& router, racetiming::nl::NlEngine& engine, racetiming::Database& db, const std::string& prefix);

}  // namespace racetimingd::app
