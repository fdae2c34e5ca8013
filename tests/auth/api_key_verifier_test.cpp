// API keys through the daemon's verifier: the cache, and what happens when an entry expires.
#include <boost/test/unit_test.hpp>

#include "racetiming/admin/api_keys.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/auth/api_key_verifier.hpp"
#include "racetiming/store/database.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

struct KeyFixture {
  test::TempDir dir;
  Database db = Database::open(dir.sqlite_url());
  std::int64_t partner = (db.migrate(), admin::add_partner(db, "Big River Race Management", "big-river"));
  admin::CreatedKey key = admin::create_api_key(db, partner);
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_key_verifier, KeyFixture)

BOOST_AUTO_TEST_CASE(a_verified_key_is_cached_and_a_wrong_one_never) {
  auth::ApiKeyVerifier keys(db);
  BOOST_TEST(!keys.cached(key.api_key));  // nothing verified yet
  auto verified = keys.verify(key.api_key);
  BOOST_TEST_REQUIRE(verified.has_value());
  BOOST_TEST(verified->timing_partner_id == partner);
  BOOST_TEST(keys.cached(key.api_key)->key_id == verified->key_id);

  std::string wrong = key.api_key;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  BOOST_TEST(!keys.verify(wrong));
  BOOST_TEST(!keys.cached(wrong));
}

// An expired entry is rechecked by key id (no slow hash): still valid while unrevoked, refused at once
// when revoked, and then forgotten.
BOOST_AUTO_TEST_CASE(an_expired_entry_is_rechecked_and_revocation_ends_it) {
  auth::ApiKeyVerifier keys(db, std::chrono::seconds(0));
  BOOST_TEST_REQUIRE(keys.verify(key.api_key).has_value());
  BOOST_TEST(!keys.cached(key.api_key));  // a TTL of zero: expired as soon as stored
  BOOST_TEST_REQUIRE(keys.verify(key.api_key).has_value());  // the recheck
  admin::revoke_api_key(db, key.key_id);
  BOOST_TEST(!keys.verify(key.api_key));
  BOOST_TEST(!keys.verify(key.api_key));  // the entry is gone: a full verification refuses it too
}

BOOST_AUTO_TEST_CASE(recheck_answers_for_unrevoked_keys_only) {
  auto now = admin::recheck_api_key(db, key.key_id);
  BOOST_TEST_REQUIRE(now.has_value());
  BOOST_TEST(now->timing_partner_id == partner);
  BOOST_TEST(!now->scopes.empty());
  BOOST_TEST(!admin::recheck_api_key(db, key.key_id + 1000));
  admin::revoke_api_key(db, key.key_id);
  BOOST_TEST(!admin::recheck_api_key(db, key.key_id));
}

BOOST_AUTO_TEST_SUITE_END()
