#include "racetiming/service/resources.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::service {
namespace {

template <class Query, class Filter>
Page list(Database& db, const TenantContext& ctx, const Filter& f, const PageRequest& page) {
  Query q(ctx.partner_id, db.dialect());
  Sql sql = q.list(f, page);  // validates before a connection is taken
  TenantSession session(db, ctx.partner_id);
  return q.page(session.query_and_commit(sql), page);
}

template <class Query>
ResultSet get(Database& db, const TenantContext& ctx, std::int64_t id, std::string_view what) {
  Query q(ctx.partner_id, db.dialect());
  TenantSession session(db, ctx.partner_id);
  ResultSet rows = session.query_and_commit(q.get(id));
  if (rows.rows.empty()) throw Error(ErrorCode::not_found, fmt::format("no {} {}", what, id));
  return rows;
}

}  // namespace

Page list_events(Database& db, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page) {
  return list<EventsQuery>(db, ctx, f, page);
}
Page list_races(Database& db, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page) {
  return list<RacesQuery>(db, ctx, f, page);
}
Page list_participants(Database& db, const TenantContext& ctx, const ParticipantsQuery::Filter& f,
                       const PageRequest& page) {
  return list<ParticipantsQuery>(db, ctx, f, page);
}
Page list_results(Database& db, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page) {
  return list<ResultsQuery>(db, ctx, f, page);
}

ResultSet get_event(Database& db, const TenantContext& ctx, std::int64_t id) { return get<EventsQuery>(db, ctx, id, "event"); }
ResultSet get_race(Database& db, const TenantContext& ctx, std::int64_t id) { return get<RacesQuery>(db, ctx, id, "race"); }
ResultSet get_participant(Database& db, const TenantContext& ctx, std::int64_t id) {
  return get<ParticipantsQuery>(db, ctx, id, "participant");
}
ResultSet get_result(Database& db, const TenantContext& ctx, std::int64_t id) {
  return get<ResultsQuery>(db, ctx, id, "result");
}

ResultSet get_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id) {
  switch (r) {
    case Resource::event: return get_event(db, ctx, id);
    case Resource::race: return get_race(db, ctx, id);
    case Resource::participant: return get_participant(db, ctx, id);
    case Resource::result: return get_result(db, ctx, id);
  }
  throw Error(ErrorCode::internal, "unknown resource");
}

}  // namespace racetiming::service
