// Bearer tokens: what is accepted, and every way a token must be refused.
#define BOOST_TEST_MODULE auth
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>

#include <jwt.h>

#include "racetiming/auth/jwt.hpp"
#include "racetiming/error.hpp"
#include "test_support.hpp"

using namespace racetiming;
using namespace racetiming::auth;

namespace {

const std::string kSecretA(40, 'a'), kSecretB(40, 'b');

JwtConfig config() {
  JwtConfig c;
  c.keys = {{"k2", kSecretB, false}, {"k1", kSecretA, false}, {"old", std::string(40, 'o'), true}};
  return c;
}

// A token built by hand, so that each test can break exactly one thing.
std::string forge(const std::function<void(jwt_t*)>& edit, jwt_alg_t alg = JWT_ALG_HS256, const std::string& kid = "k1",
                  const std::string& secret = kSecretA) {
  jwt_t* raw = nullptr;
  jwt_new(&raw);
  std::unique_ptr<jwt_t, void (*)(jwt_t*)> j(raw, jwt_free);
  const long now = static_cast<long>(std::time(nullptr));
  if (!kid.empty()) jwt_add_header(j.get(), "kid", kid.c_str());
  jwt_add_grant(j.get(), "iss", "racetiming");
  jwt_add_grant(j.get(), "aud", "racetiming-api");
  jwt_add_grant_int(j.get(), "iat", now);
  jwt_add_grant_int(j.get(), "exp", now + 600);
  jwt_add_grant_int(j.get(), "tp", 7);
  jwt_add_grant(j.get(), "sub", "3");
  jwt_add_grant(j.get(), "scope", "read:events read:results");
  edit(j.get());
  if (alg == JWT_ALG_NONE)
    jwt_set_alg(j.get(), JWT_ALG_NONE, nullptr, 0);
  else
    jwt_set_alg(j.get(), alg, reinterpret_cast<const unsigned char*>(secret.data()), static_cast<int>(secret.size()));
  char* text = jwt_encode_str(j.get());
  std::string out = text;
  std::free(text);
  return out;
}

std::string refusal(const JwtIssuer& issuer, const std::string& token) {
  try {
    issuer.verify(token);
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::unauthenticated);
    return e.what();
  }
  return "accepted";
}

}  // namespace

BOOST_AUTO_TEST_CASE(issued_tokens_verify_and_rotation_keeps_old_keys) {
  JwtIssuer issuer(config());
  TokenClaims in{7, 3, 11, {"read:events", "run:nl-query"}, 0};
  auto out = issuer.verify(issuer.issue(in));
  BOOST_TEST(out.partner_id == 7);
  BOOST_TEST(out.user_id == std::optional<std::int64_t>(3));
  BOOST_TEST(out.key_id == std::optional<std::int64_t>(11));
  BOOST_TEST(out.scopes == in.scopes, boost::test_tools::per_element());
  // a token signed with the older key k1 is still accepted while k1 is configured and not retired
  BOOST_TEST(issuer.verify(forge([](jwt_t*) {})).partner_id == 7);
}

BOOST_AUTO_TEST_CASE(bad_tokens_are_refused) {
  JwtIssuer issuer(config());
  const long now = static_cast<long>(std::time(nullptr));
  BOOST_TEST(refusal(issuer, forge([](jwt_t*) {}, JWT_ALG_NONE)).find("HS256") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t*) {}, JWT_ALG_HS512)).find("HS256") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([now](jwt_t* j) { jwt_del_grants(j, "exp"); jwt_add_grant_int(j, "exp", now - 3600); }))
                 .find("expired") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([now](jwt_t* j) { jwt_del_grants(j, "iat"); jwt_add_grant_int(j, "iat", now + 3600); }))
                 .find("not yet valid") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([now](jwt_t* j) { jwt_add_grant_int(j, "nbf", now + 3600); })).find("not yet valid") !=
             std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t* j) { jwt_del_grants(j, "exp"); })).find("no exp") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t* j) { jwt_del_grants(j, "aud"); })).find("no aud") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t* j) { jwt_del_grants(j, "tp"); })).find("no tp") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t* j) { jwt_del_grants(j, "iss"); jwt_add_grant(j, "iss", "evil"); }))
                 .find("wrong issuer") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t* j) { jwt_del_grants(j, "aud"); jwt_add_grant(j, "aud", "other"); }))
                 .find("wrong audience") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t*) {}, JWT_ALG_HS256, "nope")).find("unknown kid") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t*) {}, JWT_ALG_HS256, "")).find("no kid") != std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t*) {}, JWT_ALG_HS256, "old", std::string(40, 'o'))).find("retired") !=
             std::string::npos);
  BOOST_TEST(refusal(issuer, forge([](jwt_t*) {}, JWT_ALG_HS256, "k1", kSecretB)).find("signature") != std::string::npos);
  // tampered payload: another partner's id under the original signature
  std::string good = forge([](jwt_t*) {});
  std::string other = forge([](jwt_t* j) { jwt_del_grants(j, "tp"); jwt_add_grant_int(j, "tp", 8); });
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  const std::string tampered = good.substr(0, dot1) + other.substr(other.find('.'), other.rfind('.') - other.find('.')) +
                               good.substr(dot2);
  BOOST_TEST(refusal(issuer, tampered).find("signature") != std::string::npos);
  BOOST_TEST(refusal(issuer, "not.a.token") != "accepted");
  BOOST_TEST(refusal(issuer, "") != "accepted");
  BOOST_TEST(refusal(issuer, std::string(10000, 'x')) != "accepted");
}

BOOST_AUTO_TEST_CASE(configuration_is_checked) {
  BOOST_CHECK_THROW(JwtIssuer(JwtConfig{}), Error);
  JwtConfig short_key;
  short_key.keys = {{"k", "short", false}};
  BOOST_CHECK_THROW(JwtIssuer{short_key}, Error);
}
