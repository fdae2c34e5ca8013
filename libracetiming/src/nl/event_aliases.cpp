// A partner's event aliases: stored per partner (RLS on PostgreSQL, the partner predicate everywhere),
// each write moves the partner's data version so the engine's cached catalog reloads.
#include "racetiming/nl/event_aliases.hpp"

#include <fmt/format.h>

#include "nl/text.hpp"
#include "query/record_statements.hpp"
#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "text/utf8.hpp"

namespace racetiming::nl {
namespace {

constexpr std::size_t kMaxAliasBytes = 100;

// $n or ?n
std::string slot(Dialect d, int n) { return d == Dialect::postgresql ? fmt::format("${}", n) : fmt::format("?{}", n); }

// The alias as the parser reads a question: lower-case words, one space apart.
std::string alias_key(std::string_view alias) {
  std::string key;
  for (const Token& t : tokenize(alias)) {
    if (t.text == "?" || t.text == "'") continue;
    key += (key.empty() ? "" : " ") + t.text;
  }
  return key;
}

EventAliasRecord record_of(const std::vector<Value>& row) {
  return {as_int(row.at(0)).value_or(0), as_text(row.at(1)), as_text(row.at(2))};
}

}  // namespace

std::vector<EventAliasRecord> list_event_aliases(Database& db, const TenantContext& ctx) {
  TenantSession session(db, ctx.partner_id);
  const Dialect d = session.dialect();
  const auto rows = session.query_and_commit(
      {fmt::format("SELECT event_alias_id, alias, event_name FROM ct_event_aliases WHERE timing_partner_id = {} "
                   "ORDER BY alias_key, event_alias_id",
                   slot(d, 1)),
       {Value{ctx.partner_id}}});
  std::vector<EventAliasRecord> out;
  for (const auto& row : rows.rows) out.push_back(record_of(row));
  return out;
}

EventAliasRecord add_event_alias(Database& db, const TenantContext& ctx, std::string_view alias, std::string_view event_name) {
  if (alias.size() > kMaxAliasBytes || !text::is_utf8_text(alias))
    throw Error(ErrorCode::invalid_parameter, fmt::format("alias must be UTF-8 text of at most {} bytes", kMaxAliasBytes), "alias");
  const std::string key = alias_key(alias);
  if (key.empty()) throw Error(ErrorCode::invalid_parameter, "alias must hold at least one word", "alias");
  if (event_name.empty() || !text::is_utf8_text(event_name))
    throw Error(ErrorCode::invalid_parameter, "event_name is required", "event_name");

  TenantSession session(db, ctx.partner_id, Access::read_write);
  const Dialect d = session.dialect();
  const Value partner{ctx.partner_id};
  const auto named = session.query({fmt::format("SELECT event_name FROM ct_events WHERE timing_partner_id = {} AND "
                                                "lower(event_name) = lower({}) ORDER BY event_date DESC LIMIT 1",
                                                slot(d, 1), slot(d, 2)),
                                    {partner, Value{std::string(event_name)}}});
  if (named.rows.empty())
    throw Error(ErrorCode::not_found, fmt::format("no event of this partner is named '{}'", event_name), "event_name");
  const auto taken = session.query({fmt::format("SELECT event_name FROM ct_event_aliases WHERE timing_partner_id = {} AND alias_key = {}",
                                                slot(d, 1), slot(d, 2)),
                                    {partner, Value{key}}});
  if (!taken.rows.empty())
    throw Error(ErrorCode::conflict,
                fmt::format("the alias '{}' already names {}", alias, as_text(taken.rows.at(0).at(0))), "alias");
  const std::string canonical = as_text(named.rows.at(0).at(0));
  const auto inserted = session.query(
      {fmt::format("INSERT INTO ct_event_aliases (timing_partner_id, alias, alias_key, event_name) VALUES ({}, {}, {}, {}) "
                   "RETURNING event_alias_id, alias, event_name",
                   slot(d, 1), slot(d, 2), slot(d, 3), slot(d, 4)),
       {partner, Value{std::string(alias)}, Value{key}, Value{canonical}}});
  session.execute(query::bump_data_version(d, ctx.partner_id));
  session.commit();
  return record_of(inserted.rows.at(0));
}

void remove_event_alias(Database& db, const TenantContext& ctx, std::int64_t event_alias_id) {
  TenantSession session(db, ctx.partner_id, Access::read_write);
  const Dialect d = session.dialect();
  const auto removed = session.execute({fmt::format("DELETE FROM ct_event_aliases WHERE timing_partner_id = {} AND event_alias_id = {}",
                                                    slot(d, 1), slot(d, 2)),
                                        {Value{ctx.partner_id}, Value{event_alias_id}}});
  if (removed == 0) throw Error(ErrorCode::not_found, fmt::format("no event alias {} of this partner", event_alias_id));
  session.execute(query::bump_data_version(d, ctx.partner_id));
  session.commit();
}

}  // namespace racetiming::nl
