// The SQL guard: what a partner's question may run, and every way out of its tables, columns,
// functions and tenant that must be refused with a reason that says what was wrong.
#define BOOST_TEST_MODULE nl
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "racetiming/error.hpp"
#include "nl/sql_guard.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

constexpr std::int64_t kPartner = 7;

// Long statements are shown by their start.
std::string shown(const std::string& sql) { return sql.size() > 200 ? sql.substr(0, 200) + "..." : sql; }

void accepted(const std::string& sql, const std::vector<Value>& params = {}) {
  try {
    nl::check_sql(sql, kPartner, params);
  } catch (const Error& e) {
    BOOST_ERROR("refused: " << shown(sql) << "\n  because: " << e.what());
  }
}

// Refused as forbidden, with a reason that contains `words`.
void refused(const std::string& sql, const std::string& words, const std::vector<Value>& params = {}) {
  try {
    nl::check_sql(sql, kPartner, params);
    BOOST_ERROR("accepted: " << shown(sql));
  } catch (const Error& e) {
    BOOST_TEST(e.code() == ErrorCode::forbidden);
    BOOST_TEST(std::string(e.what()).find(words) != std::string::npos,
               "reason for " << shown(sql) << "\n  is: " << e.what() << "\n  expected: " << words);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sql_guard)

BOOST_AUTO_TEST_CASE(accepts_the_questions_a_partner_asks) {
  accepted("SELECT count(*) AS finishers FROM ct_results r WHERE r.timing_partner_id = $1 AND r.is_final",
           {std::int64_t{7}});
  accepted("SELECT p.first_name, p.last_name, r.results_time_ms, ra.race_name, e.event_name "
           "FROM ct_results r JOIN ct_participants p ON p.participant_id = r.participant_id "
           "JOIN ct_races ra ON ra.race_id = r.race_id JOIN ct_events e ON e.event_id = ra.event_id "
           "WHERE r.timing_partner_id = 7 AND p.timing_partner_id = 7 AND ra.timing_partner_id = 7 "
           "AND e.timing_partner_id = 7 AND r.is_final ORDER BY r.results_time_ms LIMIT 10");
  accepted("WITH finals AS (SELECT r.race_id, r.results_time_ms FROM ct_results r "
           "WHERE r.timing_partner_id = 7 AND r.is_final) "
           "SELECT race_id, min(results_time_ms) AS best FROM finals GROUP BY race_id ORDER BY best");
  accepted("SELECT s.gender, avg(s.t) AS mean FROM (SELECT p.gender, r.results_time_ms AS t FROM ct_results r "
           "JOIN ct_participants p ON p.participant_id = r.participant_id AND p.timing_partner_id = 7 "
           "WHERE r.timing_partner_id = 7) s GROUP BY s.gender");
  accepted("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.results_time_ms) AS median "
           "FROM ct_results r WHERE r.timing_partner_id = 7 AND r.is_final");
  accepted("SELECT r.participant_id, RANK() OVER (PARTITION BY r.race_id ORDER BY r.results_time_ms) AS place "
           "FROM ct_results r WHERE r.timing_partner_id = 7");
}

BOOST_AUTO_TEST_CASE(accepts_the_rest_of_the_read_language) {
  // the one table of the level may be scoped without its name
  accepted("SELECT count(*) FROM ct_events WHERE timing_partner_id = $1", {std::int64_t{7}});
  accepted("SELECT ct_events.event_name FROM public.ct_events WHERE ct_events.timing_partner_id = 7");
  accepted("SELECT e.event_name FROM ct_events e WHERE 7 = e.timing_partner_id");
  // comments are only comments
  accepted("SELECT e.event_name -- the name\nFROM ct_events e /* scoped: */ WHERE e.timing_partner_id = 7 --");
  accepted("SELECT extract(year FROM e.event_date) AS y, count(*) AS n FROM ct_events e "
           "WHERE e.timing_partner_id = 7 AND e.event_date < CURRENT_DATE GROUP BY 1 ORDER BY n DESC");
  accepted("SELECT trim(both FROM p.team), lower(p.city), coalesce(p.division, 'open'), nullif(p.age, 0), "
           "greatest(p.age, 18), p.age::numeric / 2, CAST(p.age AS double precision), '2024-01-01'::date "
           "FROM ct_participants p WHERE p.timing_partner_id = 7 AND p.gender IN ('F', 'X') "
           "AND p.age BETWEEN 30 AND 39 AND p.last_name ILIKE 'sm%' AND p.team IS NOT NULL");
  accepted("SELECT CASE WHEN r.overall_place <= 3 THEN 'podium' ELSE 'field' END AS band, count(*) FILTER "
           "(WHERE r.is_final) FROM ct_results r WHERE r.timing_partner_id = 7 GROUP BY 1");
  // a correlated subquery sees the outer level and scopes its own table
  accepted("SELECT e.event_name FROM ct_events e WHERE e.timing_partner_id = 7 AND EXISTS (SELECT 1 FROM ct_races ra "
           "WHERE ra.timing_partner_id = 7 AND ra.event_id = e.event_id)");
  accepted("SELECT e.event_name, (SELECT count(*) FROM ct_races ra WHERE ra.timing_partner_id = 7 "
           "AND ra.event_id = e.event_id) AS races FROM ct_events e WHERE e.timing_partner_id = 7");
  accepted("SELECT ra.race_name FROM ct_races ra WHERE ra.timing_partner_id = 7 AND ra.event_id IN "
           "(SELECT e.event_id FROM ct_events e WHERE e.timing_partner_id = 7 AND e.status = 'completed')");
  // ON scopes an inner join and the nullable side of an outer one
  accepted("SELECT ra.race_name, count(r.result_id) FROM ct_races ra LEFT JOIN ct_results r "
           "ON r.race_id = ra.race_id AND r.timing_partner_id = 7 WHERE ra.timing_partner_id = 7 GROUP BY 1");
  accepted("SELECT ra.race_name FROM ct_races ra JOIN ct_events e USING (event_id) "
           "WHERE ra.timing_partner_id = 7 AND e.timing_partner_id = 7");
  accepted("SELECT e.event_name FROM ct_events e WHERE e.timing_partner_id = 7 UNION "
           "SELECT ra.race_name FROM ct_races ra WHERE ra.timing_partner_id = $1 ORDER BY event_name",
           {std::int64_t{7}});
  accepted("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = $1::bigint", {std::int64_t{7}});
  accepted("SELECT x.n FROM (VALUES (1), (2)) AS x(n)");
  accepted("SELECT 1");
  // a partner id past 32 bits is a "float" constant in the tree
  BOOST_CHECK_NO_THROW(
      nl::check_sql("SELECT e.city FROM ct_events e WHERE e.timing_partner_id = 12345678901", 12345678901));
}

BOOST_AUTO_TEST_CASE(refuses_anything_but_one_select) {
  refused("INSERT INTO ct_events (event_name) VALUES ('x')", "only SELECT statements are allowed");
  refused("UPDATE ct_results SET overall_place = 1 WHERE timing_partner_id = 7", "only SELECT statements are allowed");
  refused("DELETE FROM ct_results WHERE timing_partner_id = 7", "only SELECT statements are allowed");
  refused("DROP TABLE ct_results", "only SELECT statements are allowed");
  refused("COPY ct_results TO '/tmp/x'", "only SELECT statements are allowed");
  refused("SET app.current_partner_id = 8", "only SELECT statements are allowed");
  refused("BEGIN", "only SELECT statements are allowed");
  refused("EXPLAIN ANALYZE SELECT 1", "only SELECT statements are allowed");
  refused("SELECT 1; SELECT 2", "exactly one statement is allowed");
  refused("SELECT 1; DELETE FROM ct_results", "exactly one statement is allowed");
  refused("", "exactly one statement is allowed");
  refused(" -- nothing\n", "exactly one statement is allowed");
  refused("SELECT e.event_name INTO stolen FROM ct_events e WHERE e.timing_partner_id = 7",
          "SELECT INTO is not allowed");
  refused("SELECT e.event_name FROM ct_events e WHERE e.timing_partner_id = 7 FOR UPDATE", "FOR UPDATE is not allowed");
  refused("SELECT e.event_name FROM ct_events e WHERE e.timing_partner_id = 7 FOR SHARE", "FOR SHARE is not allowed");
  refused("WITH gone AS (DELETE FROM ct_results RETURNING result_id) SELECT result_id FROM gone",
          "only SELECT statements are allowed in WITH");
  refused("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n",
          "recursive WITH is not allowed");
}

BOOST_AUTO_TEST_CASE(refuses_tables_outside_the_policy) {
  refused("SELECT relname FROM pg_catalog.pg_class", "table pg_catalog.pg_class is not allowed");
  refused("SELECT relname FROM pg_class", "table pg_class is not allowed");
  refused("SELECT table_name FROM information_schema.tables", "table information_schema.tables is not allowed");
  refused("SELECT k.secret_hash FROM api_keys k", "table api_keys is not allowed");
  refused("SELECT name FROM timing_partners", "table timing_partners is not allowed");
  refused("SELECT e.city FROM other.ct_events e WHERE e.timing_partner_id = 7", "table other.ct_events is not allowed");
  refused("SELECT e.event_name FROM ct_events e WHERE e.timing_partner_id = 7 UNION SELECT secret_hash FROM api_keys",
          "table api_keys is not allowed");
  refused("SELECT e.city FROM ct_events e WHERE e.timing_partner_id = 7 AND e.event_id IN "
          "(SELECT k.api_key_id FROM api_keys k)",
          "table api_keys is not allowed");
  refused("SELECT g FROM generate_series(1, 10) g", "functions in FROM are not allowed");
  // renaming a table's columns by position could put an allowed name on an unseen column
  refused("SELECT r.result_id FROM ct_results r(result_id) WHERE r.timing_partner_id = 7",
          "column aliases on table ct_results are not allowed");
  refused("SELECT r.result_id FROM ct_results r TABLESAMPLE SYSTEM (10) WHERE r.timing_partner_id = 7",
          "RangeTableSample in FROM is not allowed");
  // a CTE of the statement's own is its own data, even under a table's name
  accepted("WITH api_keys AS (SELECT 1 AS secret_hash) SELECT secret_hash FROM api_keys");
}

BOOST_AUTO_TEST_CASE(refuses_columns_outside_the_policy) {
  refused("SELECT * FROM ct_results r WHERE r.timing_partner_id = 7", "* is not allowed");
  refused("SELECT r.* FROM ct_results r WHERE r.timing_partner_id = 7", "* is not allowed");
  refused("TABLE ct_events", "ct_events is not scoped");  // TABLE t is SELECT * FROM t, without a WHERE
  refused("SELECT r.secret FROM ct_results r WHERE r.timing_partner_id = 7",
          "column secret of ct_results is not allowed");
  refused("SELECT e.external_id FROM ct_events e WHERE e.timing_partner_id = 7",
          "column external_id of ct_events is not allowed");
  refused("SELECT external_id FROM ct_events e WHERE e.timing_partner_id = 7", "column external_id is not allowed");
  refused("SELECT x.event_name FROM ct_events e WHERE e.timing_partner_id = 7", "x is not a table of this statement");
  // a whole row carries every column, allowed or not
  refused("SELECT e FROM ct_events e WHERE e.timing_partner_id = 7", "column e is not allowed");
  refused("SELECT row_to_json(e) FROM ct_events e WHERE e.timing_partner_id = 7",
          "function row_to_json is not allowed");
  // an unseen column of an inner table must not be taken for an allowed one further out
  refused("SELECT (SELECT max(created_at) FROM ct_races ra WHERE ra.timing_partner_id = 7) AS created_at "
          "FROM ct_events e WHERE e.timing_partner_id = 7",
          "column created_at is not allowed");
  // GROUP BY takes a bare name from the tables first
  refused("SELECT extract(year FROM e.event_date) AS created_at, count(*) FROM ct_events e "
          "WHERE e.timing_partner_id = 7 GROUP BY created_at",
          "GROUP BY created_at");
  refused("SELECT ra.race_name FROM ct_races ra NATURAL JOIN ct_events e "
          "WHERE ra.timing_partner_id = 7 AND e.timing_partner_id = 7",
          "NATURAL JOIN is not allowed");
  refused("SELECT ra.race_name FROM ct_races ra JOIN ct_events e USING (created_at) "
          "WHERE ra.timing_partner_id = 7 AND e.timing_partner_id = 7",
          "column created_at is not allowed");
  // subquery columns are known by name
  refused("SELECT s.nope FROM (SELECT e.city FROM ct_events e WHERE e.timing_partner_id = 7) s",
          "column nope of s is not allowed");
  // ... by the names PostgreSQL gives them
  accepted("SELECT s.exists, s.name FROM (SELECT EXISTS (SELECT 1)::int, (SELECT e.event_name AS name FROM ct_events e "
           "WHERE e.timing_partner_id = 7 LIMIT 1)) s");
  refused("SELECT s.int4 FROM (SELECT EXISTS (SELECT 1)::int) s", "column int4 of s is not allowed");
  accepted("SELECT s.city FROM (SELECT (SELECT e.city FROM ct_events e WHERE e.timing_partner_id = 7 "
           "UNION SELECT 'none' LIMIT 1)) s");
  accepted("SELECT s.city, s.n FROM (SELECT e.city, count(*) AS n FROM ct_events e WHERE e.timing_partner_id = 7 "
           "GROUP BY e.city) s ORDER BY s.n DESC");
}

BOOST_AUTO_TEST_CASE(refuses_functions_casts_and_session_values) {
  refused("SELECT pg_sleep(10)", "function pg_sleep is not allowed");
  refused("SELECT e.city FROM ct_events e WHERE e.timing_partner_id = 7 AND pg_sleep(1) IS NOT NULL",
          "function pg_sleep is not allowed");
  refused("SELECT set_config('app.current_partner_id', '8', false)", "function set_config is not allowed");
  refused("SELECT current_setting('app.current_partner_id')", "function current_setting is not allowed");
  refused("SELECT dblink('host=evil', 'SELECT 1')", "function dblink is not allowed");
  refused("SELECT pg_catalog.pg_sleep(1)", "function pg_catalog.pg_sleep is not allowed");
  refused("SELECT pg_catalog.lower('A')", "function pg_catalog.lower is not allowed");
  refused("SELECT 'api_keys'::regclass", "cast to regclass is not allowed");
  refused("SELECT CAST(1 AS oid)", "cast to oid is not allowed");
  refused("SELECT '{1}'::int[]", "cast to pg_catalog.int4 is not allowed");
  refused("SELECT current_user", "CURRENT_USER is not allowed");
  refused("SELECT 1 OPERATOR(pg_catalog.+) 1", "operator pg_catalog.+ is not allowed");
  refused("SELECT 'a' SIMILAR TO 'b'", "SIMILAR TO is not allowed");
  refused("SELECT $1", "parameter $1 is not bound");
}

BOOST_AUTO_TEST_CASE(scopes_every_tenant_table_to_the_partner) {
  refused("SELECT count(*) FROM ct_results", "ct_results is not scoped to timing_partner_id = 7");
  refused("SELECT r.result_id FROM ct_results r WHERE r.is_final",
          "ct_results r is not scoped to timing_partner_id = 7");
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = 8",
          "ct_results r is scoped to another partner (timing_partner_id = 8, not 7)");
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = $1",
          "ct_results r is scoped to another partner (timing_partner_id = $1 bound to 8, not 7)", {std::int64_t{8}});
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = $1", "$1 bound to '7'",
          {std::string("7")});
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = -7", "ct_results r is scoped to");
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = 7 OR 1 = 1", "ct_results r is not scoped");
  refused("SELECT r.result_id FROM ct_results r WHERE NOT (r.timing_partner_id <> 7)", "ct_results r is not scoped");
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id >= 7", "ct_results r is not scoped");
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id IN (7, 8)", "ct_results r is not scoped");
  // every table of the level, and every level
  refused("SELECT r.result_id FROM ct_results r JOIN ct_participants p ON p.participant_id = r.participant_id "
          "WHERE r.timing_partner_id = 7",
          "ct_participants p is not scoped");
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = 7 AND r.participant_id IN "
          "(SELECT p.participant_id FROM ct_participants p WHERE p.last_name = 'Smith')",
          "ct_participants p is not scoped");
  refused("SELECT s.n FROM (SELECT count(*) AS n FROM ct_results r) s", "ct_results r is not scoped");
  refused("WITH all_results AS (SELECT r.result_id FROM ct_results r) SELECT result_id FROM all_results",
          "ct_results r is not scoped");
  refused("SELECT e.city FROM ct_events e WHERE e.timing_partner_id = 7 UNION SELECT e.city FROM ct_events e",
          "ct_events e is not scoped");
  // the outer scope does not reach into a subquery's own tables
  refused("SELECT r.result_id FROM ct_results r WHERE r.timing_partner_id = 7 AND EXISTS "
          "(SELECT 1 FROM ct_results r2 WHERE r2.result_id = r.result_id AND r.timing_partner_id = 7)",
          "ct_results r2 is not scoped");
  // ON of an outer join does not filter its preserved side
  refused("SELECT r.result_id FROM ct_results r LEFT JOIN ct_participants p "
          "ON p.participant_id = r.participant_id AND r.timing_partner_id = 7 AND p.timing_partner_id = 7",
          "ct_results r is not scoped");
  refused("SELECT r.result_id FROM ct_results r FULL JOIN ct_participants p "
          "ON r.timing_partner_id = 7 AND p.timing_partner_id = 7",
          "is not scoped");
  // a bare column names the only table of its level, not one of two
  refused("SELECT r.result_id FROM ct_results r, ct_participants p WHERE timing_partner_id = 7 "
          "AND p.timing_partner_id = 7",
          "ct_results r is not scoped");
  // a partner predicate in HAVING or the select list scopes nothing
  refused("SELECT r.race_id FROM ct_results r GROUP BY r.race_id, r.timing_partner_id HAVING r.timing_partner_id = 7",
          "ct_results r is not scoped");
}

// The verdict stands for SQLite too (callers turn ?n into $n), so text its lexer splits otherwise is refused.
BOOST_AUTO_TEST_CASE(refuses_text_sqlite_would_read_otherwise) {
  // PostgreSQL nests block comments: it reads SELECT 1, SQLite reads SELECT 1, secret_hash FROM api_keys
  refused("SELECT 1 /* /* */ , secret_hash FROM api_keys -- */", "nested /* comments */ are not allowed");
  // PostgreSQL ends a -- comment at a carriage return: SQLite would run this unscoped
  refused("SELECT r.result_id FROM ct_results r -- all\rWHERE r.timing_partner_id = 7", "must end with a newline");
  accepted("SELECT r.result_id FROM ct_results r -- all\r\nWHERE r.timing_partner_id = 7");
  accepted("/* finishers */ SELECT r.result_id /* id */ FROM ct_results r WHERE r.timing_partner_id = 7 -- done");
  refused("SELECT E'a\\'' AS x", "only plain '...' string literals are allowed");
  refused("SELECT $$ , secret_hash FROM api_keys $$ AS x", "only plain '...' string literals are allowed");
  refused("SELECT U&'d\\0061t' AS x", "only plain '...' string literals are allowed");
  refused("SELECT 1 AS U&\"x\"", "U& identifiers are not allowed");
  accepted("SELECT 'it''s', 'back\\slash', \"first_name\" FROM ct_participants WHERE timing_partner_id = 7");
}

BOOST_AUTO_TEST_CASE(refuses_what_does_not_parse) {
  refused("SELEC 1", "syntax error at or near \"SELEC\"");
  refused("SELECT FROM WHERE", "syntax error");
  refused("SELECT 'unterminated", "unterminated quoted string");
  std::string garbage;
  for (int i = 0; garbage.size() < 10 * 1024; ++i) garbage += static_cast<char>("x;'\")(*/-- $\\\n"[i % 15]);
  refused(garbage, "");
  refused(std::string("SELECT 1\0; DELETE FROM ct_results", 34), "NUL byte");
  refused("SELECT " + std::string(70 * 1024, ' ') + "1", "longer than");
  std::string deep = "SELECT 1";
  for (int i = 0; i < 5000; ++i) deep += " + 1";
  refused(deep, "nested too deeply");
  std::string parens = "SELECT ";
  for (int i = 0; i < 2000; ++i) parens += "ARRAY[";
  refused(parens + "1" + std::string(2000, ']'), "nested too deeply");
}

BOOST_AUTO_TEST_SUITE_END()
