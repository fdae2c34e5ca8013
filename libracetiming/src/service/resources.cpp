#include "racetiming/service/resources.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/format/json.hpp"

namespace racetiming::service {
namespace {

template <class Query, class Filter>
PlannedRead<Page> planned_list(Dialect d, const TenantContext& ctx, const Filter& f, const PageRequest& page) {
  Query q(ctx.partner_id, d);
  Sql sql = q.list(f, page);  // validates before a connection is taken
  return {ctx.partner_id, std::move(sql), [q, page](const RowsView& rows) { return q.page(rows.materialize(), page); }};
}

template <class Query, class Filter>
PlannedRead<PageJson> planned_list_json(Dialect d, const TenantContext& ctx, const Filter& f, const PageRequest& page) {
  Query q(ctx.partner_id, d);
  Sql sql = q.list(f, page);
  return {ctx.partner_id, std::move(sql), [q, page](const RowsView& rows) {
            PageJson out;
            out.next_cursor = q.next_cursor(rows, page);
            out.json = format::page_json(rows, page.limit, out.next_cursor);
            return out;
          }};
}

template <class Query>
PlannedRead<ResultSet> planned_get(Dialect d, const TenantContext& ctx, std::int64_t id, std::string_view what) {
  Query q(ctx.partner_id, d);
  return {ctx.partner_id, q.get(id), [id, what](const RowsView& rows) {
            if (rows.row_count() == 0) throw Error(ErrorCode::not_found, fmt::format("no {} {}", what, id));
            return rows.materialize();
          }};
}

}  // namespace

PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page) {
  return planned_list<EventsQuery>(d, ctx, f, page);
}
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page) {
  return planned_list<RacesQuery>(d, ctx, f, page);
}
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const ParticipantsQuery::Filter& f,
                            const PageRequest& page) {
  return planned_list<ParticipantsQuery>(d, ctx, f, page);
}
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page) {
  return planned_list<ResultsQuery>(d, ctx, f, page);
}

PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const EventsQuery::Filter& f,
                                     const PageRequest& page) {
  return planned_list_json<EventsQuery>(d, ctx, f, page);
}
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const RacesQuery::Filter& f,
                                     const PageRequest& page) {
  return planned_list_json<RacesQuery>(d, ctx, f, page);
}
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const ParticipantsQuery::Filter& f,
                                     const PageRequest& page) {
  return planned_list_json<ParticipantsQuery>(d, ctx, f, page);
}
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const ResultsQuery::Filter& f,
                                     const PageRequest& page) {
  return planned_list_json<ResultsQuery>(d, ctx, f, page);
}

PlannedRead<ResultSet> plan_get(Dialect d, const TenantContext& ctx, Resource r, std::int64_t id) {
  switch (r) {
    case Resource::event: return planned_get<EventsQuery>(d, ctx, id, "event");
    case Resource::race: return planned_get<RacesQuery>(d, ctx, id, "race");
    case Resource::participant: return planned_get<ParticipantsQuery>(d, ctx, id, "participant");
    case Resource::result: return planned_get<ResultsQuery>(d, ctx, id, "result");
  }
  throw Error(ErrorCode::internal, "unknown resource");
}

Page list_events(Database& db, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page) {
  return run(db, plan_list(db.dialect(), ctx, f, page));
}
Page list_races(Database& db, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page) {
  return run(db, plan_list(db.dialect(), ctx, f, page));
}
Page list_participants(Database& db, const TenantContext& ctx, const ParticipantsQuery::Filter& f,
                       const PageRequest& page) {
  return run(db, plan_list(db.dialect(), ctx, f, page));
}
Page list_results(Database& db, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page) {
  return run(db, plan_list(db.dialect(), ctx, f, page));
}

ResultSet get_event(Database& db, const TenantContext& ctx, std::int64_t id) {
  return run(db, plan_get(db.dialect(), ctx, Resource::event, id));
}
ResultSet get_race(Database& db, const TenantContext& ctx, std::int64_t id) {
  return run(db, plan_get(db.dialect(), ctx, Resource::race, id));
}
ResultSet get_participant(Database& db, const TenantContext& ctx, std::int64_t id) {
  return run(db, plan_get(db.dialect(), ctx, Resource::participant, id));
}
ResultSet get_result(Database& db, const TenantContext& ctx, std::int64_t id) {
  return run(db, plan_get(db.dialect(), ctx, Resource::result, id));
}
ResultSet get_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id) {
  return run(db, plan_get(db.dialect(), ctx, r, id));
}

}  // namespace racetiming::service
