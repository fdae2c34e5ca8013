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
  Page out = q.page(session.query(sql), page);
  session.commit();
  return out;
}

template <class Query>
ResultSet get(Database& db, const TenantContext& ctx, std::int64_t id, std::string_view what) {
  Query q(ctx.partner_id, db.dialect());
  TenantSession session(db, ctx.partner_id);
  ResultSet rows = session.query(q.get(id));
  session.commit();
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

namespace {

ResultSet event_row(TenantSession& session, const EventsQuery& q, const ResultSet& returned) {
  if (returned.rows.empty()) throw Error(ErrorCode::not_found, "no such event");
  return session.query(q.get(as_int(returned.rows[0][0]).value_or(0)));
}

}  // namespace

ResultSet create_event(Database& db, const TenantContext& ctx, const EventsQuery::Fields& fields) {
  EventsQuery q(ctx.partner_id, db.dialect());
  Sql sql = q.insert(fields);
  TenantSession session(db, ctx.partner_id, Access::read_write);
  ResultSet row = event_row(session, q, session.query(sql));
  session.commit();
  return row;
}

ResultSet update_event(Database& db, const TenantContext& ctx, std::int64_t id, EventsQuery::Fields fields, bool replace) {
  EventsQuery q(ctx.partner_id, db.dialect());
  if (replace) {
    if (!fields.event_name) throw Error(ErrorCode::invalid_parameter, "event_name is required", "event_name");
    if (!fields.event_date) throw Error(ErrorCode::invalid_parameter, "event_date is required", "event_date");
    for (auto* place : {&fields.city, &fields.state, &fields.country})
      if (!*place) *place = "";
    if (!fields.status) fields.status = "scheduled";
  }
  Sql sql = q.update(id, fields);
  TenantSession session(db, ctx.partner_id, Access::read_write);
  ResultSet row = event_row(session, q, session.query(sql));
  session.commit();
  return row;
}

void delete_event(Database& db, const TenantContext& ctx, std::int64_t id, bool cascade) {
  EventsQuery q(ctx.partner_id, db.dialect());
  TenantSession session(db, ctx.partner_id, Access::read_write);
  if (session.query(q.get(id)).rows.empty()) throw Error(ErrorCode::not_found, fmt::format("no event {}", id));
  const auto results = as_int(session.query(q.count_results(id)).rows.at(0).at(0)).value_or(0);
  if (results > 0 && !cascade)
    throw Error(ErrorCode::conflict,
                fmt::format("event {} has {} results: delete with cascade=true to remove them too", id, results));
  session.query(q.remove(id));  // races, entries and results follow by ON DELETE CASCADE
  session.commit();
}

}  // namespace racetiming::service
