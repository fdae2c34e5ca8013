#pragma once
// The four resources as plain values, read without knowing the store: what Engine's reads return.
// Text the database may leave empty is std::optional; times are milliseconds (sport/durations.hpp prints
// them). Each record lists its fields once, in record_fields<R>(): the conversion from rows and the
// Python module both read that list, so a column added here reaches every host.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace racetiming {

struct Event {
  std::int64_t event_id = 0;
  std::string event_name;
  std::string event_date;  // YYYY-MM-DD
  std::optional<std::string> city, state, country;
  std::string status;  // scheduled, active, completed, cancelled
  std::optional<std::string> external_source, external_id;
};

struct Race {
  std::int64_t race_id = 0, event_id = 0;
  std::string race_name;
  std::int64_t distance_m = 0;
  std::optional<std::string> start_time;
  std::string placement_basis;  // chip or gun
  std::string event_name, event_date;
};

// An entry: one person in one race.
struct Participant {
  std::int64_t participant_id = 0, event_id = 0, race_id = 0;
  std::string bib, first_name, last_name, gender;
  std::optional<std::int64_t> age;
  std::optional<std::string> division, city, state, country, team;
  std::string status;  // registered, started, finished, dnf, dns, dq
};

// A final reading (a finisher's or a DQ's), with its entry and race.
struct Result {
  std::int64_t result_id = 0, event_id = 0, race_id = 0, participant_id = 0;
  std::string interval_name;
  bool is_final = true;
  std::string bib, first_name, last_name, gender;
  std::optional<std::int64_t> age;
  std::optional<std::string> division, city, state;
  std::string status;
  std::optional<std::int64_t> overall_place, gender_place, division_place;
  std::optional<std::int64_t> results_time_ms, gun_time_ms, pace_ms_per_km;
  std::int64_t distance_m = 0;
  std::string race_name;
  // The finish's age grade (sport/age_grading.hpp): percent to the hundredth, and the age-graded time;
  // none for a distance, age or gender the table does not grade, and for a result that is no finish.
  std::optional<double> age_grade;
  std::optional<std::int64_t> age_graded_time_ms;
};

// One page of a list, and the cursor of the next (empty on the last page).
template <class Record>
struct PageOf {
  std::vector<Record> items;
  std::string next_cursor;
};

// A field of a record: its column name and where it lives.
template <class Record, class Member>
struct RecordField {
  std::string_view name;
  Member Record::*member;
};

template <class Record, class Member>
constexpr RecordField<Record, Member> field(std::string_view name, Member Record::*member) {
  return {name, member};
}

// Every field of a record, in column order, as a tuple of RecordField.
template <class Record>
constexpr auto record_fields();

template <>
constexpr auto record_fields<Event>() {
  using E = Event;
  return std::tuple{field("event_id", &E::event_id),   field("event_name", &E::event_name),
                    field("event_date", &E::event_date), field("city", &E::city),
                    field("state", &E::state),         field("country", &E::country),
                    field("status", &E::status),       field("external_source", &E::external_source),
                    field("external_id", &E::external_id)};
}

template <>
constexpr auto record_fields<Race>() {
  using R = Race;
  return std::tuple{field("race_id", &R::race_id),         field("event_id", &R::event_id),
                    field("race_name", &R::race_name),     field("distance_m", &R::distance_m),
                    field("start_time", &R::start_time),   field("placement_basis", &R::placement_basis),
                    field("event_name", &R::event_name),   field("event_date", &R::event_date)};
}

template <>
constexpr auto record_fields<Participant>() {
  using P = Participant;
  return std::tuple{field("participant_id", &P::participant_id), field("event_id", &P::event_id),
                    field("race_id", &P::race_id),               field("bib", &P::bib),
                    field("first_name", &P::first_name),         field("last_name", &P::last_name),
                    field("gender", &P::gender),                 field("age", &P::age),
                    field("division", &P::division),             field("city", &P::city),
                    field("state", &P::state),                   field("country", &P::country),
                    field("team", &P::team),                     field("status", &P::status)};
}

template <>
constexpr auto record_fields<Result>() {
  using R = Result;
  return std::tuple{field("result_id", &R::result_id),           field("event_id", &R::event_id),
                    field("race_id", &R::race_id),               field("participant_id", &R::participant_id),
                    field("interval_name", &R::interval_name),   field("is_final", &R::is_final),
                    field("bib", &R::bib),                       field("first_name", &R::first_name),
                    field("last_name", &R::last_name),           field("gender", &R::gender),
                    field("age", &R::age),                       field("division", &R::division),
                    field("city", &R::city),                     field("state", &R::state),
                    field("status", &R::status),                 field("overall_place", &R::overall_place),
                    field("gender_place", &R::gender_place),     field("division_place", &R::division_place),
                    field("results_time_ms", &R::results_time_ms), field("gun_time_ms", &R::gun_time_ms),
                    field("pace_ms_per_km", &R::pace_ms_per_km), field("distance_m", &R::distance_m),
                    field("race_name", &R::race_name),           field("age_grade", &R::age_grade),
                    field("age_graded_time_ms", &R::age_graded_time_ms)};
}

}  // namespace racetiming
