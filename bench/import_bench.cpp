// Interchange import rate: entries (CSV rows) per second into SQLite and PostgreSQL, for a first import
// (every entry new) and for a repeated one (every entry unchanged). PostgreSQL runs only when
// RACETIMING_BENCH_PG_URL names a database (bench/run starts a throwaway cluster for it).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "racetiming/admin/partners.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/store/database.hpp"

namespace {

namespace fs = std::filesystem;
using namespace racetiming;

const std::string& fixture() {
  static const std::string text = [] {
    std::ifstream in(fs::path(RACETIMING_SHARED_DIR) / "fixtures" / "big-river.csv", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

constexpr std::int64_t kEntries = 10470;  // rows of big-river.csv

// A first import each iteration: a new partner, so every entry is created.
// Google Benchmark calls a benchmark several times while it sizes the run: every call gets fresh partners.
std::int64_t new_partner(Database& db) {
  static int sequence = 0;
  const auto id = ++sequence;
  return admin::add_partner(db, "Bench " + std::to_string(id), "bench-" + std::to_string(id));
}

void first_import(benchmark::State& state, Database& db) {
  for (auto _ : state) {
    state.PauseTiming();
    const auto partner = new_partner(db);
    state.ResumeTiming();
    auto report = ingest::import_interchange_csv(db, partner, fixture());
    benchmark::DoNotOptimize(report.created);
  }
  state.SetItemsProcessed(state.iterations() * kEntries);
}

// The same file again into one partner: every entry is compared and left unchanged.
void repeat_import(benchmark::State& state, Database& db) {
  const auto partner = new_partner(db);
  ingest::import_interchange_csv(db, partner, fixture());
  for (auto _ : state) {
    auto report = ingest::import_interchange_csv(db, partner, fixture());
    benchmark::DoNotOptimize(report.unchanged);
  }
  state.SetItemsProcessed(state.iterations() * kEntries);
}

Database& sqlite_db() {
  static Database db = [] {
    const auto path = fs::temp_directory_path() / "racetiming-import-bench.db";
    fs::remove(path);
    auto d = Database::open("sqlite:" + path.string());
    d.migrate();
    return d;
  }();
  return db;
}

void BM_SqliteFirstImport(benchmark::State& s) { first_import(s, sqlite_db()); }
void BM_SqliteRepeatImport(benchmark::State& s) { repeat_import(s, sqlite_db()); }
BENCHMARK(BM_SqliteFirstImport)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();
BENCHMARK(BM_SqliteRepeatImport)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (const char* url = std::getenv("RACETIMING_BENCH_PG_URL"); url && *url) {
    static Database pg = Database::open(url);
    pg.migrate();
    benchmark::RegisterBenchmark("BM_PostgresqlFirstImport", [](benchmark::State& s) { first_import(s, pg); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(5)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_PostgresqlRepeatImport", [](benchmark::State& s) { repeat_import(s, pg); })
        ->Unit(benchmark::kMillisecond)
        ->MinTime(5)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
