#pragma once
#include <functional>
#include <string>

#include "app/router.hpp"

namespace racetimingd::app {

// Runs a job off the request workers (a sync may take minutes).
using Background = std::function<void(std::function<void()>)>;

// {prefix}/integrations (list, get, put, delete; credentials write-only), POST
// {prefix}/integrations/{provider}/sync (202, run in the background) and {prefix}/sync-history.
void add_integration_routes(Router& router, const std::string& prefix, Background background);

}  // namespace racetimingd::app
