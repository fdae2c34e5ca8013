#include "racetiming/auth/secret_hash.hpp"

#include <charconv>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "racetiming/error.hpp"

namespace racetiming::auth {
namespace {

// scrypt's interactive-login parameters (N=2^14, r=8, p=1): about 16 MiB and tens of milliseconds per
// check. The daemon caches verified keys briefly, so this cost is paid once per key, not per request.
constexpr std::uint64_t kN = 1 << 14, kR = 8, kP = 1;
constexpr std::size_t kSaltBytes = 16, kHashBytes = 32;

std::string b64(const std::string& raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> unb64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --len;
  out.resize(len);
  return out;
}

std::string derive(std::string_view secret, const std::string& salt, std::uint64_t n, std::uint64_t r, std::uint64_t p,
                   std::size_t len) {
  std::string out(len, '\0');
  if (EVP_PBE_scrypt(secret.data(), secret.size(), reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n,
                     r, p, 64ull << 20, reinterpret_cast<unsigned char*>(out.data()), len) != 1)
    throw Error(ErrorCode::internal, "scrypt failed");
  return out;
}

}  // namespace

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw Error(ErrorCode::internal, "no randomness available");
  return out;
}

std::string sha256_hex(std::string_view data) {
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again on every digest, which cost
  // more than the digest itself on the daemon's per-request key-cache lookup.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (sha256 == nullptr || EVP_Digest(data.data(), data.size(), out, &len, sha256, nullptr) != 1)
    throw Error(ErrorCode::internal, "SHA-256 is not available");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(2 * len, '\0');
  for (unsigned i = 0; i < len; ++i) {
    hex[2 * i] = kDigits[out[i] >> 4];
    hex[2 * i + 1] = kDigits[out[i] & 0xf];
  }
  return hex;
}

std::string hash_secret(std::string_view secret) {
  const std::string salt = random_bytes(kSaltBytes);
  return fmt::format("scrypt${}${}${}${}${}", kN, kR, kP, b64(salt), b64(derive(secret, salt, kN, kR, kP, kHashBytes)));
}

bool verify_secret(std::string_view secret, std::string_view stored) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (true) {
    const auto end = stored.find('$', pos);
    parts.push_back(stored.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  std::uint64_t n = 0, r = 0, p = 0;
  auto num = [](std::string_view s, std::uint64_t& v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && end == s.data() + s.size();
  };
  if (!num(parts[1], n) || !num(parts[2], r) || !num(parts[3], p) || n > (1u << 20) || r > 32 || p > 4) return false;
  auto salt = unb64(parts[4]);
  auto expected = unb64(parts[5]);
  if (!salt || !expected || expected->empty()) return false;
  const std::string actual = derive(secret, *salt, n, r, p, expected->size());
  return CRYPTO_memcmp(actual.data(), expected->data(), actual.size()) == 0;
}

}  // namespace racetiming::auth
