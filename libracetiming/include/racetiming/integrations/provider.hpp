#pragma once
// The three registration and timing systems partners sync from, and their results documents read as
// entries (docs/integrations.md names every field mapped and dropped).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "racetiming/ingest/interchange_csv.hpp"

namespace racetiming::integrations {

enum class Provider { runsignup, chronotrack, raceroster };

std::string_view to_string(Provider provider) noexcept;  // "runsignup", "chronotrack", "raceroster"
std::optional<Provider> provider_named(std::string_view name) noexcept;
// As provider_named, but Error(invalid_parameter, parameter) naming the three for anything else.
Provider parse_provider(std::string_view name, const char* parameter = "provider");

// The event and race a results document belongs to. A provider's results rows do not say which event
// or race they are of (nor its date or distance): a sync reads that from the provider's event
// endpoints, and a file import is told.
struct RaceContext {
  std::string event_name, event_date;  // date as YYYY-MM-DD
  std::string event_city, event_state, event_country;
  std::string event_external_id;  // the provider's id (empty: name + date)
  std::string race_name;
  std::int32_t race_distance_m = 0;  // 0: what race_name says ("5K", "Half Marathon"), if it says one
  std::string race_external_id;      // the provider's id (empty: event + race name)
};

// A race's distance from how providers write it ("5K", "10 km", "Half Marathon", "26.2 Miles",
// "1 Mile", "42195"): metres, or nullopt when it names no distance (never a guess).
std::optional<std::int32_t> distance_from_label(std::string_view label) noexcept;

// One page of a provider's results (the body of its results endpoint, or that body saved to a file)
// as entries of `race`. Error(invalid_input) when the document is not that provider's results shape;
// rows that cannot be read are errors by row number (1-based, in document order), the rest entries.
ingest::ParsedFile parse_results(Provider provider, std::string_view json, const RaceContext& race);

}  // namespace racetiming::integrations
