#pragma once
// Reading the four resources for a tenant: each call opens a read-only TenantSession, runs the
// resource's builder and returns rows. Hosts (the daemon, the Python module) call these and never see SQL.
#include <cstdint>

#include "racetiming/query/events_query.hpp"
#include "racetiming/query/participants_query.hpp"
#include "racetiming/query/races_query.hpp"
#include "racetiming/query/results_query.hpp"
#include "racetiming/service/tenant_context.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::service {

Page list_events(Database& db, const TenantContext& ctx, const EventsQuery::Filter& f, const PageRequest& page);
Page list_races(Database& db, const TenantContext& ctx, const RacesQuery::Filter& f, const PageRequest& page);
Page list_participants(Database& db, const TenantContext& ctx, const ParticipantsQuery::Filter& f, const PageRequest& page);
Page list_results(Database& db, const TenantContext& ctx, const ResultsQuery::Filter& f, const PageRequest& page);

// One row; throws Error(not_found) when the id is not the partner's (whether or not it exists).
ResultSet get_event(Database& db, const TenantContext& ctx, std::int64_t id);
ResultSet get_race(Database& db, const TenantContext& ctx, std::int64_t id);
ResultSet get_participant(Database& db, const TenantContext& ctx, std::int64_t id);
ResultSet get_result(Database& db, const TenantContext& ctx, std::int64_t id);

// Writes (permission write:events is the host's to check). create_event returns the new row; update_event
// with replace=true is a full replace (name and date required, other fields cleared when absent), else
// a partial update; both throw Error(not_found) for an id that is not the partner's. delete_event refuses
// an event with results unless cascade (Error conflict), and then removes its races, entries and results.
ResultSet create_event(Database& db, const TenantContext& ctx, const EventsQuery::Fields& fields);
ResultSet update_event(Database& db, const TenantContext& ctx, std::int64_t id, EventsQuery::Fields fields, bool replace);
void delete_event(Database& db, const TenantContext& ctx, std::int64_t id, bool cascade);

}  // namespace racetiming::service
