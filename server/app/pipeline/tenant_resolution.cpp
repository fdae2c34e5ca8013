#include "app/pipeline/tenant_resolution.hpp"

#include "app/call_params.hpp"

namespace racetimingd::app {

using racetiming::Error;
using racetiming::ErrorCode;

void TenantResolver::check(const http::Request& request, const PathParams& params, const racetiming::Tenant& tenant) const {
  std::optional<std::int64_t> named;
  if (auto it = params.find("partner_id"); it != params.end()) {
    named = id_param(it->second, "partner_id");
  } else if (auto header = request.header("X-Timing-Partner-ID"); !header.empty()) {
    named = id_param(header, "X-Timing-Partner-ID");
  } else if (auto slug = host_slug(request)) {
    auto partner = engine_.find_partner(*slug);
    named = partner ? partner->timing_partner_id : 0;  // an unknown slug is no partner of this credential either
  }
  if (named && *named != tenant.partner_id()) throw Error(ErrorCode::tenant_mismatch, "the credential belongs to another partner");
}

bool TenantResolver::needs_lookup(const http::Request& request, const PathParams& params) const {
  return !params.contains("partner_id") && request.header("X-Timing-Partner-ID").empty() && host_slug(request);
}

std::optional<std::string> TenantResolver::host_slug(const http::Request& request) const {
  auto host = request.header("Host");
  host = host.substr(0, host.find(':'));
  const std::string suffix = "-api." + base_domain_;
  if (host.size() <= suffix.size() || !host.ends_with(suffix)) return std::nullopt;
  return std::string(host.substr(0, host.size() - suffix.size()));
}

}  // namespace racetimingd::app
