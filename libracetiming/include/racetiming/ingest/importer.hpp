#pragma once
// Loads entries into a partner's data: events, races, participants and results (finish plus splits), with
// divisions, pace and places (overall, gender, division; ties share a place) computed here, never taken
// from the source. Idempotent: entries are keyed by event/race external id and bib, so a second import of
// the same data changes nothing.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/ingest/entry.hpp"
#include "racetiming/ingest/interchange_csv.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming {
class TenantSession;
}

namespace racetiming::ingest {

enum class OnError { abort, skip };

struct ImportOptions {
  OnError on_error = OnError::abort;
  bool ignore_unknown_columns = false;
  std::string provider = "interchange";  // recorded in sync_runs and as the external_source of new rows
  std::string source{};                  // file name or URL, for sync_runs
  // The batch holds every entry of its races: entries of those races from this provider that it lacks
  // are removed (a full sync; a withdrawn runner goes). Races with bad rows keep their entries.
  bool prune = false;
  bool record_run = true;  // false: the caller records the run (a sync, one row for many batches)
};

struct ImportReport {
  std::int64_t sync_run_id = 0;
  std::size_t rows_read = 0;
  std::size_t created = 0;    // entries new to the database
  std::size_t updated = 0;    // entries that existed and changed (their own fields or their results)
  std::size_t unchanged = 0;  // entries that existed as they are
  std::size_t removed = 0;    // entries the source no longer has (ImportOptions::prune)
  std::size_t skipped = 0;    // bad rows left out (OnError::skip)
  std::size_t events = 0, races = 0;
  std::vector<RowError> errors;
};

// Parses, validates and loads an interchange CSV for one partner, in one transaction. With OnError::abort
// (the default) a bad row throws Error(invalid_input) naming its line and nothing is imported; either way
// a sync_runs row records the run.
// The document is read and staged a chunk of rows at a time, so memory stays flat whatever its size;
// `consumed`, when given, is told after each chunk how many bytes of the text are read (a caller reading
// from a mapped file lets those pages go).
ImportReport import_interchange_csv(Database& db, std::int64_t partner_id, std::string_view csv,
                                    const ImportOptions& options = {},
                                    const std::function<void(std::size_t)>& consumed = {});

// Fills `chunk` (whatever it held) with the next rows of a document; false when none were left.
using ChunkSource = std::function<bool(ParsedFile& chunk)>;
// Loads a document read a chunk at a time, for one partner, in one transaction: every file import goes
// through here. Bad rows are handled as options.on_error says (with abort, a bad row anywhere imports
// nothing); a sync_runs row records the run, failed or not.
ImportReport import_chunks(Database& db, std::int64_t partner_id, const ChunkSource& next_chunk,
                           const ImportOptions& options = {});

// import_chunks with the whole document as one chunk (`parse` runs inside, so a document error is
// recorded too).
ImportReport import_document(Database& db, std::int64_t partner_id, const std::function<ParsedFile()>& parse,
                             const ImportOptions& options = {});

// Loads already-validated entries inside the caller's read-write session (the demo generator and the
// vendor adapters use this). Rows that disagree with another row of the same batch (an event's date or
// place, a race's distance, a repeated bib) become errors and are handled by options.on_error.
ImportReport import_entries(TenantSession& session, std::span<const Entry> entries, const ImportOptions& options = {});

// After a large import_entries() batch has been committed: brings PostgreSQL's planner statistics up to
// date (import_interchange_csv does this itself). A no-op on SQLite and for small imports.
void refresh_statistics(Database& db, const ImportReport& report);

}  // namespace racetiming::ingest
