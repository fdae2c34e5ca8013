#pragma once
// Internal: providers' credentials at rest, sealed with AES-256-GCM under a key the operator holds
// (EngineOptions::credentials_key), so a copy of the database alone does not give them away.
#include <map>
#include <string>
#include <string_view>

namespace racetiming::integrations::detail {

class CredentialCipher {
 public:
  explicit CredentialCipher(std::string_view passphrase);  // empty: none configured
  bool configured() const noexcept { return !key_.empty(); }

  // "v1:" + base64(nonce | ciphertext | tag) of the fields as JSON. Error(unavailable) without a key.
  std::string seal(const std::map<std::string, std::string>& fields) const;
  // Error(unavailable) without a key or when the text was sealed under another key.
  std::map<std::string, std::string> open(std::string_view sealed) const;

 private:
  std::string key_;  // 32 bytes: SHA-256 of the passphrase
};

}  // namespace racetiming::integrations::detail
