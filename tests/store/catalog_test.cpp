// What PostgreSQL's own catalog says of a migrated database, whatever the code does: every tenant table
// (every table with a timing_partner_id, but the partners table itself) has row-level security enabled
// and forced with a policy; the runtime role owns nothing, is no superuser, has no BYPASSRLS, and cannot
// change or remove an audit row, which references no partner row; a view, if any, runs with its caller's
// rights. SQLite's audit log references no partner row either.
#include <boost/test/unit_test.hpp>

#include "racetiming/store/database.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

ResultSet catalog(Database& db, const std::string& sql) {
  AdminSession s(db);
  auto rows = s.query({sql, {}});
  s.commit();
  return rows;
}

// A boolean cell, as the store gives it (1 or 0).
bool truth(const Value& v) { return as_int(v).value_or(0) == 1 || as_text(v) == "t"; }

}  // namespace

BOOST_AUTO_TEST_CASE(postgresql_catalog_holds_the_tenancy_rules) {
  auto db = Database::open(test::ThrowawayPostgres::shared().create_database());
  db.migrate();

  const auto tables = catalog(db,
                              "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                              "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
                              "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                              "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'timing_partners' "
                              "AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
                              "AND a.attname = 'timing_partner_id' AND NOT a.attisdropped) ORDER BY 1");
  BOOST_TEST(tables.rows.size() >= 12u);  // the ten of the first schema and those added since
  for (const auto& t : tables.rows) {
    BOOST_TEST_CONTEXT(as_text(t[0])) {
      BOOST_TEST(truth(t[1]));  // enabled
      BOOST_TEST(truth(t[2]));  // forced: the owner is held to it too
      BOOST_TEST(as_int(t[3]).value_or(0) >= 1);
    }
  }

  const auto role = catalog(db, "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'racetiming_api'");
  BOOST_TEST_REQUIRE(role.rows.size() == 1u);
  BOOST_TEST(!truth(role.rows[0][0]));
  BOOST_TEST(!truth(role.rows[0][1]));
  BOOST_TEST(!truth(role.rows[0][2]));

  const auto owned = catalog(db,
                             "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) + "
                             "(SELECT count(*) FROM pg_proc WHERE proowner = r.oid) + "
                             "(SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) + "
                             "(SELECT count(*) FROM pg_type WHERE typowner = r.oid) "
                             "FROM pg_roles r WHERE r.rolname = 'racetiming_api'");
  BOOST_TEST(as_int(owned.rows.at(0).at(0)).value_or(-1) == 0);

  const auto audit = catalog(db,
                             "SELECT has_table_privilege('racetiming_api', 'audit_log', 'INSERT'), "
                             "has_table_privilege('racetiming_api', 'audit_log', 'SELECT'), "
                             "has_table_privilege('racetiming_api', 'audit_log', 'UPDATE'), "
                             "has_table_privilege('racetiming_api', 'audit_log', 'DELETE'), "
                             "has_table_privilege('racetiming_api', 'audit_log', 'TRUNCATE')");
  BOOST_TEST(truth(audit.rows.at(0).at(0)));
  BOOST_TEST(truth(audit.rows.at(0).at(1)));
  BOOST_TEST(!truth(audit.rows.at(0).at(2)));
  BOOST_TEST(!truth(audit.rows.at(0).at(3)));
  BOOST_TEST(!truth(audit.rows.at(0).at(4)));
  // the audit log references no partner row (migration 012): a removed partner keeps its trail
  const auto audit_keys = catalog(db, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'audit_log'::regclass AND contype = 'f'");
  BOOST_TEST(as_int(audit_keys.rows.at(0).at(0)).value_or(-1) == 0);

  // the partners table is read-only to the runtime role
  const auto partners = catalog(db, "SELECT has_table_privilege('racetiming_api', 'timing_partners', 'UPDATE'), "
                                    "has_table_privilege('racetiming_api', 'timing_partners', 'INSERT')");
  BOOST_TEST(!truth(partners.rows.at(0).at(0)));
  BOOST_TEST(!truth(partners.rows.at(0).at(1)));

  const auto views = catalog(db,
                             "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm') "
                             "AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)");
  for (const auto& v : views.rows) BOOST_TEST(false, "view without security_invoker: " << as_text(v[0]));
}

BOOST_AUTO_TEST_CASE(sqlite_audit_log_references_no_partner) {
  test::TempDir dir;
  auto db = Database::open(dir.sqlite_url());
  db.migrate();
  BOOST_TEST(catalog(db, "SELECT * FROM pragma_foreign_key_list('audit_log')").rows.empty());
}
