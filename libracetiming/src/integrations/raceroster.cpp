// Race Roster: an event (known by its code) holds sub-events, our races; a sub-event's results are
// paged by start and limit until a short page. There is no "changed since": every sync reads every row.
#include <fmt/format.h>

#include "integrations/provider_api.hpp"
#include "integrations/vendor_json.hpp"
#include "racetiming/error.hpp"
#include "text/utf8.hpp"

namespace racetiming::integrations::detail {
namespace {

const rapidjson::Value* rows_of(const rapidjson::Value& doc) {
  if (const auto* rows = array_member(doc, "data")) return rows;
  if (const auto* data = object_member(doc, "data")) return array_member(*data, "results");
  return nullptr;
}

ingest::ParsedFile parse(const rapidjson::Value& rows, const RaceContext& race, std::size_t first_line) {
  ingest::ParsedFile out;
  for (const auto& row : rows.GetArray()) {
    ++out.rows_read;
    ingest::Entry e = entry_of(race);
    e.line = first_line + out.rows_read;
    e.bib = text(row, "bib");
    e.first_name = text(row, "firstName");
    e.last_name = text(row, "lastName");
    e.gender = gender_of(text(row, "gender"));
    const std::string age = text(row, "age");
    e.age = age.empty() ? 0 : std::atoi(age.c_str());
    e.city = text(row, "fromCity");
    e.state = text(row, "fromProvState");
    e.country = text(row, "fromCountry");
    e.team = text(row, "teamName");
    e.external_id = text(row, "resultId");
    if (e.external_id.empty()) e.external_id = text(row, "id");
    const std::string status = text(row, "raceStatus");
    std::string problem;
    if (status == "COMPLETE" || status.empty()) {
      e.status = "finished";
      const std::string gun = text(row, "gunTime"), chip = text(row, "chipTime");
      e.gun_time_ms = gun.empty() ? std::nullopt : race_time_ms(gun);
      e.chip_time_ms = chip.empty() ? e.gun_time_ms : race_time_ms(chip);
      if ((!gun.empty() && !e.gun_time_ms) || (!chip.empty() && !e.chip_time_ms))
        problem = fmt::format("bib {}: time '{}' is not [H:]MM:SS", text::echo(e.bib), text::echo(chip.empty() ? gun : chip));
    } else if (status == "DNF") {
      e.status = "dnf";
    } else if (status == "DNS") {
      e.status = "dns";
    } else if (status == "DQ" || status == "DSQ") {
      e.status = "dq";
    } else {
      problem = fmt::format("bib {}: raceStatus '{}' is not COMPLETE, DNF, DNS or DQ", text::echo(e.bib), text::echo(status));
    }
    if (problem.empty()) problem = validate(e);
    if (!problem.empty())
      out.errors.push_back({e.line, "", std::move(problem)});
    else
      out.entries.push_back(std::move(e));
  }
  return out;
}

class RaceRosterApi final : public ProviderApi {
 public:
  RaceRosterApi(ApiConfig config, ProviderClient& client) : config_(std::move(config)), client_(client) {}

  bool incremental() const noexcept override { return false; }

  std::vector<RemoteRace> races() override {
    if (config_.event_ids.empty())
      throw Error(ErrorCode::invalid_parameter, "raceroster: name the events to sync (event_ids: the events' codes)", "event_ids");
    std::vector<RemoteRace> out;
    for (const std::string& code : config_.event_ids) {
      const auto doc = get("/v2/api/events/" + code, {});
      const auto* data = object_member(doc, "data");
      const auto* event = data ? object_member(*data, "event") : nullptr;
      if (!event) throw Error(ErrorCode::unavailable, fmt::format("raceroster: event {} answered without an event", code));
      const auto* subs = array_member(*event, "subEvents");
      if (!subs) continue;
      std::string date = text(*event, "startDate");
      if (date.empty()) date = text(*event, "date");
      for (const auto& sub : subs->GetArray()) {
        RemoteRace r;
        r.event_id = text(*event, "resultEventId");
        r.race_id = text(sub, "resultSubEventId");
        if (r.race_id.empty()) r.race_id = text(sub, "id");
        r.context.event_name = text(*event, "name");
        r.context.event_date = date.substr(0, 10);
        r.context.event_city = text(*event, "city");
        r.context.event_state = text(*event, "provState");
        r.context.event_country = text(*event, "country");
        r.context.event_external_id = code;
        r.context.race_name = text(sub, "name");
        r.context.race_external_id = r.race_id;
        auto distance = distance_from_label(text(sub, "distanceMeters"));
        if (!distance) distance = distance_from_label(text(sub, "distance") + " " + text(sub, "distanceUnit"));
        if (!distance) distance = distance_from_label(r.context.race_name);
        r.context.race_distance_m = distance.value_or(0);
        if (!distance) r.problem = "it has no distance";
        if (r.context.event_date.size() != 10) r.problem = "its event has no date";
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  void results(const RemoteRace& race, std::optional<std::int64_t>, const std::function<void(ingest::ParsedFile&&)>& on_page) override {
    const std::size_t limit = config_.page_size;
    for (std::size_t start = 0;; start += limit) {
      const auto doc = get(fmt::format("/v2/api/result-events/{}/sub-events/{}/results", race.event_id, race.race_id),
                           {{"start", std::to_string(start)}, {"limit", std::to_string(limit)}});
      const auto* rows = rows_of(doc);
      if (!rows) throw Error(ErrorCode::unavailable, fmt::format("raceroster: sub-event {} answered without results", race.race_id));
      on_page(parse(*rows, race.context, start));
      if (rows->Size() < limit) break;
    }
  }

 private:
  rapidjson::Document get(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (auto token = config_.credentials.find("access_token"); token != config_.credentials.end())
      headers.emplace_back("Authorization", "Bearer " + token->second);
    const auto response = client_.get(config_.base_url, path, query, headers);
    rapidjson::Document doc = answer_document(Provider::raceroster, path, response.body);
    return doc;
  }

  ApiConfig config_;
  ProviderClient& client_;
};

}  // namespace

ingest::ParsedFile parse_raceroster_results(const rapidjson::Value& doc, const RaceContext& race) {
  const auto* rows = rows_of(doc);
  if (!rows) throw Error(ErrorCode::invalid_input, "not Race Roster results: no data array");
  return parse(*rows, race, 0);
}

std::unique_ptr<ProviderApi> raceroster_api(ApiConfig config, ProviderClient& client) {
  return std::make_unique<RaceRosterApi>(std::move(config), client);
}

}  // namespace racetiming::integrations::detail
