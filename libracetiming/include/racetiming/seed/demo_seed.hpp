#pragma once
// Deterministic demo data: 13 timing partners, each with recurring events held 2019-2025 (marathons,
// halves, 10 milers, 10Ks, 5Ks, a trail 50K), and realistic entries with splits, DNF/DNS/DQ and ties.
// The same seed gives the same data on every run and with any standard library: the generator uses its
// own PRNG and Box-Muller, never the standard distributions (whose output is implementation-defined).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "racetiming/ingest/entry.hpp"
#include "racetiming/store/database.hpp"

namespace racetiming::seed {

// demo: about 1% of prod (~20k entries), loads in seconds into SQLite.
// prod: the production database the design describes (~1.7M entries, ~8M result rows).
enum class Scale { demo, prod };

struct SeedOptions {
  Scale scale = Scale::demo;
  std::uint64_t seed = 42;
  // Called after each loaded batch: entries loaded so far, entries planned in all.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct SeedReport {
  std::size_t partners = 0, events = 0, races = 0, entries = 0;
  std::size_t results = 0;  // result rows: one FINISH row per finished or DQ entry, plus one per split
};

struct PartnerSpec {
  std::string name, slug;
};

// The 13 demo partners, in order; the first three are Big River Race Management (big-river),
// Mid-Hudson Road Runners (mid-hudson) and RacePlace Events (raceplace).
const std::vector<PartnerSpec>& demo_partners();

// All entries of one partner (index into demo_partners()) at a scale, grouped by event and race, in bib
// order. Pure and deterministic: touches no database, and a partner's data does not depend on the
// others'. Throws Error(invalid_parameter, "partner_index") for an index out of range.
std::vector<ingest::Entry> generate_partner_entries(std::size_t partner_index, Scale scale, std::uint64_t seed);

// Creates the demo partners that are missing (an existing partner with the same slug is reused), then
// loads each partner's entries with ingest::import_entries in batches of whole events (at most 50k
// entries), one read-write TenantSession and commit per batch, refreshing the planner's statistics after
// each. Idempotent: a second run changes nothing and reports the same totals.
SeedReport seed_demo_data(Database& db, const SeedOptions& options = {});

}  // namespace racetiming::seed
