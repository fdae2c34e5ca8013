#include "racetiming/service/resource_schema.hpp"

#include <array>
#include <utility>

namespace racetiming::service {
namespace {

using T = FieldType;

constexpr std::array<std::string_view, 4> kEventStatus{"scheduled", "active", "completed", "cancelled"};
constexpr std::array<std::string_view, 2> kPlacementBasis{"chip", "gun"};
constexpr std::array<std::string_view, 3> kGender{"M", "F", "X"};
constexpr std::array<std::string_view, 6> kEntryStatus{"registered", "started", "finished", "dnf", "dns", "dq"};
constexpr std::int64_t kText = 200;                       // longest name or place we keep
constexpr std::int64_t kLongest = 7LL * 24 * 3600 * 1000;  // a week: longer than any race

constexpr std::array kEventFields{
    FieldSpec{"event_name", T::text, "Name of the event", true, false, {}, 1, kText},
    FieldSpec{"event_date", T::date, "First day of the event (YYYY-MM-DD)", true},
    FieldSpec{"city", T::text, "City", false, false, {}, 0, kText},
    FieldSpec{"state", T::text, "State or region code", false, false, {}, 0, kText},
    FieldSpec{"country", T::text, "Country code", false, false, {}, 0, kText},
    FieldSpec{"status", T::enumeration, "Life-cycle state (default scheduled)", false, false, kEventStatus},
};
constexpr std::array kRaceFields{
    FieldSpec{"event_id", T::integer, "Event the race belongs to", true, true, {}, 1},
    FieldSpec{"race_name", T::text, "Name of the race (\"Marathon\", \"5K\")", true, false, {}, 1, kText},
    FieldSpec{"distance_m", T::integer, "Distance in metres", true, false, {}, 1, 1'000'000},
    FieldSpec{"start_time", T::text, "Start time of day (HH:MM)", false, false, {}, 0, 32},
    FieldSpec{"placement_basis", T::enumeration, "Places by chip (default) or gun time", false, false, kPlacementBasis},
};
constexpr std::array kParticipantFields{
    FieldSpec{"race_id", T::integer, "Race entered", true, true, {}, 1},
    FieldSpec{"bib", T::text, "Bib, unique in the race", true, false, {}, 1, 32},
    FieldSpec{"first_name", T::text, "First name", true, false, {}, 1, kText},
    FieldSpec{"last_name", T::text, "Last name", true, false, {}, 1, kText},
    FieldSpec{"gender", T::enumeration, "M, F or X", true, false, kGender},
    FieldSpec{"age", T::integer, "Age on race day", false, false, {}, 1, 120},
    FieldSpec{"division", T::text, "Division (default: the 5-year band of gender and age)", false, false, {}, 0, 32},
    FieldSpec{"city", T::text, "City", false, false, {}, 0, kText},
    FieldSpec{"state", T::text, "State or region code", false, false, {}, 0, kText},
    FieldSpec{"country", T::text, "Country code", false, false, {}, 0, kText},
    FieldSpec{"team", T::text, "Team or club", false, false, {}, 0, kText},
    FieldSpec{"status", T::enumeration, "Entry status (default registered)", false, false, kEntryStatus},
};
constexpr std::array kResultFields{
    FieldSpec{"participant_id", T::integer, "Entry the reading belongs to", true, true, {}, 1},
    FieldSpec{"interval_name", T::text, "Timing point (default FINISH)", false, false, {}, 1, 32},
    FieldSpec{"interval_distance_m", T::integer, "Distance of the timing point in metres", false, false, {}, 0, 1'000'000},
    FieldSpec{"is_final", T::boolean, "The finish reading (default: interval_name is FINISH)"},
    FieldSpec{"results_time_ms", T::duration_ms, "Chip (net) time", false, false, {}, 0, kLongest},
    FieldSpec{"gun_time_ms", T::duration_ms, "Gun time", false, false, {}, 0, kLongest},
};

constexpr std::array kEventColumns{
    ColumnSpec{"event_id", T::integer, "Event id"},
    ColumnSpec{"event_name", T::text, "Name of the event"},
    ColumnSpec{"event_date", T::date, "First day of the event"},
    ColumnSpec{"city", T::text, "City"},
    ColumnSpec{"state", T::text, "State or region code"},
    ColumnSpec{"country", T::text, "Country code"},
    ColumnSpec{"status", T::text, "scheduled, active, completed or cancelled"},
    ColumnSpec{"external_source", T::text, "Where the event came from (api, interchange, a provider)"},
    ColumnSpec{"external_id", T::text, "Its id there"},
};
constexpr std::array kRaceColumns{
    ColumnSpec{"race_id", T::integer, "Race id"},
    ColumnSpec{"event_id", T::integer, "Event id"},
    ColumnSpec{"race_name", T::text, "Name of the race"},
    ColumnSpec{"distance_m", T::integer, "Distance in metres"},
    ColumnSpec{"start_time", T::text, "Start time of day"},
    ColumnSpec{"placement_basis", T::text, "chip or gun"},
    ColumnSpec{"event_name", T::text, "Name of the event"},
    ColumnSpec{"event_date", T::date, "Date of the event"},
};
constexpr std::array kParticipantColumns{
    ColumnSpec{"participant_id", T::integer, "Entry id"},
    ColumnSpec{"event_id", T::integer, "Event id"},
    ColumnSpec{"race_id", T::integer, "Race id"},
    ColumnSpec{"bib", T::text, "Bib"},
    ColumnSpec{"first_name", T::text, "First name"},
    ColumnSpec{"last_name", T::text, "Last name"},
    ColumnSpec{"gender", T::text, "M, F or X"},
    ColumnSpec{"age", T::integer, "Age on race day"},
    ColumnSpec{"division", T::text, "Division"},
    ColumnSpec{"city", T::text, "City"},
    ColumnSpec{"state", T::text, "State or region code"},
    ColumnSpec{"country", T::text, "Country code"},
    ColumnSpec{"team", T::text, "Team or club"},
    ColumnSpec{"status", T::text, "registered, started, finished, dnf, dns or dq"},
};
constexpr std::array kResultColumns{
    ColumnSpec{"result_id", T::integer, "Result id"},
    ColumnSpec{"event_id", T::integer, "Event id"},
    ColumnSpec{"race_id", T::integer, "Race id"},
    ColumnSpec{"participant_id", T::integer, "Entry id"},
    ColumnSpec{"interval_name", T::text, "Timing point"},
    ColumnSpec{"is_final", T::boolean, "The finish reading"},
    ColumnSpec{"bib", T::text, "Bib"},
    ColumnSpec{"first_name", T::text, "First name"},
    ColumnSpec{"last_name", T::text, "Last name"},
    ColumnSpec{"gender", T::text, "M, F or X"},
    ColumnSpec{"age", T::integer, "Age on race day"},
    ColumnSpec{"division", T::text, "Division"},
    ColumnSpec{"city", T::text, "City"},
    ColumnSpec{"state", T::text, "State or region code"},
    ColumnSpec{"status", T::text, "Entry status"},
    ColumnSpec{"overall_place", T::integer, "Place overall (finishers only; ties share a place)"},
    ColumnSpec{"gender_place", T::integer, "Place among the same gender"},
    ColumnSpec{"division_place", T::integer, "Place in the division"},
    ColumnSpec{"results_time_ms", T::duration_ms, "Chip time in milliseconds (results_time: H:MM:SS)"},
    ColumnSpec{"gun_time_ms", T::duration_ms, "Gun time in milliseconds (gun_time: H:MM:SS)"},
    ColumnSpec{"pace_ms_per_km", T::integer, "Pace in ms per km (pace_per_km, pace_per_mile: M:SS)"},
    ColumnSpec{"distance_m", T::integer, "Race distance in metres"},
    ColumnSpec{"race_name", T::text, "Name of the race"},
};

}  // namespace

std::string_view to_string(Resource r) noexcept {
  switch (r) {
    case Resource::event: return "event";
    case Resource::race: return "race";
    case Resource::participant: return "participant";
    case Resource::result: return "result";
  }
  return "resource";
}

namespace {

// Races are read and written with their events' permissions.
std::pair<std::string_view, std::string_view> permissions_of(Resource r) noexcept {
  switch (r) {
    case Resource::event:
    case Resource::race: return {"read:events", "write:events"};
    case Resource::participant: return {"read:participants", "write:participants"};
    case Resource::result: return {"read:results", "write:results"};
  }
  return {"read:results", "write:results"};
}

}  // namespace

std::string_view read_permission(Resource r) noexcept { return permissions_of(r).first; }
std::string_view write_permission(Resource r) noexcept { return permissions_of(r).second; }

std::span<const FieldSpec> writable_fields(Resource r) noexcept {
  switch (r) {
    case Resource::event: return kEventFields;
    case Resource::race: return kRaceFields;
    case Resource::participant: return kParticipantFields;
    case Resource::result: return kResultFields;
  }
  return {};
}

std::span<const ColumnSpec> resource_columns(Resource r) noexcept {
  switch (r) {
    case Resource::event: return kEventColumns;
    case Resource::race: return kRaceColumns;
    case Resource::participant: return kParticipantColumns;
    case Resource::result: return kResultColumns;
  }
  return {};
}

}  // namespace racetiming::service
