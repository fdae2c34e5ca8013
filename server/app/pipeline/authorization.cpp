#include "app/pipeline/authorization.hpp"

#include <fmt/format.h>

namespace racetimingd::app {

void authorize(const Route& route, const racetiming::Tenant& tenant) {
  if (!tenant.context().can(route.permission))
    throw racetiming::Error(racetiming::ErrorCode::forbidden,
                            fmt::format("this credential lacks the permission {}", route.permission));
}

}  // namespace racetimingd::app
