// racetiming: the command-line host of libracetiming (cli.md). Each subcommand is a thin call into the
// library; failures print one line on stderr and exit non-zero with a code per error kind.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "output.hpp"
#include "racetiming/auth/permissions.hpp"
#include "racetiming/racetiming.hpp"
#include "racetiming/sport/dates.hpp"

namespace rt = racetiming;
using racetiming::cli::Record;

namespace {

// Exit status per error kind, documented in docs/cli.md.
int exit_code(rt::ErrorCode code) {
  switch (code) {
    case rt::ErrorCode::invalid_parameter: return 2;
    case rt::ErrorCode::invalid_input: return 3;
    case rt::ErrorCode::not_found: return 4;
    case rt::ErrorCode::conflict: return 5;
    case rt::ErrorCode::unavailable: return 6;
    case rt::ErrorCode::nl_unsupported: return 7;
    default: return 1;
  }
}

// Where parsed options land: one field per option, owned by main so that nothing here is global.
struct Globals {
  std::string db_url, data_dir, credentials_key_file;
  bool json = false;
  struct {
    std::string scale = "demo";
    std::uint64_t seed = 42;
  } seed;
  struct {
    std::string name, slug, domain;
  } partner_add;
  struct {
    std::int64_t partner = 0;
    std::string name, email, permissions;
  } user_add;
  struct {
    std::int64_t partner = 0, user = 0, key_id = 0;
    std::string scopes;
  } keys;
  struct {
    std::int64_t partner = 0;
    std::string format = "interchange", on_error = "abort", file;
    bool ignore_unknown = false;
    rt::integrations::RaceContext race;  // for a provider's document
  } import;
  struct {
    std::int64_t partner = 0, limit = 20, run_id = 0;
    std::string provider, base_url, credentials_file;
    std::vector<std::string> event_ids;
    bool disabled = false, full = false;
  } sync;
  struct {
    std::int64_t partner = 0;
    std::string format = "table", today;
    std::vector<std::string> words, after;
  } ask;
  struct {
    std::int64_t partner = 0, alias_id = 0;
    std::string alias, event;
  } aliases;
  struct {
    std::int64_t partner = 0;
    std::optional<std::int64_t> race, event, distance;
    std::optional<int> year, year_from, year_to;
    std::string event_name, format = "table", table, measure = "finishers";
    rt::reports::AwardsRequest awards;
  } report;
  struct {
    std::optional<std::int64_t> partner;
    std::int64_t limit = 50;
  } audit;
};

// A command does one thing at a time: two connections (a session and an administrative lookup) suffice.
// The schema is created by `db migrate` or `seed`, never as a side effect of another command. Questions
// get a generous statement timeout and no answer cache (one question per process).
rt::Engine open_engine(const Globals& g) {
  rt::EngineOptions options{.pool_size = 2, .acquire_timeout = std::chrono::milliseconds(5000), .migrate = false};
  options.nl.statement_timeout = std::chrono::milliseconds(30000);
  options.nl.cache_entries = 0;
  options.reference_dir = g.data_dir;
  options.credentials_key = rt::credentials_key_from(g.credentials_key_file);
  return rt::Engine(g.db_url, options);
}

void print(const Globals& g, const Record& r) { std::cout << (g.json ? r.json() + "\n" : r.text()); }

std::vector<std::string> split_list(const std::string& s) {
  return s.empty() ? std::vector<std::string>{} : rt::auth::parse_permissions(s);
}

std::string read_input(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw rt::Error(rt::ErrorCode::invalid_parameter, fmt::format("cannot read file '{}'", path), "FILE");
    text << in.rdbuf();
  }
  return text.str();
}

// A progress bar on a terminal, nothing when stderr is a file or pipe.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}
  void update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const int width = 40, filled = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r%s [%s%s] %3zu%% %zu/%zu", label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), done * 100 / total, done, total);
    if (done >= total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string label_;
  bool enabled_;
};

void add_db_commands(CLI::App& app, Globals& g) {
  auto* db = app.add_subcommand("db", "database administration")->require_subcommand(1);
  db->add_subcommand("migrate", "create or upgrade the schema (idempotent)")->callback([&g] {
    auto engine = open_engine(g);
    const int applied = engine.migrate();
    print(g, Record().add("applied", std::int64_t{applied}).add("schema_version", std::int64_t{engine.schema_version()}));
  });
}

void add_seed_command(CLI::App& app, Globals& g) {
  auto* seed = app.add_subcommand("seed", "load deterministic demo data (13 partners)");
  seed->add_option("--scale", g.seed.scale, "demo or prod")->check(CLI::IsMember({"demo", "prod"}));
  seed->add_option("--seed", g.seed.seed, "random seed");
  seed->callback([&g] {
    auto engine = open_engine(g);
    ProgressBar bar("seeding");
    rt::seed::SeedOptions options;
    options.scale = g.seed.scale == "prod" ? rt::seed::Scale::prod : rt::seed::Scale::demo;
    options.seed = g.seed.seed;
    options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
    auto r = engine.seed(options);
    print(g, Record()
                 .add("partners", static_cast<std::int64_t>(r.partners))
                 .add("events", static_cast<std::int64_t>(r.events))
                 .add("races", static_cast<std::int64_t>(r.races))
                 .add("entries", static_cast<std::int64_t>(r.entries))
                 .add("results", static_cast<std::int64_t>(r.results)));
  });
}

void add_partner_commands(CLI::App& app, Globals& g) {
  auto* partners = app.add_subcommand("partners", "timing partners (tenants)")->require_subcommand(1);
  auto* add = partners->add_subcommand("add", "add a partner");
  auto& a = g.partner_add;
  add->add_option("--name", a.name, "display name")->required();
  add->add_option("--slug", a.slug, "short name used in host names")->required();
  add->add_option("--domain", a.domain, "the partner's own domain");
  add->callback([&g, &a] {
    print(g, Record().add("timing_partner_id", open_engine(g).add_partner(a.name, a.slug, a.domain)));
  });
  partners->add_subcommand("list", "list partners with how much data each holds")->callback([&g] {
    auto engine = open_engine(g);
    auto partners_found = engine.partners();
    auto counts = engine.partner_counts();
    std::vector<Record> records;
    for (std::size_t i = 0; i < partners_found.size(); ++i) {
      const auto& p = partners_found[i];
      const auto& c = counts.at(i);
      records.push_back(Record()
                            .add("timing_partner_id", p.timing_partner_id)
                            .add("name", p.name)
                            .add("slug", p.slug)
                            .add("events", c.events)
                            .add("races", c.races)
                            .add("participants", c.participants)
                            .add("results", c.results));
    }
    if (g.json) {
      std::cout << rt::cli::json_list("partners", records) << "\n";
      return;
    }
    std::cout << fmt::format("{:>4}  {:<34} {:<18} {:>7} {:>6} {:>12} {:>10}\n", "id", "name", "slug", "events", "races",
                             "participants", "results");
    for (std::size_t i = 0; i < partners_found.size(); ++i) {
      const auto& p = partners_found[i];
      const auto& c = counts.at(i);
      std::cout << fmt::format("{:>4}  {:<34} {:<18} {:>7} {:>6} {:>12} {:>10}\n", p.timing_partner_id, p.name, p.slug,
                               c.events, c.races, c.participants, c.results);
    }
  });
}

void add_user_commands(CLI::App& app, Globals& g) {
  auto* users = app.add_subcommand("users", "people at a partner")->require_subcommand(1);
  auto* add = users->add_subcommand("add", "add a user");
  auto& a = g.user_add;
  add->add_option("--partner", a.partner, "partner id")->required();
  add->add_option("--name", a.name, "display name")->required();
  add->add_option("--email", a.email, "e-mail address");
  add->add_option("--permissions", a.permissions, "comma-separated permissions (default: read everything, ask)");
  add->callback([&g, &a] {
    print(g, Record().add("user_id", open_engine(g).add_user(a.partner, a.name, a.email, split_list(a.permissions))));
  });
}

void add_key_commands(CLI::App& app, Globals& g) {
  auto* keys = app.add_subcommand("keys", "API keys")->require_subcommand(1);
  auto* create = keys->add_subcommand("create", "create a key; its secret is shown once");
  auto& k = g.keys;
  create->add_option("--partner", k.partner, "partner id")->required();
  create->add_option("--user", k.user, "user id");
  create->add_option("--scopes", k.scopes, "comma-separated permissions (default: the user's)");
  create->callback([&g, &k] {
    auto key = open_engine(g).create_key(k.partner, k.user ? std::optional<std::int64_t>(k.user) : std::nullopt,
                                         k.scopes.empty() ? std::vector<std::string>{}
                                                          : rt::auth::parse_permissions(k.scopes, "scopes"));
    print(g, Record().add("key_id", key.key_id).add("api_key", key.api_key));
  });
  auto* revoke = keys->add_subcommand("revoke", "revoke a key");
  revoke->add_option("KEY_ID", k.key_id, "the key's id")->required();
  revoke->callback([&g, &k] {
    open_engine(g).revoke_key(k.key_id);
    print(g, Record().add("key_id", k.key_id).add("revoked", std::string("true")));
  });
}

Record import_record(const rt::ingest::ImportReport& r) {
  std::vector<std::string> errors;
  for (const auto& e : r.errors)
    errors.push_back(e.column.empty() ? fmt::format("line {}: {}", e.line, e.message) : fmt::format("line {}: {} {}", e.line, e.column, e.message));
  return Record()
      .add("sync_run_id", r.sync_run_id)
      .add("rows_read", static_cast<std::int64_t>(r.rows_read))
      .add("created", static_cast<std::int64_t>(r.created))
      .add("updated", static_cast<std::int64_t>(r.updated))
      .add("unchanged", static_cast<std::int64_t>(r.unchanged))
      .add("skipped", static_cast<std::int64_t>(r.skipped))
      .add("events", static_cast<std::int64_t>(r.events))
      .add("races", static_cast<std::int64_t>(r.races))
      .add("errors", errors);
}

void add_import_command(CLI::App& app, Globals& g) {
  auto* imp = app.add_subcommand("import", "import results for one partner");
  auto& a = g.import;
  imp->add_option("--partner", a.partner, "partner id")->required();
  imp->add_option("--format", a.format,
                  "interchange (the project's CSV), or a provider's results document (JSON) of one race: runsignup, "
                  "chronotrack or raceroster")
      ->check(CLI::IsMember({"interchange", "runsignup", "chronotrack", "raceroster"}));
  imp->add_option("--on-error", a.on_error, "abort (default: import nothing) or skip (import the good rows)")
      ->check(CLI::IsMember({"abort", "skip"}));
  imp->add_flag("--ignore-unknown-columns", a.ignore_unknown, "skip columns the format does not define");
  imp->add_option("--event-name", a.race.event_name, "with a provider's format: the event");
  imp->add_option("--event-date", a.race.event_date, "with a provider's format: the event's date, YYYY-MM-DD");
  imp->add_option("--event-city", a.race.event_city, "with a provider's format: where the event is");
  imp->add_option("--event-state", a.race.event_state, "with a provider's format: where the event is");
  imp->add_option("--event-country", a.race.event_country, "with a provider's format: where the event is");
  imp->add_option("--race-name", a.race.race_name, "with a provider's format: the race (e.g. 5K, Half Marathon)");
  imp->add_option("--distance-m", a.race.race_distance_m, "with a provider's format: metres (default: what the race name says)");
  imp->add_option("FILE", a.file, "the file, or - for standard input")->required();
  imp->callback([&g, &a] {
    const auto tenant = open_engine(g).tenant(a.partner);
    rt::ingest::ImportOptions options;
    options.on_error = a.on_error == "skip" ? rt::ingest::OnError::skip : rt::ingest::OnError::abort;
    options.ignore_unknown_columns = a.ignore_unknown;
    options.source = a.file;
    if (a.format == "interchange") {
      // a file is read mapped, a chunk at a time (a million entries in a flat few hundred MB)
      print(g, import_record(a.file == "-" ? tenant.import_csv(read_input(a.file), options) : tenant.import_file(a.file, options)));
      return;
    }
    const std::string text = read_input(a.file);
    print(g, import_record(tenant.import_results(rt::integrations::parse_provider(a.format, "format"), text, a.race, options)));
  });
}

Record run_record(const rt::ingest::SyncRun& r) {
  return Record()
      .add("sync_run_id", r.sync_run_id)
      .add("provider", r.provider)
      .add("mode", r.mode)
      .add("status", r.status)
      .add("started_at", r.started_at)
      .add("finished_at", r.finished_at)
      .add("races", fmt::format("{}/{}", r.races_done, r.races_total))
      .add("read", r.read)
      .add("created", r.created)
      .add("updated", r.updated)
      .add("removed", r.removed)
      .add("skipped", r.skipped)
      .add("failed", r.failed)
      .add("error", r.error);
}

Record integration_record(const rt::integrations::Integration& i) {
  return Record()
      .add("provider", std::string(rt::integrations::to_string(i.provider)))
      .add("base_url", i.base_url)
      .add("credential_fields", i.credential_fields)
      .add("event_ids", i.event_ids)
      .add("enabled", std::string(i.enabled ? "yes" : "no"))
      .add("watermark", i.watermark ? std::to_string(*i.watermark) : std::string("-"));
}

// name=value lines (blank lines and # comments skipped): credentials stay out of the command line,
// where the shell's history and the process list would show them.
std::map<std::string, std::string> read_credentials(const std::string& path) {
  std::map<std::string, std::string> out;
  std::istringstream lines(read_input(path));
  std::string line;
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      throw rt::Error(rt::ErrorCode::invalid_parameter, "the credentials file holds name=value lines", "credentials-file");
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

// `integrations`, `sync` and `sync-history`: a partner's links to providers and their runs.
void add_sync_commands(CLI::App& app, Globals& g) {
  auto& a = g.sync;
  auto provider_option = [&a](CLI::App* c) {
    c->add_option("--provider", a.provider, "runsignup, chronotrack or raceroster")
        ->required()
        ->check(CLI::IsMember({"runsignup", "chronotrack", "raceroster"}));
  };
  auto* integrations = app.add_subcommand("integrations", "a partner's links to RunSignUp, ChronoTrack and Race Roster")
                           ->require_subcommand(1);
  auto* list = integrations->add_subcommand("list", "the partner's integrations (credential names only)");
  list->add_option("--partner", a.partner, "partner id")->required();
  list->callback([&g, &a] {
    std::vector<Record> records;
    for (const auto& i : open_engine(g).tenant(a.partner).integrations()) records.push_back(integration_record(i));
    if (g.json) std::cout << rt::cli::json_list("integrations", records) << "\n";
    else for (const auto& r : records) std::cout << r.text() << "\n";
  });
  auto* set = integrations->add_subcommand("set", "create or replace a link to a provider");
  set->add_option("--partner", a.partner, "partner id")->required();
  provider_option(set);
  set->add_option("--base-url", a.base_url, "the provider's API root, http(s)")->required();
  set->add_option("--credentials-file", a.credentials_file,
                  "name=value lines (runsignup: api_key, api_secret; chronotrack: client_id, user_id, password; "
                  "raceroster: access_token); sealed with the credentials key; left out: keep those stored");
  set->add_option("--event-id", a.event_ids, "a provider's event to sync (repeat; none: every event it lists)");
  set->add_flag("--disabled", a.disabled, "keep the link but do not sync");
  set->callback([&g, &a] {
    rt::integrations::IntegrationInput input{a.base_url, {}, a.event_ids, !a.disabled};
    if (!a.credentials_file.empty()) input.credentials = read_credentials(a.credentials_file);
    print(g, integration_record(open_engine(g).tenant(a.partner).put_integration(rt::integrations::parse_provider(a.provider), input)));
  });
  auto* remove = integrations->add_subcommand("remove", "remove a link to a provider (its data stays)");
  remove->add_option("--partner", a.partner, "partner id")->required();
  provider_option(remove);
  remove->callback([&g, &a] {
    open_engine(g).tenant(a.partner).remove_integration(rt::integrations::parse_provider(a.provider));
    print(g, Record().add("removed", a.provider));
  });

  auto* sync = app.add_subcommand("sync", "pull a partner's events, entries and results from a provider");
  sync->add_option("--partner", a.partner, "partner id")->required();
  provider_option(sync);
  sync->add_flag("--full", a.full, "read everything, not only what changed since the last good run");
  sync->callback([&g, &a] {
    ProgressBar bar("syncing " + a.provider);
    rt::integrations::SyncOptions options;
    options.full = a.full;
    const auto run = open_engine(g).tenant(a.partner).sync(
        rt::integrations::parse_provider(a.provider), options, [&bar](const rt::ingest::SyncRun& r) {
          bar.update(static_cast<std::size_t>(r.races_done), static_cast<std::size_t>(r.races_total));
        });
    print(g, run_record(run));
    if (run.status != "succeeded") throw rt::Error(rt::ErrorCode::unavailable, "the sync failed: " + run.error);
  });

  auto* history = app.add_subcommand("sync-history", "a partner's syncs and imports, latest first");
  history->add_option("--partner", a.partner, "partner id")->required();
  history->add_option("--limit", a.limit, "runs (default 20)");
  history->add_option("--run", a.run_id, "one run");
  history->callback([&g, &a] {
    const auto tenant = open_engine(g).tenant(a.partner);
    if (a.run_id) {
      print(g, run_record(tenant.sync_run(a.run_id)));
      return;
    }
    std::vector<Record> records;
    for (const auto& r : tenant.sync_runs(static_cast<std::size_t>(std::max<std::int64_t>(a.limit, 0)))) records.push_back(run_record(r));
    if (g.json) std::cout << rt::cli::json_list("runs", records) << "\n";
    else for (const auto& r : records) std::cout << r.text() << "\n";
  });
}

// The audit trail the daemon writes: a partner's rows, and the check of every chain (exit 8 when broken).
void add_audit_commands(CLI::App& app, Globals& g) {
  auto* audit = app.add_subcommand("audit", "the audit trail: one row per API call, hash-chained per partner")->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "check every partner's chain (or one's); names each edited, inserted or removed row");
  verify->add_option("--partner", g.audit.partner, "only this partner's chain");
  verify->callback([&g] {
    const auto report = open_engine(g).verify_audit(g.audit.partner);
    if (g.json) {
      std::cout << rt::format::chain_report_json(report) << "\n";
    } else {
      for (const auto& f : report.findings) std::cout << f.detail << "\n";
      std::cout << (report.intact() ? fmt::format("intact: {} rows", report.rows)
                                    : fmt::format("broken: {} findings in {} rows", report.findings.size(), report.rows))
                << "\n";
    }
    if (!report.intact()) throw CLI::RuntimeError(8);
  });
  auto* list = audit->add_subcommand("list", "a partner's audit rows, newest first");
  list->add_option("--partner", g.audit.partner, "partner id")->required();
  list->add_option("--limit", g.audit.limit, "rows (default 50, at most 1000)")->check(CLI::Range(1, 1000));
  list->callback([&g] {
    rt::audit::AuditQuery q;
    q.limit = static_cast<std::size_t>(g.audit.limit);
    const auto rows = open_engine(g).tenant(*g.audit.partner).audit_entries(q);
    if (g.json) {
      std::cout << rt::format::audit_entries_json(rows, false) << "\n";
      return;
    }
    for (const auto& r : rows)
      std::cout << fmt::format("{} {} {} {} {} key {} {} {:.1f} ms {}\n", r.audit_id, r.occurred_at, r.method, r.route, r.status,
                               r.key_id ? std::to_string(*r.key_id) : "-", r.client_address, r.duration_ms, r.request_id);
  });
}

// A partner's own names for its events, read by `ask` and /nl-query (docs/nl.md).
void add_alias_commands(CLI::App& app, Globals& g) {
  auto* aliases = app.add_subcommand("aliases", "a partner's own names for its events, read by ask")->require_subcommand(1);
  auto& a = g.aliases;
  auto* add = aliases->add_subcommand("add", "register an alias for an event (every edition of its name)");
  add->add_option("--partner", a.partner, "partner id")->required();
  add->add_option("--event", a.event, "the event's name, as the partner's events spell it (case aside)")->required();
  add->add_option("ALIAS", a.alias, "the alias (\"the Trot\", \"BRM\")")->required();
  add->callback([&g, &a] {
    const auto added = open_engine(g).tenant(a.partner).add_event_alias(a.alias, a.event);
    print(g, Record().add("event_alias_id", added.event_alias_id).add("alias", added.alias).add("event_name", added.event_name));
  });
  auto* list = aliases->add_subcommand("list", "list a partner's aliases");
  list->add_option("--partner", a.partner, "partner id")->required();
  list->callback([&g, &a] {
    std::vector<Record> records;
    for (const auto& r : open_engine(g).tenant(a.partner).event_aliases())
      records.push_back(Record().add("event_alias_id", r.event_alias_id).add("alias", r.alias).add("event_name", r.event_name));
    if (g.json) {
      std::cout << rt::cli::json_list("aliases", records) << "\n";
      return;
    }
    for (const auto& r : records) std::cout << r.text();
  });
  auto* remove = aliases->add_subcommand("remove", "remove an alias");
  remove->add_option("--partner", a.partner, "partner id")->required();
  remove->add_option("ALIAS_ID", a.alias_id, "the alias's id")->required();
  remove->callback([&g, &a] {
    open_engine(g).tenant(a.partner).remove_event_alias(a.alias_id);
    print(g, Record().add("event_alias_id", a.alias_id).add("removed", std::string("true")));
  });
}

// A report or an analytics answer as --format asks: every table for people (Markdown), the whole
// report as JSON, or one table (the main one, or --table) as CSV.
void print_report(const Globals& g, const rt::Report& report, const std::function<std::string(const rt::Report&)>& svg = {}) {
  const std::string& format = g.json ? "json" : g.report.format;
  if (format == "svg") {
    if (!svg) throw rt::Error(rt::ErrorCode::invalid_parameter, "--format svg is for performance and trends", "format");
    std::cout << svg(report);
  } else if (format == "json") {
    std::cout << rt::format::report_json(report) << "\n";
  } else if (format == "csv") {
    std::cout << rt::format::report_csv(report, g.report.table);
  } else {
    std::cout << "## races\n\n" << rt::format::rows_markdown(report.races, report.races.rows.size());
    for (const auto& [name, rows] : report.tables)
      if (g.report.table.empty() || g.report.table == name)
        std::cout << "\n## " << name << "\n\n" << rt::format::rows_markdown(rows, rows.rows.size());
  }
}

// racetiming report finishers|awards|boston-qualifiers: a race's official lists (reports/*.hpp).
void add_report_commands(CLI::App& app, Globals& g) {
  auto* report = app.add_subcommand("report", "a race's official lists: finishers, awards, Boston qualifiers")->require_subcommand(1);
  auto& r = g.report;
  auto common = [&](CLI::App* c) {
    c->add_option("--partner", r.partner, "partner id")->required();
    c->add_option("--race", r.race, "race id")->required();
    c->add_option("--format", r.format, "table (default), json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
  };
  auto* finishers = report->add_subcommand("finishers", "every finisher in place order, with age grades");
  common(finishers);
  finishers->callback([&g, &r] { print_report(g, open_engine(g).tenant(r.partner).finishers(*r.race)); });
  auto* awards = report->add_subcommand("awards", "top finishers overall, masters and per division");
  common(awards);
  awards->add_option("--overall", r.awards.overall, "awards per gender overall (default 3)");
  awards->add_option("--masters", r.awards.masters, "masters (40+) awards per gender (default 0: none)");
  awards->add_option("--division", r.awards.division, "awards per division (default 3)");
  awards->add_flag("--double-awards", r.awards.double_awards, "a winner may win in more than one category");
  awards->add_option("--division-bands", r.awards.division_bands, "this race's award divisions, e.g. 1-19,20-29,30-39,40-49,50-59,60+");
  awards->callback([&g, &r] {
    r.awards.race_id = *r.race;
    print_report(g, open_engine(g).tenant(r.partner).awards(r.awards));
  });
  auto* bq = report->add_subcommand("boston-qualifiers", "a marathon's finishers under their Boston standard, with the margin");
  common(bq);
  bq->callback([&g, &r] { print_report(g, open_engine(g).tenant(r.partner).boston_qualifiers(*r.race)); });
}

// racetiming analytics performance|demographics|trends (analytics/*.hpp).
void add_analytics_commands(CLI::App& app, Globals& g) {
  auto* analytics = app.add_subcommand("analytics", "how races ran, who ran them, and how events change over years")->require_subcommand(1);
  auto& r = g.report;
  auto common = [&](CLI::App* c) {
    c->add_option("--partner", r.partner, "partner id")->required();
    c->add_option("--format", r.format, "table (default), json, csv or svg (a chart: performance, trends)")
        ->check(CLI::IsMember({"table", "json", "csv", "svg"}));
    c->add_option("--table", r.table, "only this table (and the one CSV prints)");
  };
  auto* performance = analytics->add_subcommand("performance", "finish-time statistics, age grades and a histogram");
  common(performance);
  performance->add_option("--race", r.race, "race id");
  performance->add_option("--event", r.event, "event id (each of its races)");
  performance->callback([&g, &r] {
    print_report(g, open_engine(g).tenant(r.partner).performance({r.race, r.event}),
                 [&r](const rt::Report& report) { return rt::format::histogram_svg(report, r.race); });
  });
  auto* demographics = analytics->add_subcommand("demographics", "entries, starters and finishers by gender, age, place and team");
  common(demographics);
  demographics->add_option("--race", r.race, "race id");
  demographics->add_option("--event", r.event, "event id");
  demographics->add_option("--year", r.year, "the partner's events of one year");
  demographics->callback([&g, &r] { print_report(g, open_engine(g).tenant(r.partner).demographics({r.race, r.event, r.year})); });
  auto* trends = analytics->add_subcommand("trends", "per edition of an event, or per year of the partner");
  common(trends);
  trends->add_option("--event-name", r.event_name, "the recurring event's name");
  trends->add_option("--year-from", r.year_from, "first year (per year)");
  trends->add_option("--year-to", r.year_to, "last year (per year)");
  trends->add_option("--distance", r.distance, "race distance in metres (the race of each edition; the median's races per year)");
  trends->add_option("--measure", r.measure, "with --format svg: finishers (default), entries, starters, finish_rate, median_time, women_percent, masters_percent");
  trends->callback([&g, &r] {
    print_report(g, open_engine(g).tenant(r.partner).trends({r.event_name, r.year_from, r.year_to, r.distance}),
                 [&r](const rt::Report& report) { return rt::format::trends_svg(report, r.measure); });
  });
}

// A question about one partner's data, answered by the NL engine (docs/nl.md).
void add_ask_command(CLI::App& app, Globals& g) {
  auto* ask = app.add_subcommand("ask", "answer a question in plain English about one partner's data");
  auto& a = g.ask;
  ask->add_option("--partner", a.partner, "partner id")->required();
  ask->add_option("--format", a.format, "table (default: the sentence and the rows), json, csv or summary")
      ->check(CLI::IsMember({"table", "json", "csv", "summary"}));
  ask->add_option("--today", a.today, "the date 'last year' counts from (YYYY-MM-DD; default: today)");
  ask->add_option("--after", a.after, "an earlier question of the conversation (repeat, oldest first): QUESTION follows it up");
  ask->add_option("QUESTION", a.words, "the question (quote it, or give it as several words)")->required();
  ask->callback([&g, &a] {
    if (!a.today.empty() && !rt::sport::is_iso_date(a.today))
      throw rt::Error(rt::ErrorCode::invalid_parameter, "--today must be a date (YYYY-MM-DD)", "today");
    std::string question;
    for (const auto& w : a.words) question += (question.empty() ? "" : " ") + w;
    rt::nl::AskContext context{.today = a.today};
    if (!a.after.empty()) context.previous = rt::nl::FollowUp{a.after};
    const auto asked = open_engine(g).tenant(a.partner).ask(question, context);
    if (!asked) {
      std::string message = asked.error().reason;
      for (const auto& s : asked.error().suggestions) message += "\n  try: " + s;
      throw rt::Error(rt::ErrorCode::nl_unsupported, message);
    }
    const auto& answer = *asked;
    const std::string format = g.json ? "json" : a.format;
    if (format == "json") {
      std::cout << rt::format::answer_json(answer) << "\n";
    } else if (format == "csv") {
      std::cout << rt::format::rows_csv(answer.rows);
    } else if (format == "summary") {
      std::cout << answer.summary << "\n";
    } else {
      std::cout << answer.summary << "\nRead as: " << answer.interpretation << "\n\n" << rt::format::rows_csv(answer.rows)
                << "\nSQL: " << answer.sql.text << "\n";
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"racetiming: multi-tenant race-timing data"};
  app.require_subcommand(1);
  Globals g;
  const char* env_db = std::getenv("RACETIMING_DB");
  g.db_url = env_db && *env_db ? env_db : "sqlite:racetiming.db";
  app.add_option("--db", g.db_url, "database URL: sqlite:PATH or postgresql://... (env RACETIMING_DB)");
  app.add_flag("--json", g.json, "machine-readable output on stdout");
  const char* env_data = std::getenv("RACETIMING_DATA_DIR");
  g.data_dir = env_data ? env_data : "";
  app.add_option("--data-dir", g.data_dir, "reference tables replacing the built-in ones (env RACETIMING_DATA_DIR)");
  app.add_option("--credentials-key-file", g.credentials_key_file,
                 "the passphrase sealing providers' credentials (else env RACETIMING_CREDENTIALS_KEY)");
  // --db and --json are accepted after the subcommand too
  app.fallthrough();
  add_db_commands(app, g);
  add_seed_command(app, g);
  add_partner_commands(app, g);
  add_user_commands(app, g);
  add_key_commands(app, g);
  add_import_command(app, g);
  add_sync_commands(app, g);
  add_ask_command(app, g);
  add_alias_commands(app, g);
  add_audit_commands(app, g);
  add_report_commands(app, g);
  add_analytics_commands(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a command that printed its answer and ends with a status of its own
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // CLI11 complains of the missing subcommand before the word it did not know: name that word
    const auto extra = app.remaining();
    if (!extra.empty() && app.get_subcommands().empty())
      std::cerr << "racetiming: unknown command '" << extra.front() << "' (see --help)\n";
    else
      std::cerr << "racetiming: " << e.what() << " (see --help)\n";
    return 2;
  } catch (const rt::Error& e) {
    std::cerr << "racetiming: " << e.what() << "\n";
    return exit_code(e.code());
  } catch (const std::exception& e) {
    std::cerr << "racetiming: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
