#include "integrations/credential_cipher.hpp"

#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/error.hpp"

namespace racetiming::integrations::detail {
namespace {

constexpr int kNonce = 12, kTag = 16;
constexpr std::string_view kPrefix = "v1:";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

[[noreturn]] void unavailable(const char* why) { throw Error(ErrorCode::unavailable, why); }

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::vector<unsigned char> unbase64(std::string_view text) {
  std::vector<unsigned char> out(3 * text.size() / 4 + 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) unavailable("the stored credentials are damaged");
  std::size_t size = static_cast<std::size_t>(n);
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) --size;  // EVP_DecodeBlock counts the padding
  out.resize(size);
  return out;
}

}  // namespace

CredentialCipher::CredentialCipher(std::string_view passphrase) {
  if (passphrase.empty()) return;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(passphrase.data()), passphrase.size(), digest);
  key_.assign(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string CredentialCipher::seal(const std::map<std::string, std::string>& fields) const {
  if (!configured())
    unavailable("credentials cannot be stored: no credentials key is configured (RACETIMING_CREDENTIALS_KEY, or the daemon's --credentials-key-file)");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  for (const auto& [k, v] : fields) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  const auto* plain = reinterpret_cast<const unsigned char*>(buffer.GetString());
  const int plain_size = static_cast<int>(buffer.GetSize());

  std::vector<unsigned char> out(kNonce + static_cast<std::size_t>(plain_size) + kTag);
  if (RAND_bytes(out.data(), kNonce) != 1) unavailable("no random bytes for a nonce");
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0, tail = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(key_.data()), out.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + kNonce, &n, plain, plain_size) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonce + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, out.data() + kNonce + n + tail) != 1)
    unavailable("the credentials could not be sealed");
  return std::string(kPrefix) + base64(out.data(), out.size());
}

std::map<std::string, std::string> CredentialCipher::open(std::string_view sealed) const {
  if (!configured()) unavailable("the stored credentials cannot be read: no credentials key is configured");
  if (sealed.substr(0, kPrefix.size()) != kPrefix) unavailable("the stored credentials are damaged");
  const auto bytes = unbase64(sealed.substr(kPrefix.size()));
  if (bytes.size() < kNonce + kTag) unavailable("the stored credentials are damaged");
  const int size = static_cast<int>(bytes.size()) - kNonce - kTag;
  std::string plain(static_cast<std::size_t>(size), '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0, tail = 0;
  auto* tag = const_cast<unsigned char*>(bytes.data() + kNonce + size);
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(key_.data()), bytes.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &n, bytes.data() + kNonce, size) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + n, &tail) != 1)
    unavailable("the stored credentials cannot be read: they were sealed under another credentials key");
  rapidjson::Document doc;
  doc.Parse(plain.data(), plain.size());
  if (doc.HasParseError() || !doc.IsObject()) unavailable("the stored credentials are damaged");
  std::map<std::string, std::string> fields;
  for (const auto& m : doc.GetObject())
    if (m.value.IsString()) fields[m.name.GetString()] = m.value.GetString();
  return fields;
}

}  // namespace racetiming::integrations::detail
