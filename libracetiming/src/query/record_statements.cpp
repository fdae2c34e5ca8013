#include "query/record_statements.hpp"

#include <fmt/format.h>

#include "query/list_builder.hpp"

namespace racetiming::query {

Sql insert_record(Dialect d, const RecordTable& t, std::int64_t partner_id, const Columns& columns) {
  SqlWriter w(d);
  w << "INSERT INTO " << t.name << " (timing_partner_id";
  if (t.has_external_source) w << ", external_source";
  for (const auto& [column, value] : columns) w << ", " << column;
  w << ") VALUES (";
  w.bind(partner_id);
  if (t.has_external_source) w << ", 'api'";
  for (const auto& [column, value] : columns) {
    w << ", ";
    w.bind(value);
  }
  w << ") RETURNING " << t.id_column;
  return w.take();
}

Sql update_record(Dialect d, const RecordTable& t, std::int64_t partner_id, std::int64_t id, const Columns& columns) {
  SqlWriter w(d);
  // SET id = id keeps the statement valid when a PATCH names no field: it then only proves the row is ours
  w << "UPDATE " << t.name << " SET " << t.id_column << " = " << t.id_column;
  if (t.has_updated_at) w << ", updated_at = " << now_expression(d);
  for (const auto& [column, value] : columns) {
    w << ", " << column << " = ";
    w.bind(value);
  }
  where_partner_and_id(w, "timing_partner_id", t.id_column, partner_id, id);
  w << " RETURNING " << t.id_column;
  return w.take();
}

Sql delete_record(Dialect d, const RecordTable& t, std::int64_t partner_id, std::int64_t id) {
  SqlWriter w(d);
  w << "DELETE FROM " << t.name;
  where_partner_and_id(w, "timing_partner_id", t.id_column, partner_id, id);
  w << " RETURNING " << t.id_column;
  return w.take();
}

Sql count_results(Dialect d, std::int64_t partner_id, std::string_view column, std::int64_t id) {
  return get_by_id("SELECT COUNT(*) AS results FROM ct_results", "timing_partner_id", column, partner_id, d, id);
}

Sql other_final_result(Dialect d, std::int64_t partner_id, std::int64_t participant_id, std::int64_t result_id) {
  SqlWriter w(d);
  w << "SELECT result_id FROM ct_results";
  where_partner_and_id(w, "timing_partner_id", "participant_id", partner_id, participant_id);
  w << " AND is_final AND result_id <> ";
  w.bind(result_id);
  return w.take();
}

Sql refinish_entry(Dialect d, std::int64_t partner_id, std::int64_t participant_id) {
  SqlWriter w(d);
  w << "UPDATE ct_participants SET finish_time_ms = (SELECT res.results_time_ms FROM ct_results res "
       "WHERE res.timing_partner_id = ";
  w.bind(partner_id) << " AND res.participant_id = ";
  w.bind(participant_id) << " AND res.is_final)";
  where_partner_and_id(w, "timing_partner_id", "participant_id", partner_id, participant_id);
  return w.take();
}

Sql bump_data_version(Dialect d, std::int64_t partner_id) {
  SqlWriter w(d);
  w << "INSERT INTO data_versions (timing_partner_id, version) VALUES (";
  w.bind(partner_id) << ", 1) ON CONFLICT (timing_partner_id) DO UPDATE SET version = data_versions.version + 1";
  return w.take();
}

Sql data_version(Dialect d, std::int64_t partner_id) {
  SqlWriter w(d);
  w << "SELECT version FROM data_versions WHERE timing_partner_id = ";
  w.bind(partner_id);
  return w.take();
}

namespace {

// Gun time places a race only where the race says so.
constexpr std::string_view kPlacingTime =
    "CASE WHEN ra.placement_basis = 'gun' THEN COALESCE(res.gun_time_ms, res.results_time_ms) "
    "ELSE res.results_time_ms END";

}  // namespace

std::string rank_races_sql(std::string_view tp, std::string_view races) {
  return fmt::format(
      "UPDATE ct_results SET overall_place = x.op, gender_place = x.gp, division_place = x.dp FROM ("
      "SELECT res.result_id, RANK() OVER (PARTITION BY res.race_id ORDER BY {0}) AS op, "
      "RANK() OVER (PARTITION BY res.race_id, p.gender ORDER BY {0}) AS gp, "
      "RANK() OVER (PARTITION BY res.race_id, p.division ORDER BY {0}) AS dp "
      "FROM ct_results res JOIN ct_participants p ON p.participant_id = res.participant_id "
      "JOIN ct_races ra ON ra.race_id = res.race_id "
      "WHERE res.timing_partner_id = {1} AND p.timing_partner_id = {1} AND ra.timing_partner_id = {1} "
      "AND res.is_final AND p.status = 'finished' AND res.results_time_ms IS NOT NULL AND res.race_id IN {2}) x "
      "WHERE ct_results.result_id = x.result_id AND (ct_results.overall_place, ct_results.gender_place, "
      "ct_results.division_place) IS DISTINCT FROM (x.op, x.gp, x.dp)",
      kPlacingTime, tp, races);
}

std::string unplace_non_finishers_sql(std::string_view tp, std::string_view races) {
  // entries that are no longer finishers (a DQ, a corrected status, a reading without a time) hold no place
  return fmt::format(
      "UPDATE ct_results SET overall_place = NULL, gender_place = NULL, division_place = NULL "
      "WHERE timing_partner_id = {0} AND race_id IN {1} AND overall_place IS NOT NULL AND (NOT is_final "
      "OR results_time_ms IS NULL OR participant_id IN "
      "(SELECT participant_id FROM ct_participants WHERE timing_partner_id = {0} AND status <> 'finished'))",
      tp, races);
}

std::string repace_races_sql(std::string_view tp, std::string_view races) {
  return fmt::format(
      "UPDATE ct_results SET pace_ms_per_km = CAST(ROUND(ct_results.results_time_ms * 1000.0 / ra.distance_m) AS "
      "INTEGER) FROM ct_races ra WHERE ra.race_id = ct_results.race_id AND ra.timing_partner_id = {0} "
      "AND ct_results.timing_partner_id = {0} AND ct_results.is_final AND ct_results.race_id IN {1}",
      tp, races);
}

std::vector<Sql> recompute_race(Dialect d, std::int64_t partner_id, std::int64_t race_id) {
  const std::string_view tp = d == Dialect::postgresql ? "$1" : "?1";
  const std::string races = d == Dialect::postgresql ? "($2)" : "(?2)";
  std::vector<Sql> out;
  for (auto text : {repace_races_sql(tp, races), rank_races_sql(tp, races), unplace_non_finishers_sql(tp, races)})
    out.push_back(Sql{std::move(text), {Value{partner_id}, Value{race_id}}});
  return out;
}

}  // namespace racetiming::query
