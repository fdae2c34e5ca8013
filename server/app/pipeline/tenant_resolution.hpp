#pragma once
// The tenant step: the partner a request names (path, then X-Timing-Partner-ID, then a Host of the form
// {slug}-api.{base_domain}) must be the credential's own; without any, the credential's partner is
// meant. Another partner is Error(tenant_mismatch), whether or not it exists.
#include <optional>
#include <string>

#include "app/router.hpp"
#include "http/message.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

class TenantResolver {
 public:
  TenantResolver(racetiming::Engine& engine, std::string base_domain)
      : engine_(engine), base_domain_(std::move(base_domain)) {}

  void check(const http::Request& request, const PathParams& params, const racetiming::Tenant& tenant) const;
  // True when the request names its partner only by Host, which takes a lookup by slug (a read an I/O
  // thread must not wait on).
  bool needs_lookup(const http::Request& request, const PathParams& params) const;

 private:
  std::optional<std::string> host_slug(const http::Request& request) const;

  racetiming::Engine& engine_;
  std::string base_domain_;
};

}  // namespace racetimingd::app
