// Digests and slow hashes behind API keys and idempotency keys.
#include <boost/test/unit_test.hpp>

#include "racetiming/auth/secret_hash.hpp"

using namespace racetiming::auth;

BOOST_AUTO_TEST_SUITE(secret_hash)

BOOST_AUTO_TEST_CASE(sha256_hex_matches_the_standard_vectors) {
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(a_hashed_secret_verifies_only_itself) {
  const std::string stored = hash_secret("rt_live_secret");
  BOOST_TEST(verify_secret("rt_live_secret", stored));
  BOOST_TEST(!verify_secret("rt_live_secreT", stored));
  BOOST_TEST(!verify_secret("rt_live_secret", "scrypt$bad"));
}

BOOST_AUTO_TEST_SUITE_END()
