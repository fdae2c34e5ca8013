#pragma once
// Single-row writes and the race-wide recomputations that follow them. Column names come from the
// resource schema tables (never from a request); values are always bound. Every statement is scoped
// to the partner, which binds first.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "racetiming/store/sql.hpp"

namespace racetiming::query {

struct RecordTable {
  std::string_view name;       // ct_events, ...
  std::string_view id_column;  // event_id, ...
  bool has_updated_at = false;
  bool has_external_source = true;  // results belong to their entry and have no source of their own
};

using Columns = std::vector<std::pair<std::string, Value>>;

// INSERT ... RETURNING the id; external_source is 'api' for rows made through the API.
Sql insert_record(Dialect d, const RecordTable& t, std::int64_t partner_id, const Columns& columns);
// UPDATE ... RETURNING the id; no row comes back for an id that is not the partner's.
Sql update_record(Dialect d, const RecordTable& t, std::int64_t partner_id, std::int64_t id, const Columns& columns);
Sql delete_record(Dialect d, const RecordTable& t, std::int64_t partner_id, std::int64_t id);
// COUNT(*) of the partner's results whose column (event_id, race_id, participant_id) equals id.
Sql count_results(Dialect d, std::int64_t partner_id, std::string_view column, std::int64_t id);
// The id of the partner's other final reading of an entry, if any.
Sql other_final_result(Dialect d, std::int64_t partner_id, std::int64_t participant_id, std::int64_t result_id);

// An entry's finish time (ct_participants.finish_time_ms, migration 006) from its final reading, after
// one of its readings was written or deleted.
Sql refinish_entry(Dialect d, std::int64_t partner_id, std::int64_t participant_id);

// Moves the partner's data version forward (caches of derived answers compare against it).
Sql bump_data_version(Dialect d, std::int64_t partner_id);
Sql data_version(Dialect d, std::int64_t partner_id);

// The place and pace recomputations, as SQL text over a set of races: race_filter is an SQL expression
// of race ids (a subquery or a bound list) and partner the partner placeholder. The importer and the
// single-row writes share them, so a place means the same thing whichever way a result arrived.
std::string rank_races_sql(std::string_view partner, std::string_view race_filter);
std::string unplace_non_finishers_sql(std::string_view partner, std::string_view race_filter);
// Pace of final readings from the race distance (after a change of distance or of a time).
std::string repace_races_sql(std::string_view partner, std::string_view race_filter);

// The three, bound for one race.
std::vector<Sql> recompute_race(Dialect d, std::int64_t partner_id, std::int64_t race_id);

}  // namespace racetiming::query
