// The question parser's cost: parse_question (a) and parse + render of the SQL (b), per question of
// ../shared/nl/examples.tsv and examples-2.tsv, against a catalog built from ../shared/fixtures/big-river.json (every
// question is read against it, the mid-hudson ones included, as a partner would ask them). One benchmark
// per question and kind; at the end, the median, 90th percentile and maximum over the questions. As the
// engine parses: the catalog's event names worked out once, beside the catalog (nl::event_names).
// The goal (NL issue): a median parse + plan under 20 µs per question. bench/run nl runs it.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "nl/render.hpp"
#include "nl/rules.hpp"
#include "racetiming/nl/plan.hpp"

namespace {

namespace fs = std::filesystem;
using namespace racetiming;
using namespace racetiming::nl;

constexpr std::int64_t kPartner = 1;

fs::path shared_dir() {
  if (const char* dir = std::getenv("RACETIMING_SHARED_DIR"); dir && *dir) return dir;
  return RACETIMING_SHARED_DIR;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "nl_parse_bench: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The second column of examples.tsv and examples-2.tsv, past their headers.
std::vector<std::string> questions() {
  std::vector<std::string> out;
  for (const char* file : {"examples.tsv", "examples-2.tsv"}) {
    std::istringstream lines(read(shared_dir() / "nl" / file));
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) {
      const auto first = line.find('\t');
      if (first == std::string::npos) continue;
      const auto second = line.find('\t', first + 1);
      out.push_back(line.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1));
    }
  }
  return out;
}

// The fixture's events and races, with ids as an import would give them.
Catalog big_river() {
  rapidjson::Document doc;
  doc.Parse(read(shared_dir() / "fixtures" / "big-river.json").c_str());
  if (doc.HasParseError() || !doc.HasMember("events")) {
    std::fprintf(stderr, "nl_parse_bench: big-river.json is not the fixture\n");
    std::exit(2);
  }
  Catalog c;
  std::int64_t event_id = 0, race_id = 0;
  for (const auto& e : doc["events"].GetArray()) {
    CatalogEvent event{++event_id, e["name"].GetString(), e["date"].GetString(), "completed", {}};
    for (const auto& r : e["races"].GetArray())
      event.races.push_back({++race_id, r["name"].GetString(), r["distance_m"].GetInt64()});
    c.events.push_back(std::move(event));
  }
  return c;
}

const AskContext kContext{"2026-11-25", std::nullopt, std::nullopt};

// The catalog and its event names, as the engine keeps them per partner.
struct Known {
  Catalog catalog = big_river();
  std::vector<NamedEvent> names = event_names(catalog);
};

void parse(benchmark::State& state, const Known& known, const std::string& question) {
  for (auto _ : state) {
    auto outcome = parse_question(question, known.catalog, known.names, kContext);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations());
}

void parse_render(benchmark::State& state, const Known& known, const std::string& question) {
  for (auto _ : state) {
    auto outcome = parse_question(question, known.catalog, known.names, kContext);
    if (outcome.plan) {
      auto rendered = render(*outcome.plan, Dialect::postgresql, kPartner);
      benchmark::DoNotOptimize(rendered);
    }
    benchmark::DoNotOptimize(outcome);
  }
  state.SetItemsProcessed(state.iterations());
}

// Every question in turn: the mean per question.
void parse_all(benchmark::State& state, const Known& known, const std::vector<std::string>& all) {
  for (auto _ : state)
    for (const auto& question : all) {
      auto outcome = parse_question(question, known.catalog, known.names, kContext);
      benchmark::DoNotOptimize(outcome);
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(all.size()));
}

// The console as usual, and the per-question times kept for the summary (with repetitions, the median
// of a question's runs).
class Collector : public benchmark::ConsoleReporter {
 public:
  Collector() : ConsoleReporter(isatty(fileno(stdout)) ? OO_ColorTabular : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      const std::string name = run.benchmark_name();
      const auto slash = name.find('/');
      if (slash == std::string::npos) continue;
      auto& times = times_[name.substr(0, slash)][name.substr(slash + 1)];
      times.real.push_back(run.GetAdjustedRealTime());
      times.cpu.push_back(run.GetAdjustedCPUTime());
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Median, p90 and max over the questions, of real and of CPU time (on a busy machine real time
  // includes waiting for a core).
  void summary() {
    std::printf("\nPer question (goal: median parse + plan under 20 us):\n");
    for (auto& [kind, questions] : times_) {
      for (const bool cpu : {false, true}) {
        std::vector<std::pair<double, std::string>> times;
        for (auto& [question, runs] : questions) times.emplace_back(median(cpu ? runs.cpu : runs.real), question);
        std::sort(times.begin(), times.end());
        std::vector<double> values;
        for (const auto& t : times) values.push_back(t.first);
        std::printf("  %-13s %s, %2zu questions: median %6.2f us  p90 %6.2f us  max %6.2f us  (slowest: %s)\n",
                    kind.c_str(), cpu ? "cpu " : "real", times.size(), median(values), percentile(values, 0.9),
                    times.back().first, times.back().second.c_str());
      }
    }
  }

 private:
  // Linear interpolation between the closest ranks.
  static double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double rank = q * static_cast<double>(v.size() - 1);
    const auto low = static_cast<std::size_t>(rank);
    const auto high = std::min(low + 1, v.size() - 1);
    return v[low] + (v[high] - v[low]) * (rank - static_cast<double>(low));
  }
  static double median(const std::vector<double>& v) { return percentile(v, 0.5); }

  struct Times {
    std::vector<double> real, cpu;
  };
  std::map<std::string, std::map<std::string, Times>> times_;
};

// "q07 Show me the top 5 finishers of ..." (names shortened for the console)
std::string label(std::size_t i, const std::string& question) {
  char number[8];
  std::snprintf(number, sizeof number, "q%02zu ", i + 1);
  return number + (question.size() > 48 ? question.substr(0, 45) + "..." : question);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  static const Known catalog;
  static const std::vector<std::string> all = questions();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& q = all[i];
    benchmark::RegisterBenchmark(("parse/" + label(i, q)).c_str(), [&q](benchmark::State& s) { parse(s, catalog, q); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("parse+render/" + label(i, q)).c_str(),
                                 [&q](benchmark::State& s) { parse_render(s, catalog, q); })
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("parse_all_questions", [](benchmark::State& s) { parse_all(s, catalog, all); })
      ->Unit(benchmark::kMicrosecond);
  Collector reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.summary();
  benchmark::Shutdown();
}
