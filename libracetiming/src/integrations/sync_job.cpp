#include "racetiming/integrations/sync_job.hpp"

#include <chrono>
#include <functional>
#include <future>

#include <fmt/format.h>

#include "ingest/sync_run_log.hpp"
#include "integrations/integration_store.hpp"
#include "integrations/provider_api.hpp"
#include "integrations/sync_start.hpp"
#include "racetiming/error.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "text/utf8.hpp"

namespace racetiming::integrations {

// An incremental sync asks for changes since a little before the last good run began: providers'
// clocks are not ours, and reading a row twice costs nothing (the merge is idempotent).
constexpr std::int64_t kWatermarkOverlapSeconds = 300;

struct SyncJob::State {
  SyncServices engine;
  std::int64_t partner_id = 0;
  Provider provider = Provider::runsignup;
  SyncOptions options;
  Integration integration;
  SyncRun record;
  bool ran = false;
  bool holds_slot = false;

  ~State() {
    if (holds_slot) engine.slots->release(partner_id, std::string(to_string(provider)));
  }

  // Writes the run's row as it stands, in a transaction of its own.
  void save() {
    TenantSession session(*engine.db, partner_id, Access::read_write);
    ingest::detail::update_run(session, record);
    session.commit();
  }
};

SyncJob::SyncJob(std::unique_ptr<State> state) : state_(std::move(state)) {}
SyncJob::SyncJob(SyncJob&&) noexcept = default;
SyncJob& SyncJob::operator=(SyncJob&&) noexcept = default;

SyncJob::~SyncJob() {
  if (!state_ || state_->ran) return;
  try {
    state_->record.status = "failed";
    state_->record.error = "not run";
    state_->save();
  } catch (...) {  // the row stays running; the next start marks it interrupted
  }
}

std::int64_t SyncJob::run_id() const noexcept { return state_ ? state_->record.sync_run_id : 0; }

SyncRun SyncJob::run(const SyncProgress& progress) {
  if (!state_ || state_->ran) throw Error(ErrorCode::conflict, "this sync has run already");
  State& s = *state_;
  s.ran = true;
  SyncRun& r = s.record;
  const std::int64_t started = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
  auto report = [&] {
    if (progress) progress(r);
  };
  std::size_t written = 0;
  try {
    std::map<std::string, std::string> credentials;
    {
      TenantSession session(*s.engine.db, s.partner_id, Access::read_only);
      credentials = detail::integration_credentials(session, s.provider, *s.engine.credentials);
    }
    detail::ProviderClient client(std::string(to_string(s.provider)), s.options);
    detail::ApiConfig config{s.integration.base_url, std::move(credentials), s.integration.event_ids, s.options.page_size};
    std::unique_ptr<detail::ProviderApi> api =
        s.provider == Provider::runsignup     ? detail::runsignup_api(std::move(config), client)
        : s.provider == Provider::chronotrack ? detail::chronotrack_api(std::move(config), client)
                                              : detail::raceroster_api(std::move(config), client);
    std::optional<std::int64_t> since;
    if (!s.options.full && s.integration.watermark && api->incremental())
      since = std::max<std::int64_t>(0, *s.integration.watermark - kWatermarkOverlapSeconds);
    r.mode = since ? "incremental" : "full";
    const auto races = api->races();
    r.races_total = static_cast<std::int64_t>(races.size());
    s.save();
    report();

    std::vector<std::string> skipped_races;
    auto fetch = [&](const detail::RemoteRace& race) {
      ingest::ParsedFile rows;
      api->results(race, since, [&rows](ingest::ParsedFile&& page) {
        rows.rows_read += page.rows_read;
        std::move(page.entries.begin(), page.entries.end(), std::back_inserter(rows.entries));
        std::move(page.errors.begin(), page.errors.end(), std::back_inserter(rows.errors));
      });
      return rows;
    };
    // The next race is read from the provider while this one is written: the provider's time and the
    // database's overlap. One request is in flight at a time, so the client needs no lock.
    std::future<ingest::ParsedFile> next;
    for (std::size_t i = 0; i < races.size(); ++i) {
      const auto& race = races[i];
      if (!race.problem.empty()) {
        skipped_races.push_back(fmt::format("race {} ('{}') was skipped: {}", race.race_id, text::echo(race.context.race_name), race.problem));
        ++r.races_done;
        s.save();
        report();
        continue;
      }
      ingest::ParsedFile rows = next.valid() ? next.get() : fetch(race);
      for (std::size_t j = i + 1; j < races.size(); ++j)
        if (races[j].problem.empty()) {
          next = std::async(std::launch::async, fetch, std::cref(races[j]));
          break;
        }
      r.read += static_cast<std::int64_t>(rows.rows_read);
      r.failed += static_cast<std::int64_t>(rows.errors.size());
      if (!rows.errors.empty() && r.error.empty()) {
        const auto& e = rows.errors.front();
        r.error = fmt::format("race {} row {}: {}", race.race_id, e.line, e.message);
      }
      if (!rows.entries.empty() || !since) {
        ingest::ImportOptions options;
        options.on_error = ingest::OnError::skip;
        options.provider = std::string(to_string(s.provider));
        options.source = s.integration.base_url;
        options.prune = !since && rows.errors.empty();
        options.record_run = false;
        TenantSession session(*s.engine.db, s.partner_id, Access::read_write);
        ingest::ImportReport imported = ingest::import_entries(session, rows.entries, options);
        session.commit();
        r.created += static_cast<std::int64_t>(imported.created);
        r.updated += static_cast<std::int64_t>(imported.updated);
        r.removed += static_cast<std::int64_t>(imported.removed);
        r.skipped += static_cast<std::int64_t>(imported.skipped);
        written += imported.created + imported.updated;
      }
      ++r.races_done;
      s.save();
      report();
    }
    if (r.error.empty() && !skipped_races.empty()) r.error = skipped_races.front();
    r.status = "succeeded";
    TenantSession session(*s.engine.db, s.partner_id, Access::read_write);
    detail::set_watermark(session, s.provider, started);
    ingest::detail::update_run(session, r);
    session.commit();
  } catch (const std::exception& e) {
    r.status = "failed";
    r.error = e.what();
    try {
      s.save();
    } catch (const std::exception&) {  // the database went too: the row stays running until the next start
    }
  }
  ingest::ImportReport total;
  total.created = written;
  try {
    ingest::refresh_statistics(*s.engine.db, total);
    TenantSession session(*s.engine.db, s.partner_id, Access::read_only);
    if (auto stored = ingest::detail::find_run(session, r.sync_run_id)) r = std::move(*stored);  // with its times
  } catch (const std::exception&) {  // the database is gone: the run as this process knows it
  }
  report();
  return r;
}

SyncJob start_sync(const SyncServices& engine, std::int64_t partner_id, Provider provider, const SyncOptions& options) {
  auto state = std::make_unique<SyncJob::State>();
  state->engine = engine;
  state->partner_id = partner_id;
  state->provider = provider;
  state->options = options;
  const std::string name(to_string(provider));
  {
    TenantSession session(*engine.db, partner_id, Access::read_only);
    auto integration = detail::find_integration(session, provider);
    if (!integration) throw Error(ErrorCode::not_found, fmt::format("no {} integration: PUT /integrations/{} first", name, name), "provider");
    if (!integration->enabled) throw Error(ErrorCode::conflict, fmt::format("the {} integration is disabled", name));
    state->integration = std::move(*integration);
  }
  if (!engine.slots->claim(partner_id, name)) throw Error(ErrorCode::conflict, fmt::format("a {} sync is already running", name));
  state->holds_slot = true;  // from here the state's end frees the slot
  SyncJob::State& s = *state;
  TenantSession session(*engine.db, partner_id, Access::read_write);
  ingest::detail::mark_interrupted(session, name);
  s.record.provider = name;
  s.record.source = s.integration.base_url;
  s.record.mode = options.full || !s.integration.watermark ? "full" : "incremental";
  s.record.status = "running";
  s.record.sync_run_id = ingest::detail::insert_run(session, s.record);
  session.commit();
  return SyncJob(std::move(state));
}

}  // namespace racetiming::integrations
