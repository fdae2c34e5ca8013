#pragma once
// The SQL guard: decides whether a statement written by someone we do not trust (a language model
// answering a partner's question) may run as a read for that partner. It parses with PostgreSQL's own
// grammar (libpg_query) and accepts only what it can account for, node by node: anything it does not
// know is refused, so new syntax fails closed.
//
// What passes is one SELECT (VALUES and UNION / INTERSECT / EXCEPT included, each arm checked like any
// SELECT; non-recursive WITH; subqueries anywhere, LATERAL included) that
//  - reads only the policy's tables (unqualified or in schema public) and CTEs and subqueries built on them,
//  - names only the policy's columns of them, never `*` (count(*) is fine) nor a whole row,
//  - calls only the policy's functions (plus the parser's spellings of SQL syntax: EXTRACT, SUBSTRING,
//    TRIM as btrim/ltrim/rtrim), uses only ordinary operators and casts to plain scalar types,
//  - scopes every reference to a tenant table with a top-level AND conjunct `alias.timing_partner_id = P`
//    in the WHERE clause of its own SELECT, or in the ON clause of a join that filters it (an inner join,
//    or the nullable side of an outer one), where P is the partner id as an integer literal or a `$n`
//    parameter bound to it. The column may be unqualified when the table is the only FROM item.
// Refused besides: SELECT INTO, FOR UPDATE/SHARE, data-modifying or recursive CTEs, functions in FROM,
// TABLESAMPLE, NATURAL joins and aliased joins, column aliases on a table (`ct_results r(a, b)` renames
// columns by position), output aliases in GROUP BY (PostgreSQL would look in the input columns first),
// session values other than CURRENT_DATE, LIKE ... ESCAPE and SIMILAR TO, array subscripts, COLLATE,
// and a `$n` with no value in params.
//
// Parameters are PostgreSQL's `$n`. SQLite statements number them `?n`: callers convert `?n` to `$n`
// before checking and must not change the text otherwise. Since the verdict then stands for SQLite too,
// text the two lexers split differently is refused: nested /* comments */, a -- comment ended by a lone
// carriage return, E'', $$ and U& strings. The guard is one layer: PostgreSQL sessions still run under
// row-level security and a statement timeout (TenantSession).
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "racetiming/store/value.hpp"

namespace racetiming::nl {

struct GuardPolicy {
  // Table name -> the columns a statement may name. Only these tables may be read.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> tables;
  // Tables whose every reference must be scoped to the partner (see above).
  std::set<std::string, std::less<>> tenant_tables;
  // Callable functions, lower case.
  std::set<std::string, std::less<>> functions;
  std::string tenant_column = "timing_partner_id";
};

// The runtime read schema: ct_events, ct_races, ct_participants, ct_results and race_tallies (all tenant
// tables) with their public columns, and the aggregate, window, text and date functions a question needs.
GuardPolicy default_policy();

// Returns when sql may run for partner_id with params bound to $1, $2, ...; otherwise throws
// Error(forbidden) whose message says what was wrong ("table api_keys is not allowed", ...).
void check_sql(std::string_view sql, std::int64_t partner_id, std::span<const Value> params, const GuardPolicy& policy);
void check_sql(std::string_view sql, std::int64_t partner_id, std::span<const Value> params = {});

}  // namespace racetiming::nl
