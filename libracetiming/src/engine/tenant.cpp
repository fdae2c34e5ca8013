// Tenant: each call checks its permission, then calls the library's service for this partner.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "engine/engine_impl.hpp"
#include "engine/record_rows.hpp"
#include "ingest/mapped_file.hpp"
#include "ingest/sync_run_log.hpp"
#include "integrations/integration_store.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "query/record_statements.hpp"
#include "racetiming/engine.hpp"

namespace racetiming {

namespace {

// When a write is over, done or failed: pins the partner's reads to the primary until a read replica has
// replayed it, then forgets the partner's remembered data version, so that the next cached read of this
// process reads the version again and cannot serve an answer from before the write.
class WriteScope {
 public:
  WriteScope(detail::ReadRouting& reads, detail::DataVersions& versions, std::int64_t partner_id)
      : reads_(reads), versions_(versions), partner_id_(partner_id) {}
  ~WriteScope() {
    try {
      reads_.wrote(partner_id_);
    } catch (...) {  // out of memory: the version is forgotten all the same
    }
    versions_.forget(partner_id_);
  }
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

 private:
  detail::ReadRouting& reads_;
  detail::DataVersions& versions_;
  std::int64_t partner_id_;
};

}  // namespace
namespace {

using service::Resource;

using service::read_permission;
using service::write_permission;

template <class Record>
PageOf<Record> typed(Page page) {
  return {records_from<Record>(page.rows), std::move(page.next_cursor)};
}

template <class Record>
Record one(const ResultSet& rows) {
  auto records = records_from<Record>(rows);
  return std::move(records.at(0));  // get_* found a row, or threw not_found
}

}  // namespace

void Tenant::require(std::string_view permission) const {
  if (!context_.can(permission))
    throw Error(ErrorCode::forbidden, fmt::format("this credential lacks the permission {}", permission));
}

Database& Tenant::database() const { return engine_->reads.for_reads(context_.partner_id); }

service::PlannedRead<PageJson> Tenant::plan_page_json(const EventsQuery::Filter& filter, const PageRequest& page) const {
  require("read:events");
  return service::plan_list_json(engine_->db.dialect(), context_, filter, page);
}
service::PlannedRead<PageJson> Tenant::plan_page_json(const RacesQuery::Filter& filter, const PageRequest& page) const {
  require("read:events");
  return service::plan_list_json(engine_->db.dialect(), context_, filter, page);
}
service::PlannedRead<PageJson> Tenant::plan_page_json(const ParticipantsQuery::Filter& filter, const PageRequest& page) const {
  require("read:participants");
  return service::plan_list_json(engine_->db.dialect(), context_, filter, page);
}
service::PlannedRead<PageJson> Tenant::plan_page_json(const ResultsQuery::Filter& filter, const PageRequest& page) const {
  require("read:results");
  return service::plan_list_json(engine_->db.dialect(), context_, filter, page, &engine_->tables.age_grading);
}

service::PlannedRead<ResultSet> Tenant::plan_record(Resource resource, std::int64_t id) const {
  require(read_permission(resource));
  return service::plan_get(engine_->db.dialect(), context_, resource, id, &engine_->tables.age_grading);
}

std::unique_ptr<AsyncRead> Tenant::start_read(const Sql& statement) const {
  return AsyncRead::try_start(database(), context_.partner_id, statement);
}

PageOf<Event> Tenant::events(const EventsQuery::Filter& filter, const PageRequest& page) const {
  require("read:events");
  return typed<Event>(service::list_events(database(), context_, filter, page));
}
PageOf<Race> Tenant::races(const RacesQuery::Filter& filter, const PageRequest& page) const {
  require("read:events");
  return typed<Race>(service::list_races(database(), context_, filter, page));
}
PageOf<Participant> Tenant::participants(const ParticipantsQuery::Filter& filter, const PageRequest& page) const {
  require("read:participants");
  return typed<Participant>(service::list_participants(database(), context_, filter, page));
}
PageOf<Result> Tenant::results(const ResultsQuery::Filter& filter, const PageRequest& page) const {
  require("read:results");
  return typed<Result>(service::list_results(database(), context_, filter, page, &engine_->tables.age_grading));
}

ResultSet Tenant::record(Resource resource, std::int64_t id) const {
  require(read_permission(resource));
  return service::get_record(database(), context_, resource, id, &engine_->tables.age_grading);
}

Event Tenant::event(std::int64_t event_id) const { return one<Event>(record(Resource::event, event_id)); }
Race Tenant::race(std::int64_t race_id) const { return one<Race>(record(Resource::race, race_id)); }
Participant Tenant::participant(std::int64_t participant_id) const {
  return one<Participant>(record(Resource::participant, participant_id));
}
Result Tenant::result(std::int64_t result_id) const { return one<Result>(record(Resource::result, result_id)); }

service::Created Tenant::create(Resource resource, const service::FieldValues& fields,
                                const std::optional<std::string>& idempotency_key) const {
  require(write_permission(resource));
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return service::create_record(engine_->db, context_, resource, fields, idempotency_key);
}

ResultSet Tenant::update(Resource resource, std::int64_t id, const service::FieldValues& fields, bool replace) const {
  require(write_permission(resource));
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return service::update_record(engine_->db, context_, resource, id, fields, replace);
}

void Tenant::remove(Resource resource, std::int64_t id, bool cascade) const {
  require(write_permission(resource));
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  service::delete_record(engine_->db, context_, resource, id, cascade);
}

ingest::ImportReport Tenant::import_csv(std::string_view csv, const ingest::ImportOptions& options) const {
  require("write:results");
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return ingest::import_interchange_csv(engine_->db, context_.partner_id, csv, options);
}

ingest::ImportReport Tenant::import_file(const std::string& path, ingest::ImportOptions options) const {
  require("write:results");
  ingest::detail::MappedFile file(path);
  if (options.source.empty()) options.source = path;
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return ingest::import_interchange_csv(engine_->db, context_.partner_id, file.text(), options,
                                        [&file](std::size_t read) { file.release_before(read); });
}

ingest::ImportReport Tenant::import_results(integrations::Provider provider, std::string_view json,
                                            const integrations::RaceContext& race, const ingest::ImportOptions& options) const {
  require("write:results");
  ingest::ImportOptions o = options;
  o.provider = std::string(integrations::to_string(provider));
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return ingest::import_document(engine_->db, context_.partner_id,
                                 [&] { return integrations::parse_results(provider, json, race); }, o);
}

std::vector<integrations::Integration> Tenant::integrations() const {
  require("manage:integrations");
  TenantSession session(engine_->db, context_.partner_id, Access::read_only);
  return integrations::detail::list_integrations(session);
}

integrations::Integration Tenant::integration(integrations::Provider provider) const {
  require("manage:integrations");
  TenantSession session(engine_->db, context_.partner_id, Access::read_only);
  auto found = integrations::detail::find_integration(session, provider);
  if (!found)
    throw Error(ErrorCode::not_found, fmt::format("no {} integration", integrations::to_string(provider)), "provider");
  return std::move(*found);
}

integrations::Integration Tenant::put_integration(integrations::Provider provider, const integrations::IntegrationInput& input) const {
  require("manage:integrations");
  TenantSession session(engine_->db, context_.partner_id, Access::read_write);
  auto stored = integrations::detail::put_integration(session, provider, input, engine_->credentials);
  session.commit();
  return stored;
}

void Tenant::remove_integration(integrations::Provider provider) const {
  require("manage:integrations");
  TenantSession session(engine_->db, context_.partner_id, Access::read_write);
  integrations::detail::remove_integration(session, provider);
  session.commit();
}

integrations::SyncJob Tenant::start_sync(integrations::Provider provider, const integrations::SyncOptions& options) const {
  require("manage:integrations");
  return integrations::start_sync({engine_, &engine_->db, &engine_->credentials, &engine_->syncs}, context_.partner_id,
                                  provider, options);
}

ingest::SyncRun Tenant::sync(integrations::Provider provider, const integrations::SyncOptions& options,
                             const integrations::SyncProgress& progress) const {
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return start_sync(provider, options).run(progress);
}

std::vector<ingest::SyncRun> Tenant::sync_runs(std::size_t limit, const std::string& provider) const {
  require("manage:integrations");
  if (limit < 1 || limit > 1000) throw Error(ErrorCode::invalid_parameter, "limit must be 1-1000", "limit");
  TenantSession session(engine_->db, context_.partner_id, Access::read_only);
  return ingest::detail::list_runs(session, limit, provider);
}

ingest::SyncRun Tenant::sync_run(std::int64_t sync_run_id) const {
  require("manage:integrations");
  TenantSession session(engine_->db, context_.partner_id, Access::read_only);
  auto run = ingest::detail::find_run(session, sync_run_id);
  if (!run) throw Error(ErrorCode::not_found, fmt::format("no sync run {}", sync_run_id), "sync_run_id");
  return std::move(*run);
}

namespace {

std::string optional_text(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }
std::string optional_text(const std::optional<int>& v) { return v ? std::to_string(*v) : "-"; }

// A report's statements, in one read-only transaction of the partner; answered from the engine's cache
// when the partner's data has not changed since the same request was last computed.
using ReportCache = store::LruCache<std::shared_ptr<const Report>>;

template <class Make>
Report read_report(Database& db, ReportCache& cache, std::int64_t partner_id, const std::string& request, Make&& make) {
  TenantSession session(db, partner_id, Access::read_only);
  if (!cache.enabled()) {  // no cache: no data version to read
    Report report = make(session);
    session.commit();
    return report;
  }
  const auto version = session.query(query::data_version(db.dialect(), partner_id));
  const std::string key = fmt::format("{}|{}|{}", partner_id, version.rows.empty() ? 0 : as_int(version.rows[0][0]).value_or(0), request);
  if (auto hit = cache.get(key)) {
    session.commit();
    return **hit;
  }
  auto report = std::make_shared<const Report>(make(session));
  session.commit();
  cache.put(key, report);
  return *report;
}

}  // namespace

std::vector<audit::AuditEntry> Tenant::audit_entries(const audit::AuditQuery& query) const {
  require("read:audit");
  return audit::detail::list(engine_->db, context_.partner_id, query);
}

std::int64_t Tenant::data_version() const { return engine_->versions.current(context_.partner_id); }

std::optional<std::int64_t> Tenant::known_data_version() const noexcept {
  try {
    return engine_->versions.known(context_.partner_id);
  } catch (...) {  // a lock that cannot be taken: as good as not known
    return std::nullopt;
  }
}

Report Tenant::performance(const analytics::PerformanceRequest& q) const {
  require("read:analytics");
  return read_report(database(), engine_->reports, partner_id(), fmt::format("performance|{}|{}", optional_text(q.race_id), optional_text(q.event_id)),
                     [&](TenantSession& s) { return analytics::performance(s, engine_->tables, q); });
}
Report Tenant::demographics(const analytics::DemographicsRequest& q) const {
  require("read:analytics");
  return read_report(database(), engine_->reports, partner_id(),
                     fmt::format("demographics|{}|{}|{}", optional_text(q.race_id), optional_text(q.event_id), optional_text(q.year)),
                     [&](TenantSession& s) { return analytics::demographics(s, q); });
}
Report Tenant::trends(const analytics::TrendsRequest& q) const {
  require("read:analytics");
  return read_report(database(), engine_->reports, partner_id(),
                     fmt::format("trends|{}|{}|{}|{}", q.event_name, optional_text(q.year_from), optional_text(q.year_to),
                                 optional_text(q.distance_m)),
                     [&](TenantSession& s) { return analytics::trends(s, q); });
}
Report Tenant::finishers(std::int64_t race_id) const {
  require("read:results");
  return read_report(database(), engine_->reports, partner_id(), fmt::format("finishers|{}", race_id),
                     [&](TenantSession& s) { return reports::finishers(s, engine_->tables, race_id); });
}
Report Tenant::awards(const reports::AwardsRequest& q) const {
  require("read:results");
  return read_report(database(), engine_->reports, partner_id(),
                     fmt::format("awards|{}|{}|{}|{}|{}|{}", q.race_id, q.overall, q.masters, q.division, q.double_awards, q.division_bands),
                     [&](TenantSession& s) { return reports::awards(s, q); });
}
Report Tenant::boston_qualifiers(std::int64_t race_id) const {
  require("read:results");
  return read_report(database(), engine_->reports, partner_id(), fmt::format("boston_qualifiers|{}", race_id),
                     [&](TenantSession& s) { return reports::boston_qualifiers(s, engine_->tables, race_id); });
}

Expected<nl::Answer, nl::Refusal> Tenant::ask(std::string_view question, const nl::AskContext& context) const {
  require("run:nl-query");
  try {
    return engine_->nl.ask(context_, question, context);
  } catch (const nl::NlUnsupported& refused) {
    return nl::Refusal{refused.what(), refused.suggestions(), refused.unknown_words()};
  }
}

chat::Reply Tenant::chat(std::span<const chat::Message> messages, const chat::Options& options) const {
  require("run:nl-query");
  std::vector<std::string> asked;
  chat::Reply reply;
  for (const auto& m : messages) {
    reply.usage.prompt_words += chat::count_words(m.content);
    if (m.role == chat::Role::user) asked.push_back(m.content);
  }
  if (asked.empty()) throw Error(ErrorCode::invalid_parameter, "the conversation has no user message", "messages");
  const std::string question = std::move(asked.back());
  asked.pop_back();
  nl::AskContext context{.today = options.today};
  if (auto earlier = engine_->nl.follow_up_of(context_, asked, context); !earlier.questions.empty()) context.previous = earlier;
  const auto answer = ask(question, context);
  reply.answered = answer.has_value();
  reply.content = answer ? chat::answer_message(*answer, options) : chat::refusal_message(answer.error());
  reply.usage.reply_words = chat::count_words(reply.content);
  return reply;
}

std::vector<nl::EventAliasRecord> Tenant::event_aliases() const {
  require("read:events");
  return nl::list_event_aliases(engine_->db, context_);
}

nl::EventAliasRecord Tenant::add_event_alias(std::string_view alias, std::string_view event_name) const {
  require("write:events");
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  return nl::add_event_alias(engine_->db, context_, alias, event_name);
}

void Tenant::remove_event_alias(std::int64_t event_alias_id) const {
  require("write:events");
  const WriteScope write(engine_->reads, engine_->versions, context_.partner_id);
  nl::remove_event_alias(engine_->db, context_, event_alias_id);
}

}  // namespace racetiming
