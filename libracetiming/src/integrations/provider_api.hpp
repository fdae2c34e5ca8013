#pragma once
// Internal: what a sync needs of each provider's API: the races to sync, and each race's results page
// by page. One implementation per provider (runsignup.cpp, chronotrack.cpp, raceroster.cpp).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "integrations/provider_client.hpp"
#include "racetiming/ingest/interchange_csv.hpp"
#include "racetiming/integrations/integration.hpp"

namespace racetiming::integrations::detail {

struct ApiConfig {
  std::string base_url;
  std::map<std::string, std::string> credentials;
  std::vector<std::string> event_ids;
  std::size_t page_size = 1000;
};

// A race as the provider describes it: what the results rows lack, and its ids for the URLs.
struct RemoteRace {
  RaceContext context;
  std::string event_id, race_id;  // the provider's
  std::string problem;            // why it cannot be synced ("no distance"), or ""
};

class ProviderApi {
 public:
  virtual ~ProviderApi() = default;
  virtual std::vector<RemoteRace> races() = 0;
  // Whether results can be asked for changes since a time; else every sync reads every row.
  virtual bool incremental() const noexcept = 0;
  // Each page of the race's results, parsed; `since` (Unix seconds) asks only for rows changed since.
  virtual void results(const RemoteRace& race, std::optional<std::int64_t> since,
                       const std::function<void(ingest::ParsedFile&&)>& page) = 0;
};

std::unique_ptr<ProviderApi> runsignup_api(ApiConfig config, ProviderClient& client);
std::unique_ptr<ProviderApi> chronotrack_api(ApiConfig config, ProviderClient& client);
std::unique_ptr<ProviderApi> raceroster_api(ApiConfig config, ProviderClient& client);


// Parsers of one results document each (parse_results dispatches to these).
ingest::ParsedFile parse_runsignup_results(const rapidjson::Value& doc, const RaceContext& race);
ingest::ParsedFile parse_chronotrack_results(const rapidjson::Value& doc, const RaceContext& race,
                                             const std::map<std::string, std::int32_t>& split_distances);
ingest::ParsedFile parse_raceroster_results(const rapidjson::Value& doc, const RaceContext& race);

}  // namespace racetiming::integrations::detail
