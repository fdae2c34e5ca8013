#include "app/pipeline/authorization.hpp"

namespace racetimingd::app {

void authorize(const Route& route, const racetiming::Tenant& tenant) { tenant.require(route.permission); }

}  // namespace racetimingd::app
