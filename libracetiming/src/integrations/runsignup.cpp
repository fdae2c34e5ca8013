// RunSignUp: its "race" is our event, its "event" our race. Results come as results sets per event
// (an overall set, sometimes division sets listing the same runners again), paged by page and
// results_per_page until a short page; errors arrive as HTTP 200 with an "error" member.
#include <unordered_set>

#include <fmt/format.h>

#include "integrations/provider_api.hpp"
#include "integrations/vendor_json.hpp"
#include "racetiming/error.hpp"
#include "text/lower.hpp"
#include "text/utf8.hpp"

namespace racetiming::integrations::detail {
namespace {

using text::lower;

// "M/D/YYYY[ HH:mm]" or "MM/DD/YYYY" to YYYY-MM-DD; "" when it is neither.
std::string us_date(std::string_view text) {
  int month = 0, day = 0, year = 0;
  char tail = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%d/%d/%d%c", &month, &day, &year, &tail) < 3 || month < 1 || month > 12 || day < 1 ||
      day > 31 || year < 1900)
    return {};
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

// {"error": {"error_code": 6, "error_msg": "..."}} or {"error": "..."}: the message, else "".
std::string error_of(const rapidjson::Value& doc) {
  if (!doc.IsObject() || !doc.HasMember("error")) return {};
  const auto& e = doc["error"];
  if (e.IsString()) return e.GetString();
  const std::string code = text(e, "error_code"), message = text(e, "error_msg");
  return code.empty() ? message : fmt::format("error {}: {}", code, message);
}

// Reads one results document; `seen` holds the bibs already read for this race (earlier sets or pages).
ingest::ParsedFile parse(const rapidjson::Value& doc, const RaceContext& race, std::unordered_set<std::string>& seen,
                         std::size_t& rows_on_page) {
  if (const std::string error = error_of(doc); !error.empty())
    throw Error(ErrorCode::invalid_input, "runsignup answered " + error);
  const rapidjson::Value* sets = array_member(doc, "individual_results_sets");
  if (!sets) throw Error(ErrorCode::invalid_input, "not RunSignUp results: no individual_results_sets array");
  ingest::ParsedFile out;
  rows_on_page = 0;
  for (const auto& set : sets->GetArray()) {
    // the team column is a custom field, known by its label
    std::string team_key;
    if (const auto* headers = object_member(set, "results_headers"))
      for (const auto& h : headers->GetObject())
        if (h.value.IsString() && (lower(h.value.GetString()) == "team" || lower(h.value.GetString()) == "team name"))
          team_key = h.name.GetString();
    const rapidjson::Value* rows = array_member(set, "results");
    if (!rows) continue;
    for (const auto& row : rows->GetArray()) {
      ++rows_on_page;
      ++out.rows_read;
      ingest::Entry e = entry_of(race);
      e.line = out.rows_read;
      e.bib = text(row, "bib");
      if (!e.bib.empty() && !seen.insert(e.bib).second) {
        --out.rows_read;  // the same runner in another set: read once
        continue;
      }
      e.first_name = text(row, "first_name");
      e.last_name = text(row, "last_name");
      e.gender = gender_of(text(row, "gender"));
      const std::string age = text(row, "age");
      e.age = age.empty() ? 0 : std::atoi(age.c_str());
      e.city = text(row, "city");
      e.state = text(row, "state");
      e.country = text(row, "country_code");
      if (!team_key.empty()) e.team = text(row, team_key.c_str());
      e.external_id = text(row, "registration_id");
      if (e.external_id.empty()) e.external_id = text(row, "result_id");
      const std::string chip = text(row, "chip_time"), clock = text(row, "clock_time");
      const std::string mark = lower(chip.empty() ? clock : chip);
      std::string problem;
      if (mark == "dnf" || mark == "dns" || mark == "dq" || mark == "dnq") {
        e.status = mark == "dnq" ? "dq" : mark;
      } else {
        e.status = "finished";
        e.gun_time_ms = clock.empty() ? std::nullopt : race_time_ms(clock);
        // no chip time: the clock time is the finish (gun-timed races)
        e.chip_time_ms = chip.empty() ? e.gun_time_ms : race_time_ms(chip);
        if ((!chip.empty() && !e.chip_time_ms) || (!clock.empty() && !e.gun_time_ms))
          problem = fmt::format("bib {}: time '{}' is not [H:]MM:SS", text::echo(e.bib), text::echo(chip.empty() ? clock : chip));
        else if (chip.empty() && clock.empty())
          problem = fmt::format("bib {} has no time", e.bib);
      }
      if (problem.empty()) problem = validate(e);
      if (!problem.empty()) {
        out.errors.push_back({e.line, "", problem});
        continue;
      }
      out.entries.push_back(std::move(e));
    }
  }
  return out;
}

class RunSignUpApi final : public ProviderApi {
 public:
  RunSignUpApi(ApiConfig config, ProviderClient& client) : config_(std::move(config)), client_(client) {}

  bool incremental() const noexcept override { return true; }

  std::vector<RemoteRace> races() override {
    std::vector<std::string> ids = config_.event_ids;
    if (ids.empty()) {
      for (int page = 1;; ++page) {
        const auto doc = get("/Rest/races", {{"only_partner_races", "T"}, {"events", "F"}, {"page", std::to_string(page)},
                                             {"results_per_page", "100"}});
        const auto* list = array_member(doc, "races");
        if (!list) throw Error(ErrorCode::unavailable, "runsignup: /Rest/races answered without a races list");
        for (const auto& item : list->GetArray())
          if (const auto* race = object_member(item, "race")) ids.push_back(text(*race, "race_id"));
        if (list->Size() < 100) break;
      }
    }
    std::vector<RemoteRace> out;
    for (const std::string& id : ids) {
      const auto doc = get("/Rest/race/" + id, {{"events", "T"}, {"future_events_only", "F"}, {"most_recent_events_only", "F"}});
      const auto* race = object_member(doc, "race");
      if (!race) throw Error(ErrorCode::unavailable, fmt::format("runsignup: race {} answered without a race", id));
      const auto* address = object_member(*race, "address");
      const auto* events = array_member(*race, "events");
      if (!events) continue;
      for (const auto& event : events->GetArray()) {
        RemoteRace r;
        r.event_id = id;
        r.race_id = text(event, "event_id");
        r.context.event_name = text(*race, "name");
        r.context.event_external_id = id;
        r.context.event_date = us_date(text(event, "start_time"));
        if (r.context.event_date.empty()) r.context.event_date = us_date(text(*race, "next_date"));
        if (r.context.event_date.empty()) r.context.event_date = us_date(text(*race, "last_date"));
        if (address) {
          r.context.event_city = text(*address, "city");
          r.context.event_state = text(*address, "state");
          r.context.event_country = text(*address, "country_code");
        }
        r.context.race_name = text(event, "name");
        r.context.race_external_id = r.race_id;
        auto distance = distance_from_label(text(event, "distance"));
        if (!distance) distance = distance_from_label(r.context.race_name);
        r.context.race_distance_m = distance.value_or(0);
        if (!distance) r.problem = fmt::format("its distance '{}' names no distance", text::echo(text(event, "distance")));
        if (r.context.event_date.empty()) r.problem = "it has no date";
        out.push_back(std::move(r));
      }
    }
    return out;
  }

  void results(const RemoteRace& race, std::optional<std::int64_t> since,
               const std::function<void(ingest::ParsedFile&&)>& on_page) override {
    std::unordered_set<std::string> seen;
    const std::size_t size = std::min<std::size_t>(config_.page_size, 1000);
    for (int page = 1;; ++page) {
      std::vector<std::pair<std::string, std::string>> query{
          {"event_id", race.race_id}, {"page", std::to_string(page)}, {"results_per_page", std::to_string(size)}};
      if (since) query.emplace_back("modified_after_timestamp", std::to_string(*since));
      const auto doc = get(fmt::format("/Rest/race/{}/results/get-results", race.event_id), query);
      std::size_t rows = 0;
      try {
        on_page(parse(doc, race.context, seen, rows));
      } catch (const Error& e) {
        if (e.code() != ErrorCode::invalid_input) throw;
        throw Error(ErrorCode::unavailable, e.what());
      }
      if (rows < size) break;
    }
  }

 private:
  rapidjson::Document get(const std::string& path, std::vector<std::pair<std::string, std::string>> query) {
    query.emplace_back("format", "json");
    std::vector<std::pair<std::string, std::string>> headers;
    if (auto token = config_.credentials.find("access_token"); token != config_.credentials.end()) {
      headers.emplace_back("Authorization", "Bearer " + token->second);
    } else {
      for (const char* field : {"api_key", "api_secret"})
        if (auto it = config_.credentials.find(field); it != config_.credentials.end()) query.emplace_back(field, it->second);
    }
    const auto response = client_.get(config_.base_url, path, query, headers);
    rapidjson::Document doc = answer_document(Provider::runsignup, path, response.body);
    if (const std::string error = error_of(doc); !error.empty())
      throw Error(ErrorCode::unavailable, fmt::format("runsignup: {} answered {}", path, error));
    return doc;
  }

  ApiConfig config_;
  ProviderClient& client_;
};

}  // namespace

ingest::ParsedFile parse_runsignup_results(const rapidjson::Value& doc, const RaceContext& race) {
  std::unordered_set<std::string> seen;
  std::size_t rows = 0;
  return parse(doc, race, seen, rows);
}

std::unique_ptr<ProviderApi> runsignup_api(ApiConfig config, ProviderClient& client) {
  return std::make_unique<RunSignUpApi>(std::move(config), client);
}

}  // namespace racetiming::integrations::detail
