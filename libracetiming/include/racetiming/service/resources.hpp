#pragma once
// Reading and writing the four resources for a tenant: each call opens a TenantSession (read-only for
// reads), runs the resource's statements and returns rows. Hosts (the daemon, the Python module) call these and never see SQL.
#include <cstdint>
#include <optional>
#include <string>

#include "racetiming/query/events_query.hpp"
#include "racetiming/query/participants_query.hpp"
#include "racetiming/query/races_query.hpp"
#include "racetiming/query/results_query.hpp"
#include "racetiming/detail/planned_read.hpp"
#include "racetiming/service/resource_schema.hpp"
#include "racetiming/service/tenant_context.hpp"
#include "racetiming/sport/age_grading.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::service {

// The list_* and get_* calls below run their planned reads on a TenantSession; a host with an event
// loop may run one with AsyncRead instead.
// Validates the filter and page before anything runs (Error(invalid_parameter)). Result rows also carry
// each finish's age grade (age_grade, age_graded_time_ms) when `grading` is given (the Engine gives its
// table; sport/age_grading.hpp).
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page);
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page);
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const ParticipantsQuery::Filter& f, const PageRequest& page);
PlannedRead<Page> plan_list(Dialect d, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page,
                            const sport::AgeGradingTable* grading = nullptr);
// The same lists, written as JSON from the rows in place (no ResultSet is made): what the daemon sends.
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page);
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page);
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const ParticipantsQuery::Filter& f,
                                     const PageRequest& page);
PlannedRead<PageJson> plan_list_json(Dialect d, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page,
                                     const sport::AgeGradingTable* grading = nullptr);
PlannedRead<ResultSet> plan_get(Dialect d, const TenantContext& ctx, Resource r, std::int64_t id,
                                const sport::AgeGradingTable* grading = nullptr);

Page list_events(Database& db, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page);
Page list_races(Database& db, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page);
Page list_participants(Database& db, const TenantContext& ctx, const ParticipantsQuery::Filter& f, const PageRequest& page);
Page list_results(Database& db, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page,
                  const sport::AgeGradingTable* grading = nullptr);

// One row; throws Error(not_found) when the id is not the partner's (whether or not it exists).
ResultSet get_event(Database& db, const TenantContext& ctx, std::int64_t id);
ResultSet get_race(Database& db, const TenantContext& ctx, std::int64_t id);
ResultSet get_participant(Database& db, const TenantContext& ctx, std::int64_t id);
ResultSet get_result(Database& db, const TenantContext& ctx, std::int64_t id, const sport::AgeGradingTable* grading = nullptr);

// Writes, for any of the four resources (the host checks the write:* permission). Bodies are checked
// against writable_fields(): unknown fields, wrong types, values out of range and missing required
// fields are Error(invalid_parameter) naming the field; a parent id that is not the partner's is
// Error(not_found). Derived values follow the rules of the sport: an entry's event comes from its race
// and its division from gender and age unless given; a result's race, pace and places are computed,
// and a finish reading makes its entry a finisher. A duplicate bib or interval, or a second final
// reading, is Error(conflict).

struct Created {
  ResultSet row;
  std::int64_t id = 0;
  bool replayed = false;  // the key was seen before: this is the row that request made
};

// With an idempotency key, a retry with the same fields answers the row the first request made; the
// same key with other fields or another resource is Error(conflict). Keys are kept per partner.
Created create_record(Database& db, const TenantContext& ctx, Resource r, const FieldValues& fields,
                      const std::optional<std::string>& idempotency_key = std::nullopt);
// replace: a full replace (required fields needed, others reset to their defaults); else a partial
// update of the fields given. A parent reference (event_id of a race, ...) can be repeated but not changed.
ResultSet update_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id, const FieldValues& fields,
                        bool replace);
// Refuses a record that has results unless cascade (Error conflict); with cascade its races, entries
// and results go too. Places of the race are recomputed after an entry or a result goes.
void delete_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id, bool cascade);
ResultSet get_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id,
                     const sport::AgeGradingTable* grading = nullptr);

}  // namespace racetiming::service
