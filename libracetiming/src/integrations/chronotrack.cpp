// ChronoTrack Live: events hold races; a race's results come one row per entry and timing point
// ("Full Course" is the finish, the others splits), paged by page and size with X-Ctlive-* headers
// counting the pages. Numbers arrive as strings, times as HH:MM:SS[.f], dates as Unix seconds.
#include <charconv>
#include <ctime>
#include <unordered_map>

#include <fmt/format.h>

#include "integrations/provider_api.hpp"
#include "integrations/vendor_json.hpp"
#include "racetiming/sport/dates.hpp"
#include "racetiming/error.hpp"
#include "text/utf8.hpp"

namespace racetiming::integrations::detail {
namespace {

bool is_finish(std::string_view interval) { return interval.empty() || interval == "Full Course" || interval == "Finish"; }

std::string date_of_epoch(const std::string& seconds) {
  long long s = 0;
  const auto [end, ec] = std::from_chars(seconds.data(), seconds.data() + seconds.size(), s);
  if (ec != std::errc() || s <= 0) return {};
  return sport::iso_date_utc(static_cast<std::time_t>(s));
}

const rapidjson::Value* rows_of(const rapidjson::Value& doc) {
  for (const char* key : {"race_results", "event_results"})
    if (const auto* rows = array_member(doc, key)) return rows;
  return nullptr;
}

// Rows of one race, gathered across pages (an entry's timing points may straddle a page boundary).
class Gatherer {
 public:
  Gatherer(const RaceContext& race, const std::map<std::string, std::int32_t>& split_distances)
      : race_(race), distances_(split_distances) {}

  void add(const rapidjson::Value& rows) {
    for (const auto& row : rows.GetArray()) {
      ++rows_;
      std::string key = text(row, "results_entry_id");
      if (key.empty()) key = "bib:" + text(row, "results_bib");
      auto [it, fresh] = index_.try_emplace(key, runners_.size());
      if (fresh) {
        runners_.push_back({entry_of(race_), {}, false});
        Runner& r = runners_.back();
        r.entry.line = rows_;
        r.entry.bib = text(row, "results_bib");
        r.entry.first_name = text(row, "results_first_name");
        r.entry.last_name = text(row, "results_last_name");
        r.entry.gender = gender_of(text(row, "results_sex"));
        const std::string age = text(row, "results_age");
        r.entry.age = age.empty() ? 0 : std::atoi(age.c_str());
        r.entry.city = text(row, "results_hometown");
        r.entry.state = text(row, "results_state_code");
        r.entry.country = text(row, "results_country_code");
        r.entry.external_id = text(row, "results_entry_id");
      }
      Runner& r = runners_[it->second];
      const std::string interval = text(row, "results_interval_name");
      const std::string chip = text(row, "results_time"), gun = text(row, "results_gun_time");
      const auto chip_ms = race_time_ms(chip);
      if (!chip_ms) {
        r.problem = fmt::format("bib {}: time '{}' at {} is not [H:]MM:SS", text::echo(r.entry.bib), text::echo(chip),
                                interval.empty() ? "the finish" : text::echo(interval));
        continue;
      }
      if (is_finish(interval)) {
        r.finished = true;
        r.entry.chip_time_ms = chip_ms;
        r.entry.gun_time_ms = gun.empty() ? std::nullopt : race_time_ms(gun);
      } else if (auto d = distances_.find(interval); d != distances_.end()) {
        r.entry.splits.push_back({interval, d->second, *chip_ms});
      }
    }
  }

  ingest::ParsedFile take() {
    ingest::ParsedFile out;
    out.rows_read = runners_.size();
    for (Runner& r : runners_) {
      // a timing point passed but no finish read: on the course, or out of the race
      r.entry.status = r.finished ? "finished" : "started";
      std::string problem = r.problem.empty() ? validate(r.entry) : r.problem;
      if (!problem.empty())
        out.errors.push_back({r.entry.line, "", std::move(problem)});
      else
        out.entries.push_back(std::move(r.entry));
    }
    return out;
  }

 private:
  struct Runner {
    ingest::Entry entry;
    std::string problem;
    bool finished = false;
  };
  const RaceContext& race_;
  const std::map<std::string, std::int32_t>& distances_;
  std::vector<Runner> runners_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t rows_ = 0;
};

class ChronoTrackApi final : public ProviderApi {
 public:
  ChronoTrackApi(ApiConfig config, ProviderClient& client) : config_(std::move(config)), client_(client) {}

  bool incremental() const noexcept override { return true; }

  std::vector<RemoteRace> races() override {
    std::vector<std::string> ids = config_.event_ids;
    if (ids.empty()) {
      const auto doc = get("/api/event", {{"size", "500"}}).second;
      const auto* list = array_member(doc, "event");
      if (!list) throw Error(ErrorCode::unavailable, "chronotrack: /api/event answered without an event list");
      for (const auto& e : list->GetArray()) ids.push_back(text(e, "event_id"));
    }
    std::vector<RemoteRace> out;
    for (const std::string& id : ids) {
      const auto event_doc = get("/api/event/" + id, {}).second;
      const auto* event = object_member(event_doc, "event");
      if (!event) throw Error(ErrorCode::unavailable, fmt::format("chronotrack: event {} answered without an event", id));
      const auto races_doc = get(fmt::format("/api/event/{}/race", id), {}).second;
      const auto* races = array_member(races_doc, "event_race");
      if (!races) continue;
      for (const auto& race : races->GetArray()) {
        RemoteRace r;
        r.event_id = id;
        r.race_id = text(race, "race_id");
        r.context.event_name = text(*event, "event_name");
        r.context.event_date = date_of_epoch(text(*event, "event_start_time"));
        r.context.event_city = text(*event, "location_city");
        r.context.event_state = text(*event, "location_state");
        r.context.event_country = text(*event, "location_country");
        r.context.event_external_id = id;
        r.context.race_name = text(race, "race_name");
        r.context.race_external_id = r.race_id;
        auto distance = distance_from_label(text(race, "race_course_distance"));
        if (!distance) distance = distance_from_label(r.context.race_name);
        r.context.race_distance_m = distance.value_or(0);
        if (!distance) r.problem = "it has no course distance";
        if (r.context.event_date.empty()) r.problem = "its event has no start time";
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  void results(const RemoteRace& race, std::optional<std::int64_t> since,
               const std::function<void(ingest::ParsedFile&&)>& on_page) override {
    std::map<std::string, std::int32_t> distances;
    const auto intervals = get(fmt::format("/api/race/{}/interval", race.race_id), {}).second;
    if (const auto* list = array_member(intervals, "race_interval"))
      for (const auto& i : list->GetArray())
        if (auto d = distance_from_label(text(i, "interval_distance"))) distances[text(i, "interval_name")] = *d;
    Gatherer rows(race.context, distances);
    for (int page = 1;; ++page) {
      std::vector<std::pair<std::string, std::string>> query{{"page", std::to_string(page)},
                                                             {"size", std::to_string(config_.page_size)}};
      if (since) query.emplace_back("modified_after", std::to_string(*since));
      const auto [pages, doc] = get(fmt::format("/api/race/{}/results", race.race_id), query);
      const auto* list = rows_of(doc);
      if (!list) throw Error(ErrorCode::unavailable, fmt::format("chronotrack: race {} answered without race_results", race.race_id));
      rows.add(*list);
      if (list->Empty() || (pages ? page >= *pages : list->Size() < config_.page_size)) break;
    }
    on_page(rows.take());
  }

 private:
  // The document, and the page count when the answer says it.
  std::pair<std::optional<int>, rapidjson::Document> get(const std::string& path,
                                                         std::vector<std::pair<std::string, std::string>> query) {
    query.emplace_back("format", "json");
    std::vector<std::pair<std::string, std::string>> headers;
    if (auto token = config_.credentials.find("access_token"); token != config_.credentials.end()) {
      headers.emplace_back("Authorization", "Bearer " + token->second);
    } else {
      for (const char* field : {"client_id", "user_id", "user_pass"})
        if (auto it = config_.credentials.find(field); it != config_.credentials.end()) query.emplace_back(field, it->second);
    }
    const auto response = client_.get(config_.base_url, path, query, headers);
    rapidjson::Document doc = answer_document(Provider::chronotrack, path, response.body);
    std::optional<int> pages;
    if (const auto count = response.header("X-Ctlive-Page-Count"); !count.empty()) {
      int n = 0;
      if (std::from_chars(count.data(), count.data() + count.size(), n).ec == std::errc()) pages = n;
    }
    return {pages, std::move(doc)};
  }

  ApiConfig config_;
  ProviderClient& client_;
};

}  // namespace

ingest::ParsedFile parse_chronotrack_results(const rapidjson::Value& doc, const RaceContext& race,
                                             const std::map<std::string, std::int32_t>& split_distances) {
  const auto* rows = rows_of(doc);
  if (!rows) throw Error(ErrorCode::invalid_input, "not ChronoTrack results: no race_results (or event_results) array");
  Gatherer g(race, split_distances);
  g.add(*rows);
  return g.take();
}

std::unique_ptr<ProviderApi> chronotrack_api(ApiConfig config, ProviderClient& client) {
  return std::make_unique<ChronoTrackApi>(std::move(config), client);
}

}  // namespace racetiming::integrations::detail
