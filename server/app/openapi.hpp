#pragma once
// The OpenAPI 3.1 document of the daemon, written from the router's own table: every route with its
// parameters, body, success response and the problems it may answer, and the resource schemas from
// the library's resource_schema tables. Served at /api/v1/openapi.json.
#include <string>
#include <string_view>

#include "app/router.hpp"

namespace racetimingd::app {

std::string openapi_document(const Router& router, std::string_view version);

// The same for tool use (an OpenWebUI tool server, a model choosing calls): only what answers questions
// about the credential's partner: the reads of events, races, participants and results, and
// /nl-query, under /api/v1 (the partner is the credential's). Served at /api/v1/openapi-tools.json.
std::string openapi_tools_document(const Router& router, std::string_view version);

}  // namespace racetimingd::app
