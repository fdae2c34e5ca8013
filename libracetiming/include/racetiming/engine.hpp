#pragma once
// racetiming::Engine: the one entry point every host uses (C++ embedders, the Python module, the CLI and
// the daemon). Open a database by URL, administer partners, users and keys, turn a credential into a
// Tenant, and through the Tenant read, write, import and ask, scoped to that partner:
//
//   racetiming::Engine engine("sqlite:racetiming.db");
//   auto answer = engine.tenant(1).ask("How many runners finished the Boston Marathon under 3 hours?");
//   std::cout << (answer ? answer->summary : answer.error().reason) << "\n";
//
// Thread-safety: an Engine may be used from any number of threads at once (its connections are pooled;
// a call borrows one, waiting up to EngineOptions::acquire_timeout). A Tenant is an immutable value:
// share or copy it freely. Copies of an Engine and every Tenant made from it share one database; the
// last of them to go closes it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/admin/api_keys.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/admin/users.hpp"
#include "racetiming/audit/audit_trail.hpp"
#include "racetiming/auth/jwt.hpp"
#include "racetiming/chat/conversation.hpp"
#include "racetiming/error.hpp"
#include "racetiming/expected.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/ingest/sync_run.hpp"
#include "racetiming/integrations/integration.hpp"
#include "racetiming/integrations/provider.hpp"
#include "racetiming/integrations/sync_job.hpp"
#include "racetiming/nl/engine.hpp"
#include "racetiming/nl/event_aliases.hpp"
#include "racetiming/query/events_query.hpp"
#include "racetiming/query/participants_query.hpp"
#include "racetiming/query/races_query.hpp"
#include "racetiming/query/results_query.hpp"
#include "racetiming/analytics/demographics.hpp"
#include "racetiming/analytics/performance.hpp"
#include "racetiming/analytics/trends.hpp"
#include "racetiming/records.hpp"
#include "racetiming/report.hpp"
#include "racetiming/reports/awards.hpp"
#include "racetiming/reports/boston_qualifiers.hpp"
#include "racetiming/reports/finishers.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/seed/demo_seed.hpp"
#include "racetiming/service/resource_schema.hpp"
#include "racetiming/detail/planned_read.hpp"
#include "racetiming/service/resources.hpp"
#include "racetiming/service/tenant_context.hpp"
#include "racetiming/detail/async_read.hpp"

namespace racetiming {

struct EngineOptions {
  std::size_t pool_size = 4;                          // database connections
  std::chrono::milliseconds acquire_timeout{2000};    // then a call fails with ErrorCode::unavailable
  // Create or upgrade the schema on open. The embedded SQLite default wants this; a PostgreSQL deployment
  // usually migrates once, as the owner (`racetiming db migrate`), and opens with false.
  bool migrate = true;
  nl::NlOptions nl = {};                              // the answer cache, the optional LLM fallback
  std::optional<auth::JwtConfig> jwt = {};            // bearer tokens; none: tokens are refused
  std::chrono::seconds key_cache_ttl{30};             // how long a verified API key is trusted unchecked
  // A directory of reference tables (age-grade*.csv, boston-qualifying*.csv) replacing those the
  // library carries; empty: the built-in ones. See sport/reference_tables.hpp.
  std::string reference_dir = {};
  // Analytics and reports kept in memory per partner and data version (every write moves the version, so
  // no answer outlives the data it was computed from): a race-day crowd refreshing one page costs one
  // computation per change. 0: none.
  std::size_t report_cache_entries = 256;
  std::chrono::seconds report_cache_ttl{600};
  // Seals providers' credentials at rest (AES-256-GCM under its SHA-256). Empty: credentials cannot be
  // stored, and syncs run with none (Race Roster's public results need none).
  std::string credentials_key = {};
  // How long a partner's data version read from the database is trusted (Tenant::data_version): a write
  // through another process (a second daemon, the CLI) is seen by cached answers within this time; a
  // write through this Engine at once.
  std::chrono::milliseconds data_version_ttl{250};
  // The audit trail (audit/audit_trail.hpp): off unless enabled; the daemon enables it.
  audit::AuditOptions audit = {};
  // A PostgreSQL streaming replica for reads ("postgresql://..."), "" for none. Record reads, pages,
  // analytics, reports, questions and data versions go there; writes, imports, syncs, credentials, keys,
  // integrations and the audit trail go to the primary. After a write through this Engine, the partner's
  // reads stay on the primary until the replica has replayed it; a write through another process is seen
  // once the replica replays it. Throws Error(invalid_parameter, "read_db") when either is not PostgreSQL.
  std::string read_url = {};
};

// The credentials passphrase as the hosts read it: the file's contents (trailing newlines dropped) when a
// path is given, else the environment's RACETIMING_CREDENTIALS_KEY, else "" (none). Error(invalid_parameter,
// "credentials_key_file") for a file that cannot be read or is empty.
std::string credentials_key_from(const std::string& path);

class Tenant;

struct Login;  // a natural-language login: below

class Engine {
 public:
  // URL: "sqlite:PATH" or "postgresql://user:pass@host:port/db". Throws Error(invalid_parameter, "db")
  // for an unknown scheme, Error(unavailable) when the database cannot be opened.
  explicit Engine(std::string_view url, EngineOptions options = {});

  Dialect dialect() const noexcept;
  int migrate();          // migrations applied by this call
  int schema_version();   // the highest applied (0: no schema)
  bool ping();            // the database answers (and the read replica, when there is one)

  // Administration: the operator's work, across tenants.
  std::int64_t add_partner(const std::string& name, const std::string& slug, const std::string& domain = {});
  std::vector<admin::Partner> partners();
  std::vector<admin::PartnerCounts> partner_counts();
  std::optional<admin::Partner> find_partner(std::int64_t partner_id);
  std::optional<admin::Partner> find_partner(const std::string& slug);
  std::int64_t add_user(std::int64_t partner_id, const std::string& display_name, const std::string& email = {},
                        std::vector<std::string> permissions = {});
  std::vector<admin::User> users(std::int64_t partner_id);
  admin::CreatedKey create_key(std::int64_t partner_id, std::optional<std::int64_t> user_id = {},
                               std::vector<std::string> scopes = {});
  void revoke_key(std::int64_t key_id);
  seed::SeedReport seed(const seed::SeedOptions& options = {});

  // The audit trail (EngineOptions::audit). record_audit queues an event for the writer thread (it waits
  // only when the queue is full; nothing happens when the trail is off); flush_audit returns once every
  // event recorded before it is stored; verify_audit walks each partner's chain (or one partner's) and
  // names every row where it breaks.
  bool audits() const noexcept;  // the trail is on: record_audit stores what it is given
  void record_audit(audit::AuditEvent event);
  void flush_audit();
  audit::ChainReport verify_audit(std::optional<std::int64_t> partner_id = std::nullopt);

  // A partner's data with every permission: the embedder's own use. Error(not_found, "partner") when
  // there is no such partner.
  Tenant tenant(std::int64_t partner_id);
  // A partner's data as a credential allows (context.permissions are checked by each call).
  Tenant tenant(TenantContext context);

  // Credentials. Each throws Error(unauthenticated) for a credential that proves nothing.
  Tenant authenticate_key(std::string_view api_key);
  // The key's Tenant when it was verified within key_cache_ttl; nullopt when checking it needs the
  // database (for a host that must not block).
  std::optional<Tenant> cached_key(std::string_view api_key) const;
  Tenant authenticate_token(std::string_view bearer_token) const;  // Error(unauthenticated) also when tokens are off
  bool issues_tokens() const noexcept;
  // A short-lived JWT carrying the tenant's partner, user, key and permissions; Error(not_found) when
  // tokens are off. Its lifetime is jwt->lifetime.
  std::string issue_token(const Tenant& tenant) const;
  const std::optional<auth::JwtConfig>& jwt() const noexcept;
  // "I'm Josh from Big River Race Management, show me our events", proven by the credential that made
  // `proof` (authenticate_key first): the partner the message names must be its partner, the person one
  // of that partner's users (its own user, when it has one). Error(unauthenticated) otherwise.
  Login natural_login(const Tenant& proof, std::string_view message);

  // The age-grading and qualifying tables this engine reads.
  const sport::ReferenceTables& reference_tables() const noexcept;

  // Connections in the pool, and those lent out right now (a host's metrics).
  std::size_t connections() const noexcept;
  std::size_t connections_in_use() const noexcept;

  // The store itself, for the library's tests and tools that work below the Engine; hosts need it not.
  Database& database() noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  friend class Tenant;
};

// One partner's data, as one credential may touch it. Every call checks its permission first
// (Error(forbidden)); reads run read-only, each call in a transaction of its own.
class Tenant {
 public:
  std::int64_t partner_id() const noexcept { return context_.partner_id; }
  const TenantContext& context() const noexcept { return context_; }
  // The check every call below makes first: Error(forbidden) unless the credential carries the
  // permission. A host may make it earlier (the daemon does, before planning any work).
  void require(std::string_view permission) const;

  // Reads. Filters and page are validated first (Error(invalid_parameter) naming the parameter).
  PageOf<Event> events(const EventsQuery::Filter& filter = {}, const PageRequest& page = {}) const;
  PageOf<Race> races(const RacesQuery::Filter& filter = {}, const PageRequest& page = {}) const;
  PageOf<Participant> participants(const ParticipantsQuery::Filter& filter = {}, const PageRequest& page = {}) const;
  PageOf<Result> results(const ResultsQuery::Filter& filter = {}, const PageRequest& page = {}) const;
  // One record; Error(not_found) when the id is not this partner's.
  Event event(std::int64_t event_id) const;
  Race race(std::int64_t race_id) const;
  Participant participant(std::int64_t participant_id) const;
  Result result(std::int64_t result_id) const;
  // Any resource's row as columns (what the REST API and the Python module show).
  ResultSet record(service::Resource resource, std::int64_t id) const;

  // Writes (write:events, write:participants or write:results, by resource); see service/resources.hpp
  // for the rules each keeps.
  service::Created create(service::Resource resource, const service::FieldValues& fields,
                          const std::optional<std::string>& idempotency_key = std::nullopt) const;
  ResultSet update(service::Resource resource, std::int64_t id, const service::FieldValues& fields, bool replace = false) const;
  void remove(service::Resource resource, std::int64_t id, bool cascade = false) const;

  // An interchange CSV, as text or from a file (write:results). A bad row is Error(invalid_input) with
  // OnError::abort (nothing imported), a report entry with OnError::skip. A file that cannot be read is
  // Error(invalid_parameter, "path").
  ingest::ImportReport import_csv(std::string_view csv, const ingest::ImportOptions& options = {}) const;
  ingest::ImportReport import_file(const std::string& path, ingest::ImportOptions options = {}) const;

  // A provider's results document, as its API returns it or saved to a file (write:results): rows of
  // the one race `race` describes (results rows do not say their event, date or distance). Errors as
  // import_csv.
  ingest::ImportReport import_results(integrations::Provider provider, std::string_view json,
                                      const integrations::RaceContext& race, const ingest::ImportOptions& options = {}) const;

  // Integrations (manage:integrations): the partner's links to RunSignUp, ChronoTrack and Race Roster,
  // their syncs, and the history of syncs and imports. Credentials go in and never come out.
  std::vector<integrations::Integration> integrations() const;
  integrations::Integration integration(integrations::Provider provider) const;  // Error(not_found)
  integrations::Integration put_integration(integrations::Provider provider, const integrations::IntegrationInput& input) const;
  void remove_integration(integrations::Provider provider) const;  // Error(not_found)
  // Records the run (status running) and returns it to be run on any thread; Error(not_found) without
  // an integration, Error(conflict) when it is disabled or one of its syncs is running in this process.
  integrations::SyncJob start_sync(integrations::Provider provider, const integrations::SyncOptions& options = {}) const;
  // start_sync, then run it here.
  ingest::SyncRun sync(integrations::Provider provider, const integrations::SyncOptions& options = {},
                       const integrations::SyncProgress& progress = {}) const;
  // The latest runs first (syncs and file imports); provider "" for all.
  std::vector<ingest::SyncRun> sync_runs(std::size_t limit = 50, const std::string& provider = {}) const;
  ingest::SyncRun sync_run(std::int64_t sync_run_id) const;  // Error(not_found)

  // The partner's data version: moved by every write, import and sync, so an answer cached under it is
  // current as long as it is (EngineOptions::data_version_ttl says how long a read one is trusted).
  // known_data_version: the trusted one in memory, never a database round trip; nullopt when it must be
  // read.
  std::int64_t data_version() const;

  // The partner's audit rows, newest first (read:audit).
  std::vector<audit::AuditEntry> audit_entries(const audit::AuditQuery& query = {}) const;
  std::optional<std::int64_t> known_data_version() const noexcept;

  // Analytics (read:analytics) and reports (read:results): see analytics/*.hpp and reports/*.hpp for
  // what each holds. A race or event of another partner is Error(not_found), like a missing one.
  Report performance(const analytics::PerformanceRequest& request) const;
  Report demographics(const analytics::DemographicsRequest& request = {}) const;
  Report trends(const analytics::TrendsRequest& request = {}) const;
  Report finishers(std::int64_t race_id) const;
  Report awards(const reports::AwardsRequest& request) const;
  Report boston_qualifiers(std::int64_t race_id) const;

  // A question in plain English (run:nl-query): the answer, or the refusal with suggestions when the
  // engine does not fully understand it. Text that is not UTF-8 throws Error(invalid_parameter).
  Expected<nl::Answer, nl::Refusal> ask(std::string_view question, const nl::AskContext& context = {}) const;

  // For hosts with an event loop of their own (the daemon): the reads above, planned but not run, with
  // the permission checked and the request validated now. The page forms answer with the page as JSON
  // written from the rows in place (what the REST API sends). run() runs one in a read-only transaction;
  // start_read() starts its statement without blocking (nullptr on SQLite or when no connection is
  // free this instant: then run() it, which waits its turn).
  service::PlannedRead<PageJson> plan_page_json(const EventsQuery::Filter& filter, const PageRequest& page) const;
  service::PlannedRead<PageJson> plan_page_json(const RacesQuery::Filter& filter, const PageRequest& page) const;
  service::PlannedRead<PageJson> plan_page_json(const ParticipantsQuery::Filter& filter, const PageRequest& page) const;
  service::PlannedRead<PageJson> plan_page_json(const ResultsQuery::Filter& filter, const PageRequest& page) const;
  service::PlannedRead<ResultSet> plan_record(service::Resource resource, std::int64_t id) const;
  template <class Answer>
  Answer run(const service::PlannedRead<Answer>& read) const {
    return service::run(database(), read);
  }
  std::unique_ptr<AsyncRead> start_read(const Sql& statement) const;

  // One turn of a chat (run:nl-query): the last user message asked with the earlier user messages as
  // its follow-up context (those the engine understood), answered as one Markdown message; a refused
  // question is a reply too, saying why and what to ask. Error(invalid_parameter, "messages") when no
  // message is the user's.
  chat::Reply chat(std::span<const chat::Message> messages, const chat::Options& options = {}) const;

  // The partner's own names for its events, read by ask().
  std::vector<nl::EventAliasRecord> event_aliases() const;
  nl::EventAliasRecord add_event_alias(std::string_view alias, std::string_view event_name) const;
  void remove_event_alias(std::int64_t event_alias_id) const;

 private:
  friend class Engine;
  Tenant(std::shared_ptr<Engine::Impl> engine, TenantContext context)
      : engine_(std::move(engine)), context_(std::move(context)) {}
  Database& database() const;  // where this partner's reads go now (the primary or a read replica)

  std::shared_ptr<Engine::Impl> engine_;
  TenantContext context_;
};

struct Login {
  Tenant tenant;        // the user and partner the message named and the key proved, with the key's permissions
  std::string request;  // what the message asked ("" when it only introduced)
};

}  // namespace racetiming
