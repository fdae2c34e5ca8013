#include "racetiming/ingest/importer.hpp"

#include <algorithm>
#include <future>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "query/record_statements.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/divisions.hpp"
#include "racetiming/sport/durations.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "ingest/sync_run_log.hpp"
#include "store/connection.hpp"
#include "text/utf8.hpp"

namespace racetiming::ingest {
namespace {

using store::BulkTable;

// Imports that create or change at least this many entries refresh the planner's statistics afterwards.
constexpr std::size_t kAnalyzeThreshold = 1000;
// Rows parsed and staged at a time: a document of any size holds this many entries in memory.
constexpr std::size_t kChunkRows = 20000;

Value text_or_null(const std::string& s) { return s.empty() ? Value{} : Value{s}; }
Value opt_int(const std::optional<std::int64_t>& v) { return v ? Value{*v} : Value{}; }

constexpr const char* kDropStaging =
    "DROP TABLE stage_events; DROP TABLE stage_races; DROP TABLE stage_entries; DROP TABLE stage_results";

// The staging tables: the batch goes in with one bulk load each, then set-based statements merge it.
struct StageTable {
  const char* name;
  // column name and type; type 'T' text, 'I' integer, 'B' bigint, 'D' date
  std::vector<std::pair<const char*, char>> columns;
};

const std::vector<StageTable>& stage_tables() {
  static const std::vector<StageTable> kTables = {
      {"stage_events", {{"event_ext", 'T'}, {"event_name", 'T'}, {"event_date", 'D'}, {"city", 'T'}, {"state", 'T'}, {"country", 'T'}}},
      {"stage_races", {{"race_ext", 'T'}, {"event_ext", 'T'}, {"race_name", 'T'}, {"distance_m", 'I'}}},
      {"stage_entries",
       {{"race_ext", 'T'}, {"bib", 'T'}, {"entry_ext", 'T'}, {"first_name", 'T'}, {"last_name", 'T'}, {"gender", 'T'}, {"age", 'I'},
        {"division", 'T'}, {"city", 'T'}, {"state", 'T'}, {"country", 'T'}, {"team", 'T'}, {"status", 'T'},
        {"finish_time_ms", 'B'}}},
      {"stage_results",
       {{"race_ext", 'T'}, {"bib", 'T'}, {"interval_name", 'T'}, {"interval_distance_m", 'I'}, {"is_final", 'I'},
        {"results_time_ms", 'B'}, {"gun_time_ms", 'B'}, {"pace_ms_per_km", 'I'}, {"overall_place", 'I'},
        {"gender_place", 'I'}, {"division_place", 'I'}}},
  };
  return kTables;
}

std::string stage_ddl(Dialect d, const StageTable& t) {
  std::string out = fmt::format("CREATE TEMP TABLE {} (", t.name);
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const char type = t.columns[i].second;
    const char* sql_type = type == 'T' ? "TEXT" : type == 'I' ? "INTEGER" : type == 'B' ? "BIGINT" : d == Dialect::postgresql ? "DATE" : "TEXT";
    out += fmt::format("{}{} {}", i ? ", " : "", t.columns[i].first, sql_type);
  }
  return out + ")";
}

BulkTable empty_table(const StageTable& t) {
  BulkTable b;
  b.table = t.name;
  for (auto& [name, type] : t.columns) b.columns.emplace_back(name);
  return b;
}

std::string event_key(const Entry& e) {
  return e.event_external_id.empty() ? e.event_name + "|" + e.event_date : e.event_external_id;
}

struct Finisher {
  std::int64_t time_ms;
  char gender;
  std::string division;
  std::size_t cell;  // first cell of its FINISH row in stage_results
};

// Competition ranking (1, 2, 2, 4) overall, by gender and by division, written into the FINISH rows.
// It is the whole story when the batch holds the whole race; otherwise the merge recomputes in SQL.
void rank(std::vector<Finisher>& runners, std::vector<Value>& cells, std::size_t width) {
  std::sort(runners.begin(), runners.end(), [](const Finisher& a, const Finisher& b) { return a.time_ms < b.time_ms; });
  struct Counter {
    std::int64_t seen = 0, place = 0, last_time = -1;
    std::int64_t next(std::int64_t time) {
      ++seen;
      if (time != last_time) place = seen;
      last_time = time;
      return place;
    }
  };
  Counter overall;
  std::unordered_map<char, Counter> by_gender;
  std::unordered_map<std::string, Counter> by_division;
  for (const Finisher& f : runners) {
    Value* row = &cells[f.cell];
    row[width - 3] = overall.next(f.time_ms);
    row[width - 2] = by_gender[f.gender].next(f.time_ms);
    if (!f.division.empty()) row[width - 1] = by_division[f.division].next(f.time_ms);
  }
}

// Checks rows against each other (across every chunk of a document) and lays out the staging rows of
// each chunk. What it keeps between chunks is small: per event its description, per race its distance
// and bibs.
class Stager {
 public:
  struct Chunk {
    std::vector<BulkTable> tables;  // in stage_tables() order
    std::vector<RowError> errors;
  };

  Chunk stage(std::span<const Entry> entries) {
    ++chunks_;
    Chunk s;
    for (const auto& t : stage_tables()) s.tables.push_back(empty_table(t));
    auto& events = s.tables[0].cells;
    auto& races = s.tables[1].cells;
    auto& rows = s.tables[2].cells;
    auto& results = s.tables[3].cells;
    std::unordered_map<std::string, std::vector<Finisher>> finishers;  // by race, of this chunk
    for (const Entry& e : entries) {
      auto reject = [&](std::string column, std::string message) {
        s.errors.push_back({e.line, std::move(column), std::move(message)});
      };
      const std::string ek = event_key(e);
      const std::string rk = e.race_external_id.empty() ? ek + "|" + e.race_name : e.race_external_id;
      auto line_of = [](std::size_t line) { return line ? fmt::format(" (line {})", line) : std::string(); };
      auto event = events_.find(ek);
      if (event != events_.end() && (event->second.name != e.event_name || event->second.date != e.event_date ||
                                     event->second.city != e.event_city || event->second.state != e.event_state ||
                                     event->second.country != e.event_country)) {
        reject("event_name", fmt::format("event '{}' is described differently in an earlier row{}", text::echo(e.event_name),
                                         line_of(event->second.line)));
        continue;
      }
      auto race = races_.find(rk);
      if (race != races_.end() && race->second.distance_m != e.race_distance_m) {
        reject("race_distance_m", fmt::format("race '{}' has distance {} in an earlier row{}", text::echo(e.race_name),
                                              race->second.distance_m, line_of(race->second.line)));
        continue;
      }
      if (race != races_.end() && race->second.bibs.contains(e.bib)) {
        reject("bib", fmt::format("bib '{}' appears twice in race '{}'", text::echo(e.bib), text::echo(e.race_name)));
        continue;
      }
      if (event == events_.end()) {
        events_.emplace(ek, EventFacts{e.event_name, e.event_date, e.event_city, e.event_state, e.event_country, e.line});
        events.insert(events.end(), {ek, e.event_name, e.event_date, text_or_null(e.event_city),
                                     text_or_null(e.event_state), text_or_null(e.event_country)});
      }
      if (race == races_.end()) {
        race = races_.emplace(rk, RaceFacts{e.race_distance_m, e.line, chunks_, false, {}}).first;
        races.insert(races.end(), {rk, ek, e.race_name, std::int64_t{e.race_distance_m}});
      } else if (race->second.chunk != chunks_) {
        race->second.split = true;  // its entries span chunks: ranked in staging at the end
      }
      race->second.bibs.insert(e.bib);
      has_entry_ids_ = has_entry_ids_ || !e.external_id.empty();
      // A finish row for finishers and for DQs (their time was read; they get no place). DNF entries keep
      // only the splits they reached; DNS entries have no results. The entry carries the finish row's time.
      const bool finish_row = e.chip_time_ms && (e.status == "finished" || e.status == "dq");
      const std::string division = e.age > 0 ? sport::division_for(e.gender, e.age) : std::string();
      rows.insert(rows.end(), {rk, e.bib, e.external_id.empty() ? rk + "|" + e.bib : e.external_id, e.first_name,
                               e.last_name, std::string(1, e.gender), e.age > 0 ? Value{std::int64_t{e.age}} : Value{},
                               text_or_null(division), text_or_null(e.city), text_or_null(e.state), text_or_null(e.country),
                               text_or_null(e.team), e.status, finish_row ? Value{*e.chip_time_ms} : Value{}});
      ++entries_;
      if (finish_row) {
        if (e.status == "finished") finishers[rk].push_back({*e.chip_time_ms, e.gender, division, results.size()});
        results.insert(results.end(), {rk, e.bib, std::string("FINISH"), std::int64_t{e.race_distance_m}, std::int64_t{1},
                                       *e.chip_time_ms, opt_int(e.gun_time_ms),
                                       sport::pace_ms_per_km(*e.chip_time_ms, e.race_distance_m), Value{}, Value{},
                                       Value{}});
      }
      if (e.status != "dns") {
        for (const Split& sp : e.splits)
          results.insert(results.end(), {rk, e.bib, sp.name, std::int64_t{sp.distance_m}, std::int64_t{0}, sp.time_ms,
                                         Value{}, sport::pace_ms_per_km(sp.time_ms, sp.distance_m), Value{}, Value{},
                                         Value{}});
      }
    }
    const std::size_t width = s.tables[3].columns.size();
    for (auto& [race, runners] : finishers) rank(runners, results, width);
    return s;
  }

  std::size_t entries() const noexcept { return entries_; }
  // Whether some entry came with an id of its own (a provider's), which a renamed bib keeps.
  bool has_entry_ids() const noexcept { return has_entry_ids_; }
  std::size_t events() const noexcept { return events_.size(); }
  std::size_t races() const noexcept { return races_.size(); }
  // The races whose entries came in more than one chunk: their places are not the chunks' ranks.
  std::vector<std::string> split_races() const {
    std::vector<std::string> out;
    for (const auto& [key, race] : races_)
      if (race.split) out.push_back(key);
    return out;
  }

 private:
  struct EventFacts {
    std::string name, date, city, state, country;
    std::size_t line;
  };
  struct RaceFacts {
    std::int32_t distance_m;
    std::size_t line;
    std::size_t chunk;  // the first chunk it came in
    bool split;
    std::unordered_set<std::string> bibs;
  };
  std::unordered_map<std::string, EventFacts> events_;
  std::unordered_map<std::string, RaceFacts> races_;
  std::size_t entries_ = 0, chunks_ = 0;
  bool has_entry_ids_ = false;
};

// The set-based merge, written once for both dialects.
class Merge {
 public:
  Merge(TenantSession& session, std::string provider) : session_(session), provider_(std::move(provider)) {}

  std::int64_t exec(const std::string& text) { return session_.execute(render(text)); }
  ResultSet query(const std::string& text) { return session_.query(render(text)); }
  Dialect dialect() const { return session_.dialect(); }

 private:
  // Replaces {tp} and {src} by placeholders bound to the partner and the provider.
  Sql render(const std::string& text) {
    SqlWriter w(dialect());
    std::size_t pos = 0;
    while (pos < text.size()) {
      const auto open = text.find('{', pos);
      if (open == std::string::npos) {
        w << std::string_view(text).substr(pos);
        break;
      }
      const auto close = text.find('}', open);
      w << std::string_view(text).substr(pos, open - pos);
      const std::string_view name = std::string_view(text).substr(open + 1, close - open - 1);
      if (name == "tp")
        w.bind(session_.partner_id());
      else if (name == "src")
        w.bind(provider_);
      else
        throw Error(ErrorCode::internal, fmt::format("unknown placeholder {{{}}} in a merge statement", name));
      pos = close + 1;
    }
    return w.take();
  }

  TenantSession& session_;
  std::string provider_;
};

// Joins a staging row to its race (and participant) of this partner and provider.
constexpr const char* kRaceJoin =
    " JOIN ct_races r ON r.timing_partner_id = {tp} AND r.external_source = {src} AND r.external_id = s.race_ext";
constexpr const char* kParticipantJoin =
    " JOIN ct_participants p ON p.timing_partner_id = {tp} AND p.race_id = r.race_id AND p.bib = s.bib";

void collect(const ResultSet& rows, std::unordered_set<std::int64_t>& into) {
  for (const auto& row : rows.rows) into.insert(as_int(row[0]).value_or(0));
}

// Places from the stored finishers of the races in this batch, so that entries loaded earlier count too.
void compute_places(Merge& m) {
  const std::string affected =
      "(SELECT r.race_id FROM stage_races s JOIN ct_races r ON r.timing_partner_id = {tp} "
      "AND r.external_source = {src} AND r.external_id = s.race_ext)";
  m.exec(query::rank_races_sql("{tp}", affected));
  m.exec(query::unplace_non_finishers_sql("{tp}", affected));
}

std::string describe(const std::vector<RowError>& errors) {
  const RowError& e = errors.front();
  std::string out = e.line ? fmt::format("line {}: ", e.line) : std::string();
  out += e.column.empty() ? e.message : fmt::format("{} {}", e.column, e.message);
  if (errors.size() > 1) out += fmt::format(" (and {} more bad rows)", errors.size() - 1);
  return out;
}

std::int64_t record_sync_run(TenantSession& session, const ImportOptions& options, const ImportReport& r,
                             const std::string& status, const std::string& error) {
  SyncRun run;
  run.provider = options.provider;
  run.source = options.source;
  run.mode = "file";
  run.status = status;
  run.races_total = run.races_done = static_cast<std::int64_t>(r.races);
  run.read = static_cast<std::int64_t>(r.rows_read);
  run.created = static_cast<std::int64_t>(r.created);
  run.updated = static_cast<std::int64_t>(r.updated);
  run.removed = static_cast<std::int64_t>(r.removed);
  run.skipped = static_cast<std::int64_t>(r.skipped);
  run.failed = static_cast<std::int64_t>(status == "failed" ? r.errors.size() : 0);
  run.error = error.empty() && !r.errors.empty() ? describe(r.errors) : error;
  return detail::insert_run(session, run);
}

}  // namespace

namespace {

// Loads a document chunk by chunk inside the caller's read-write session: each chunk is checked and
// copied into staging tables, then one set-based merge writes them all. `report` arrives with what reading
// the source found and leaves with the counts.
class Loader {
 public:
  Loader(TenantSession& session, const ImportOptions& options) : session_(session), options_(options) {
    store::Connection& conn = racetiming::detail::connection_of(session);
    for (const auto& table : stage_tables()) conn.execute_script(stage_ddl(session.dialect(), table));
  }

  // Checks and stages a chunk; its contradictions (with rows of any chunk) join `errors`.
  void add(std::span<const Entry> entries, std::vector<RowError>& errors) {
    Stager::Chunk chunk = stager_.stage(entries);
    errors.insert(errors.end(), std::make_move_iterator(chunk.errors.begin()), std::make_move_iterator(chunk.errors.end()));
    // with OnError::abort the document is refused whole: nothing more is written once a row is bad
    if (!errors.empty() && options_.on_error == OnError::abort) return;
    store::Connection& conn = racetiming::detail::connection_of(session_);
    for (auto& table : chunk.tables)
      if (!table.cells.empty()) conn.bulk_insert(table);
  }

  ImportReport finish(ImportReport report);

 private:
  // Races whose entries came in several chunks were ranked per chunk: rank them again, in staging.
  void rank_split_races();

  TenantSession& session_;
  ImportOptions options_;
  Stager stager_;
};

void Loader::rank_split_races() {
  const auto split = stager_.split_races();
  if (split.empty()) return;
  store::Connection& conn = racetiming::detail::connection_of(session_);
  conn.execute_script("CREATE TEMP TABLE stage_split_races (race_ext TEXT)");
  BulkTable keys;
  keys.table = "stage_split_races";
  keys.columns = {"race_ext"};
  for (const auto& k : split) keys.cells.emplace_back(k);
  conn.bulk_insert(keys);
  // competition ranking (RANK: 1, 2, 2, 4), as rank() does in memory
  session_.execute(Sql{
      "UPDATE stage_results SET overall_place = x.o, gender_place = x.g, division_place = x.d FROM ("
      "SELECT r.race_ext, r.bib, RANK() OVER (PARTITION BY r.race_ext ORDER BY r.results_time_ms) AS o, "
      "RANK() OVER (PARTITION BY r.race_ext, e.gender ORDER BY r.results_time_ms) AS g, "
      "CASE WHEN e.division IS NULL THEN NULL ELSE RANK() OVER (PARTITION BY r.race_ext, e.division ORDER BY r.results_time_ms) END AS d "
      "FROM stage_results r JOIN stage_entries e ON e.race_ext = r.race_ext AND e.bib = r.bib "
      "WHERE r.is_final = 1 AND e.status = 'finished' AND r.race_ext IN (SELECT race_ext FROM stage_split_races)) x "
      "WHERE stage_results.race_ext = x.race_ext AND stage_results.bib = x.bib AND stage_results.is_final = 1",
      {}});
  conn.execute_script("DROP TABLE stage_split_races");
}

ImportReport Loader::finish(ImportReport report) {
  store::Connection& conn = racetiming::detail::connection_of(session_);
  if (!report.errors.empty() && options_.on_error == OnError::abort) {
    conn.execute_script(kDropStaging);  // the caller's session may go on
    throw Error(ErrorCode::invalid_input, describe(report.errors));
  }
  report.skipped = report.errors.size();
  report.events = stager_.events();
  report.races = stager_.races();
  TenantSession& session = session_;
  const ImportOptions& options = options_;
  Merge m(session, options.provider);
  const Dialect d = session.dialect();
  // SQLite has no hash join: without keys on the staging tables it scans one once per race.
  if (d == Dialect::sqlite)
    conn.execute_script(
        "CREATE INDEX stage_entries_key ON stage_entries (race_ext, bib);"
        "CREATE INDEX stage_results_key ON stage_results (race_ext, bib, interval_name)");
  rank_split_races();
  // Whether any race of the document holds entries already (a few index probes, asked before the hash
  // joins below are forced): a first load of its races has nothing to rename, compare or prune.
  const bool races_had_entries =
      as_int(m.query("SELECT COUNT(*) FROM (SELECT 1 FROM stage_races s JOIN ct_races r ON r.timing_partner_id = {tp} "
                     "AND r.external_source = {src} AND r.external_id = s.race_ext JOIN ct_participants p ON "
                     "p.timing_partner_id = {tp} AND p.race_id = r.race_id LIMIT 1) x")
                 .rows.at(0)
                 .at(0))
          .value_or(1) > 0;
  // Every merge statement joins a whole document against the ct_* tables. PostgreSQL's statistics may
  // not know yet how large those tables are (a first import grows them inside this very transaction),
  // and with such estimates it chose nested loops over sequential scans that ran for minutes. Hash and
  // merge joins cost time linear in their inputs whatever the estimates say, so the merge uses them.
  if (d == Dialect::postgresql) conn.execute_script("SET LOCAL enable_nestloop = off");

  const std::string now(now_expression(d));
  m.exec(
      "INSERT INTO ct_events (timing_partner_id, event_name, event_date, city, state, country, status, "
      "external_source, external_id) SELECT {tp}, s.event_name, s.event_date, s.city, s.state, s.country, "
      "'completed', {src}, s.event_ext FROM stage_events s WHERE true "
      "ON CONFLICT (timing_partner_id, external_source, external_id) DO UPDATE SET event_name = excluded.event_name, "
      "event_date = excluded.event_date, city = excluded.city, state = excluded.state, country = excluded.country, "
      "updated_at = " + now +
      " WHERE (ct_events.event_name, ct_events.event_date, ct_events.city, ct_events.state, ct_events.country) "
      "IS DISTINCT FROM (excluded.event_name, excluded.event_date, excluded.city, excluded.state, excluded.country)");
  m.exec(
      "INSERT INTO ct_races (timing_partner_id, event_id, race_name, distance_m, external_source, external_id) "
      "SELECT {tp}, e.event_id, s.race_name, s.distance_m, {src}, s.race_ext FROM stage_races s "
      "JOIN ct_events e ON e.timing_partner_id = {tp} AND e.external_source = {src} AND e.external_id = s.event_ext "
      "WHERE true ON CONFLICT (timing_partner_id, external_source, external_id) DO UPDATE SET "
      "race_name = excluded.race_name, distance_m = excluded.distance_m "
      "WHERE (ct_races.race_name, ct_races.distance_m) IS DISTINCT FROM (excluded.race_name, excluded.distance_m)");

  std::unordered_set<std::int64_t> existing, touched;
  // A source with ids of its own for entries (a provider's registrations) may give an entry a new bib:
  // the entry keeps its id and results, under the new bib.
  if (races_had_entries && stager_.has_entry_ids())
    collect(m.query(std::string("UPDATE ct_participants SET bib = s.bib FROM stage_entries s") + kRaceJoin +
                  " WHERE ct_participants.timing_partner_id = {tp} AND ct_participants.race_id = r.race_id AND "
                  "ct_participants.external_source = {src} AND ct_participants.external_id = s.entry_ext AND "
                  "ct_participants.bib <> s.bib RETURNING ct_participants.participant_id"),
          touched);
  if (races_had_entries)
    collect(m.query(std::string("SELECT p.participant_id FROM stage_entries s") + kRaceJoin + kParticipantJoin +
                    " WHERE true"),
            existing);
  const std::string insert_participants = std::string(
                      "INSERT INTO ct_participants (timing_partner_id, event_id, race_id, bib, first_name, last_name, "
                      "gender, age, division, city, state, country, team, status, finish_time_ms, external_source, external_id) "
                      "SELECT {tp}, r.event_id, r.race_id, s.bib, s.first_name, s.last_name, s.gender, s.age, "
                      "s.division, s.city, s.state, s.country, s.team, s.status, s.finish_time_ms, {src}, "
                      "s.entry_ext "
                      "FROM stage_entries s") +
                  kRaceJoin + " WHERE true" +
                  // no entry of these races existed: nothing can conflict, and a plain insert is cheaper
                  (existing.empty() ? std::string() : std::string(
                  " ON CONFLICT (timing_partner_id, race_id, bib) DO UPDATE SET "
                  "first_name = excluded.first_name, last_name = excluded.last_name, gender = excluded.gender, "
                  "age = excluded.age, division = excluded.division, city = excluded.city, state = excluded.state, "
                  "country = excluded.country, team = excluded.team, status = excluded.status, "
                  "finish_time_ms = excluded.finish_time_ms, external_id = excluded.external_id "
                  "WHERE (ct_participants.first_name, ct_participants.last_name, ct_participants.gender, "
                  "ct_participants.age, ct_participants.division, ct_participants.city, ct_participants.state, "
                  "ct_participants.country, ct_participants.team, ct_participants.status, "
                  "ct_participants.finish_time_ms, ct_participants.external_id) IS DISTINCT FROM "
                  "(excluded.first_name, excluded.last_name, excluded.gender, excluded.age, excluded.division, "
                  "excluded.city, excluded.state, excluded.country, excluded.team, excluded.status, "
                  "excluded.finish_time_ms, excluded.external_id) "
                  "RETURNING participant_id"));
  const std::string insert_results = std::string(
                      "INSERT INTO ct_results (timing_partner_id, event_id, race_id, participant_id, interval_name, "
                      "interval_distance_m, is_final, results_time_ms, gun_time_ms, pace_ms_per_km, overall_place, "
                      "gender_place, division_place) "
                      "SELECT {tp}, p.event_id, p.race_id, p.participant_id, s.interval_name, s.interval_distance_m, "
                      "s.is_final = 1, s.results_time_ms, s.gun_time_ms, s.pace_ms_per_km, s.overall_place, "
                      "s.gender_place, s.division_place FROM stage_results s") +
                  kRaceJoin + kParticipantJoin + " WHERE true" +
                  (existing.empty() ? std::string() : std::string(
                  " ON CONFLICT (participant_id, interval_name) DO UPDATE SET "
                  "interval_distance_m = excluded.interval_distance_m, is_final = excluded.is_final, "
                  "results_time_ms = excluded.results_time_ms, gun_time_ms = excluded.gun_time_ms, "
                  "pace_ms_per_km = excluded.pace_ms_per_km "
                  "WHERE (ct_results.interval_distance_m, ct_results.is_final, ct_results.results_time_ms, "
                  "ct_results.gun_time_ms, ct_results.pace_ms_per_km) IS DISTINCT FROM (excluded.interval_distance_m, "
                  "excluded.is_final, excluded.results_time_ms, excluded.gun_time_ms, excluded.pace_ms_per_km) "
                  "RETURNING participant_id"));
  // No entry of these races existed: every one inserted is new, and a count says so without sending
  // back an id per row (a 100,000-entry file returned 400,000 of them).
  std::size_t fresh = 0;
  if (existing.empty()) {
    fresh = static_cast<std::size_t>(m.exec(insert_participants));
    m.exec(insert_results);
  } else {
    collect(m.query(insert_participants), touched);
    collect(m.query(insert_results), touched);
  }
  // The source is the truth for the entries it carries: readings it no longer has go. Only entries that
  // existed before can hold such readings, so a first import skips this (and its planning on tables that
  // grew inside this transaction, whose statistics still say they are empty).
  if (!existing.empty()) {
    collect(m.query(std::string("DELETE FROM ct_results WHERE result_id IN (SELECT res.result_id FROM stage_entries s") +
                  kRaceJoin + kParticipantJoin +
                  " JOIN ct_results res ON res.timing_partner_id = {tp} AND res.participant_id = p.participant_id "
                  "WHERE NOT EXISTS (SELECT 1 FROM stage_results sr WHERE sr.race_ext = s.race_ext AND "
                  "sr.bib = s.bib AND sr.interval_name = res.interval_name)) RETURNING participant_id"),
            touched);
  }
  // A full sync's races lose the entries their source no longer lists (withdrawn runners), unless some
  // of their rows could not be read (those runners are still there, unread).
  if (options.prune && !existing.empty() && report.errors.empty()) {
    std::unordered_set<std::int64_t> removed;
    collect(m.query("DELETE FROM ct_participants WHERE participant_id IN (SELECT p.participant_id FROM stage_races s"
                    " JOIN ct_races r ON r.timing_partner_id = {tp} AND r.external_source = {src} AND r.external_id = s.race_ext"
                    " JOIN ct_participants p ON p.timing_partner_id = {tp} AND p.race_id = r.race_id AND p.external_source = {src}"
                    " WHERE NOT EXISTS (SELECT 1 FROM stage_entries se WHERE se.race_ext = s.race_ext AND se.bib = p.bib))"
                    " RETURNING participant_id"),
            removed);
    report.removed = removed.size();
  }
  // Places staged from the batch are complete when the batch held every entry of its races, counted by
  // chip time; otherwise (entries loaded earlier, or a gun-time race) the stored finishers are ranked again.
  const bool batch_is_whole_race =
      existing.empty() && as_int(m.query("SELECT COUNT(*) FROM stage_races s JOIN ct_races r ON r.timing_partner_id = "
                                         "{tp} AND r.external_source = {src} AND r.external_id = s.race_ext "
                                         "WHERE r.placement_basis <> 'chip'")
                                     .rows.at(0)
                                     .at(0)) == 0;
  if (!batch_is_whole_race) compute_places(m);
  conn.execute_script(kDropStaging);

  for (std::int64_t id : touched) (existing.contains(id) ? report.updated : report.created) += 1;
  report.created += fresh;
  report.unchanged = stager_.entries() - report.created - report.updated;
  if (report.created || report.updated || report.removed)
    session.execute(query::bump_data_version(session.dialect(), session.partner_id()));
  if (options.record_run) report.sync_run_id = record_sync_run(session, options, report, "succeeded", {});
  return report;
}

}  // namespace

void refresh_statistics(Database& db, const ImportReport& report) {
  // Autovacuum analyses a grown table only some time after the commit; until then the planner believes
  // the tables are as small as before and picks plans that are ruinous at this size (nested loops over
  // sequential scans). Refresh the statistics now when the import was large. Only the owner may analyse:
  // for any other role PostgreSQL skips it with a warning, which is harmless.
  if (db.dialect() != Dialect::postgresql || report.created + report.updated < kAnalyzeThreshold) return;
  AdminSession session(db);
  racetiming::detail::connection_of(session).execute_script("ANALYZE ct_events, ct_races, ct_participants, ct_results");
  session.commit();
}

ImportReport import_entries(TenantSession& session, std::span<const Entry> entries, const ImportOptions& options) {
  ImportReport report;
  report.rows_read = entries.size();
  Loader loader(session, options);
  loader.add(entries, report.errors);
  return loader.finish(std::move(report));
}

ImportReport import_chunks(Database& db, std::int64_t partner_id, const ChunkSource& next_chunk, const ImportOptions& options) {
  ImportReport read;  // what reading found: rows, bad rows
  try {
    ImportReport report;
    {
      TenantSession session(db, partner_id, Access::read_write);
      Loader loader(session, options);
      // The next chunk is parsed on another thread while this one is staged: the client's parsing and the
      // database's copying overlap (2 cores: a tenth of a large import's time).
      ParsedFile chunk, upcoming;
      bool more = next_chunk(chunk);
      while (more) {
        auto reading = std::async(std::launch::async, [&next_chunk, &upcoming] { return next_chunk(upcoming); });
        read.rows_read += chunk.rows_read;
        read.errors.insert(read.errors.end(), std::make_move_iterator(chunk.errors.begin()),
                           std::make_move_iterator(chunk.errors.end()));
        loader.add(chunk.entries, read.errors);
        more = reading.get();
        std::swap(chunk, upcoming);
      }
      report = loader.finish(read);
      session.commit();
    }  // its connection back before the statistics take one
    refresh_statistics(db, report);
    return report;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid_input) throw;
    // nothing was imported (the transaction rolled back); the failed run is still on record
    TenantSession session(db, partner_id, Access::read_write);
    record_sync_run(session, options, read, "failed", e.what());
    session.commit();
    throw;
  }
}

ImportReport import_document(Database& db, std::int64_t partner_id, const std::function<ParsedFile()>& parse,
                             const ImportOptions& options) {
  bool done = false;
  return import_chunks(db, partner_id, [&](ParsedFile& chunk) {
    if (done) return false;
    chunk = parse();
    done = true;
    return true;
  }, options);
}

ImportReport import_interchange_csv(Database& db, std::int64_t partner_id, std::string_view csv,
                                    const ImportOptions& options, const std::function<void(std::size_t)>& consumed) {
  std::optional<InterchangeReader> reader;
  return import_chunks(db, partner_id, [&](ParsedFile& chunk) {
    if (!reader) reader.emplace(csv, CsvOptions{options.ignore_unknown_columns});  // a bad header is recorded too
    const bool more = reader->next(chunk, kChunkRows);
    if (consumed) consumed(reader->position());
    return more;
  }, options);
}

}  // namespace racetiming::ingest
