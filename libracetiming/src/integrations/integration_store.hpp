#pragma once
// Internal: the integrations rows of one partner (RLS-scoped through the TenantSession).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "integrations/credential_cipher.hpp"
#include "racetiming/integrations/integration.hpp"

namespace racetiming {
class TenantSession;
}

namespace racetiming::integrations::detail {

std::vector<Integration> list_integrations(TenantSession& session);
std::optional<Integration> find_integration(TenantSession& session, Provider provider);
// Creates or replaces the partner's link to the provider; credentials left empty keep those stored.
Integration put_integration(TenantSession& session, Provider provider, const IntegrationInput& input,
                            const CredentialCipher& cipher);
void remove_integration(TenantSession& session, Provider provider);  // Error(not_found) when there is none

// The stored credentials, opened (for the sync alone).
std::map<std::string, std::string> integration_credentials(TenantSession& session, Provider provider,
                                                           const CredentialCipher& cipher);
void set_watermark(TenantSession& session, Provider provider, std::int64_t unix_seconds);

}  // namespace racetiming::integrations::detail
