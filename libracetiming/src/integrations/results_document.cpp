// A provider's results document as entries: the file form of each adapter.
#include <fmt/format.h>

#include "integrations/provider_api.hpp"
#include "integrations/vendor_json.hpp"
#include "racetiming/error.hpp"
#include "racetiming/sport/dates.hpp"

namespace racetiming::integrations {

ingest::ParsedFile parse_results(Provider provider, std::string_view json, const RaceContext& given) {
  RaceContext race = given;
  if (race.race_distance_m == 0) race.race_distance_m = distance_from_label(race.race_name).value_or(0);
  auto missing = [](const char* name, const char* what) {
    return Error(ErrorCode::invalid_parameter, fmt::format("{} is required: {}", name, what), name);
  };
  if (race.event_name.empty()) throw missing("event_name", "a results document does not name its event");
  if (race.race_name.empty()) throw missing("race_name", "a results document does not name its race");
  if (!sport::is_iso_date(race.event_date))
    throw Error(ErrorCode::invalid_parameter, "event_date must be a date as YYYY-MM-DD", "event_date");
  if (race.race_distance_m <= 0)
    throw Error(ErrorCode::invalid_parameter, "race_distance_m must be a distance in metres (it was not in the race name either)",
                "race_distance_m");
  const rapidjson::Document doc = detail::parse_document(provider, json);
  switch (provider) {
    case Provider::runsignup: return detail::parse_runsignup_results(doc, race);
    case Provider::chronotrack: return detail::parse_chronotrack_results(doc, race, {});
    case Provider::raceroster: return detail::parse_raceroster_results(doc, race);
  }
  return {};
}

}  // namespace racetiming::integrations
