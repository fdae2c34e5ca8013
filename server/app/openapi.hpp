#pragma once
// The OpenAPI 3.1 document of the daemon, written from the router's own table: every route with its
// parameters, body, success response and the problems it may answer, and the resource schemas from
// the library's resource_schema tables. Served at /api/v1/openapi.json.
#include <string>
#include <string_view>

#include "app/router.hpp"

namespace racetimingd::app {

std::string openapi_document(const Router& router, std::string_view version);

}  // namespace racetimingd::app
