#pragma once
// Rows as JSON, the way the API shows them: one object per row, column names as keys, and beside every
// time in milliseconds its printed form (results_time_ms -> results_time "3:17:57"; pace_ms_per_km ->
// pace_per_km "4:41" and pace_per_mile "7:32").
#include <cstddef>
#include <string>
#include <string_view>

#include "racetiming/ingest/importer.hpp"
#include "racetiming/nl/engine.hpp"
#include "racetiming/query/page.hpp"
#include "racetiming/report.hpp"
#include "racetiming/service/resource_schema.hpp"
#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::format {

// {"data": [...], "next_cursor": "..." | null}
std::string page_json(const Page& page);
// The same from rows in place: the first `limit` of them (a list's look-ahead row is left out).
std::string page_json(const RowsView& rows, std::size_t limit, std::string_view next_cursor);
// The object of one row.
std::string row_json(const ResultSet& rows, std::size_t row);

// A report or analytics answer: {"kind": ..., "races": [...], then each table by name: [rows]}.
std::string report_json(const Report& report);

// An import's outcome: the counts, the sync run, and each row error (line, column, message).
std::string import_report_json(const ingest::ImportReport& report);

// A natural-language answer as api.md shows it: query, intent, engine, entities, sql_generated, params,
// columns, results (rows as objects, times also printed), summary, execution_time_ms, cached.
std::string answer_json(const nl::Answer& answer);

// A write body: a JSON object whose members become field values (null clears; true/false only for
// boolean fields). Malformed JSON, a non-object, or a nested value is Error(invalid_parameter).
service::FieldValues fields_from_json(std::string_view body, service::Resource r);

}  // namespace racetiming::format
