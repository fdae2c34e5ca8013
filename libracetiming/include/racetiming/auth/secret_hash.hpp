#pragma once
// Slow, salted hashing of API-key secrets (scrypt, from OpenSSL). The stored form carries its parameters,
// "scrypt$N$r$p$salt$hash" (base64), so they can be raised later without invalidating existing keys.
#include <string>
#include <string_view>

namespace racetiming::auth {

std::string hash_secret(std::string_view secret);
// Recomputes and compares in constant time; false for a malformed stored hash.
bool verify_secret(std::string_view secret, std::string_view stored);
// SHA-256 of data, as 64 lower-case hex digits (fingerprints and hash chains, not secrets).
std::string sha256_hex(std::string_view data);

// n random bytes from OpenSSL's CSPRNG.
std::string random_bytes(std::size_t n);

}  // namespace racetiming::auth
