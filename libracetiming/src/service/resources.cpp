#include "racetiming/service/resources.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/format/json.hpp"
#include "service/age_graded_rows.hpp"

namespace racetiming::service {
namespace {

// The rows as the caller sees them: a results list's with its age grades beside them when asked.
template <class F>
auto with_grades(const RowsView& rows, const sport::AgeGradingTable* grading, F&& f) {
  if (!grading) return f(rows);
  const detail::AgeGradedRows graded(rows, *grading);
  return f(static_cast<const RowsView&>(graded));
}

template <class Query, class Filter>
PlannedRead<Page> planned_list(Dialect d, const TenantContext& ctx, const Filter& f, const PageRequest& page,
                               const sport::AgeGradingTable* grading = nullptr) {
  Query q(ctx.partner_id, d);
  Sql sql = q.list(f, page);  // validates before a connection is taken
  return {ctx.partner_id, std::move(sql), [q, page, grading](const RowsView& rows) {
            return with_grades(rows, grading, [&](const RowsView& r) { return q.page(r.materialize(), page); });
          }};
}

template <class Query, class Filter>
PlannedRead<PageJson> planned_list_json(Dialect d, const TenantContext& ctx, const Filter& f, const PageRequest& page,
                                        const sport::AgeGradingTable* grading = nullptr) {
  Query q(ctx.partner_id, d);
  Sql sql = q.list(f, page);
  return {ctx.partner_id, std::move(sql), [q, page, grading](const RowsView& rows) {
            PageJson out;
            out.next_cursor = q.next_cursor(rows, page);
            out.json = with_grades(rows, grading, [&](const RowsView& r) { return format::page_json(r, page.limit, out.next_cursor); });
            return out;
          }};
}

template <class Query>
PlannedRead<ResultSet> planned_get(Dialect d, const TenantContext& ctx, std::int64_t id, std::string_view what,
                                   const sport::AgeGradingTable* grading = nullptr) {
  Query q(ctx.partner_id, d);
  return {ctx.partner_id, q.get(id), [id, what, grading](const RowsView& rows) {
            if (rows.row_count() == 0) throw Error(ErrorCode::not_found, fmt::format("no {} {}", what, id));
            return with_grades(rows, grading, [](const RowsView& r) { return r.materialize(); });
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
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page,
                            const sport::AgeGradingTable* grading) {
  return planned_list<ResultsQuery>(d, ctx, f, page, grading);
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
                                     const PageRequest& page, const sport::AgeGradingTable* grading) {
  return planned_list_json<ResultsQuery>(d, ctx, f, page, grading);
}

PlannedRead<ResultSet> plan_get(Dialect d, const TenantContext& ctx, Resource r, std::int64_t id,
                                const sport::AgeGradingTable* grading) {
  switch (r) {
    case Resource::event: return planned_get<EventsQuery>(d, ctx, id, "event");
    case Resource::race: return planned_get<RacesQuery>(d, ctx, id, "race");
    case Resource::participant: return planned_get<ParticipantsQuery>(d, ctx, id, "participant");
    case Resource::result: return planned_get<ResultsQuery>(d, ctx, id, "result", grading);
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
Page list_results(Database& db, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page,
                  const sport::AgeGradingTable* grading) {
  return run(db, plan_list(db.dialect(), ctx, f, page, grading));
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
ResultSet get_result(Database& db, const TenantContext& ctx, std::int64_t id, const sport::AgeGradingTable* grading) {
  return run(db, plan_get(db.dialect(), ctx, Resource::result, id, grading));
}
ResultSet get_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id, const sport::AgeGradingTable* grading) {
  return run(db, plan_get(db.dialect(), ctx, r, id, grading));
}

}  // namespace racetiming::service
