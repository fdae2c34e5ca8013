// How an answer is said: one sentence a race director would say aloud (the summary), and one that says
// how the question was read (the interpretation), both composed from the plan's parts.
#include "nl/summary.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "nl/render.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::nl {
namespace {

std::string list_words(const std::vector<std::string>& parts, std::string_view last = "and") {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i ? (i + 1 == parts.size() ? fmt::format(" {} ", last) : std::string(", ")) : std::string()) + parts[i];
  return out;
}

std::string gender_word(char g) { return g == 'F' ? "women" : g == 'M' ? "men" : "non-binary runners"; }
std::string gender_one(char g) { return g == 'F' ? "woman" : g == 'M' ? "man" : "non-binary runner"; }

std::string edition(const Plan& p) {
  const auto events = scope_events(p);
  if (p.all_events) {
    std::string period = p.compare_years.size() >= 2 ? fmt::format(" in {}", list_words([&] {
                                                                  std::vector<std::string> y;
                                                                  for (int v : p.compare_years) y.push_back(std::to_string(v));
                                                                  return y;
                                                                }()))
                         : p.year ? fmt::format(" in {}", *p.year)
                                  : std::string();
    static constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                              "July",    "August",   "September", "October", "November", "December"};
    if (p.month && *p.month >= 1 && *p.month <= 12) period = fmt::format(" in {}{}", kMonths[static_cast<std::size_t>(*p.month - 1)],
                                                                         p.year ? fmt::format(" {}", *p.year) : std::string());
    else if (p.date_from && p.date_to) period = fmt::format(" from {} to {}", *p.date_from, *p.date_to);
    if (p.event_state) period += fmt::format(" held in {}", *p.event_state);
    if (p.race_distance_m) {
      // "the Marathon races of your 1 event in 2024": the events that hold one
      const auto races = scope_races(p);
      std::vector<const CatalogEvent*> holding;
      for (const ScopedRace& sr : races)
        if (std::find(holding.begin(), holding.end(), sr.event) == holding.end()) holding.push_back(sr.event);
      if (!races.empty())
        return fmt::format("the {} races of your {} event{}{}", races.front().race->race_name, holding.size(),
                           holding.size() == 1 ? "" : "s", period);
    }
    return fmt::format("your {} event{}{}", events.size(), events.size() == 1 ? "" : "s", period);
  }
  if (p.events.size() >= 2) {
    std::vector<std::string> names;
    for (const CatalogEvent* e : p.events) names.push_back(fmt::format("the {} {}", e->event_name, e->year()));
    return list_words(names);
  }
  if (events.size() >= 2 || (p.grouping == Grouping::year && !p.event_name.empty())) {
    std::vector<std::string> years;
    for (const CatalogEvent* e : events) years.push_back(std::to_string(e->year()));
    return fmt::format("the {} ({})", p.event_name, list_words(years));
  }
  if (!p.event) return p.event_name.empty() ? "your events" : "the " + p.event_name;
  std::string out = fmt::format("the {} {}", p.event->event_name, p.event->year());
  const CatalogRace* race = p.race ? p.race : (reads_main_race(p) ? main_race(*p.event) : nullptr);
  if (race && p.event->races.size() > 1) out += fmt::format(" ({})", race->race_name);
  return out;
}

std::string filters_text(const Filters& f) {
  std::vector<std::string> parts;
  if (f.min_age && f.max_age) parts.push_back(f.min_age == f.max_age ? fmt::format("aged {}", *f.min_age) : fmt::format("aged {} to {}", *f.min_age, *f.max_age));
  else if (f.min_age) parts.push_back(fmt::format("aged {} or older", *f.min_age));
  else if (f.max_age) parts.push_back(fmt::format("aged {} or younger", *f.max_age));
  if (f.division) parts.push_back(fmt::format("in {}", *f.division));
  if (f.state) parts.push_back(fmt::format("from {}", *f.state));
  if (f.city) parts.push_back(fmt::format("from {}", *f.city));
  if (f.country) parts.push_back(fmt::format("from {}", *f.country));
  if (f.team) parts.push_back(fmt::format("of team {}", *f.team));
  if (f.max_place) parts.push_back(fmt::format("placed in the top {}", *f.max_place));
  if (f.min_time_ms && f.max_time_ms)
    parts.push_back(fmt::format("with chip time between {} and {}", sport::format_duration(*f.min_time_ms), sport::format_duration(*f.max_time_ms)));
  else if (f.max_time_ms) parts.push_back(fmt::format("with chip time under {}", sport::format_duration(*f.max_time_ms)));
  else if (f.min_time_ms) parts.push_back(fmt::format("with chip time over {}", sport::format_duration(*f.min_time_ms)));
  // a pace bound as it was said: per mile or per km
  auto pace = [&](std::int64_t per_km) {
    const std::int64_t ms = f.pace_per_mile ? sport::mile_pace_from_km(per_km) : per_km;
    return fmt::format("{} per {}", sport::format_pace(ms), f.pace_per_mile ? "mile" : "km");
  };
  if (f.min_pace_ms && f.max_pace_ms) parts.push_back(fmt::format("with a pace between {} and {}", pace(*f.min_pace_ms), pace(*f.max_pace_ms)));
  else if (f.max_pace_ms) parts.push_back(fmt::format("with a pace under {}", pace(*f.max_pace_ms)));
  else if (f.min_pace_ms) parts.push_back(fmt::format("with a pace over {}", pace(*f.min_pace_ms)));
  return list_words(parts);
}

std::string status_words(std::string_view status) {
  return status == "dnf" ? "DNF entries (did not finish)" : status == "dns" ? "DNS entries (did not start)"
         : status == "dq"  ? "disqualified entries"
                           : "finishers";
}

// "women finishers aged 40 to 49 from NJ"
std::string population_text(const Plan& p, const Filters& f) {
  std::string noun = p.population == Population::finishers ? "finishers"
                     : p.population == Population::starters ? "starters (finished, DNF or DQ)"
                     : p.population == Population::entries  ? "entrants (every registered entry)"
                                                            : status_words(p.who.status.value_or(""));
  std::string out;
  if (f.gender) out = (*f.gender == 'F' ? "women " : *f.gender == 'M' ? "men " : "non-binary ");
  out += noun;
  if (const auto rest = filters_text(f); !rest.empty()) out += " " + rest;
  return out;
}

std::string condition_text(const Filters& c) {
  std::vector<std::string> parts;
  if (c.gender) parts.push_back(fmt::format("were {}", gender_word(*c.gender)));
  if (c.status) parts.push_back(c.status == "finished" ? "finished" : fmt::format("were {}", status_words(*c.status)));
  Filters rest = c;
  rest.gender.reset();
  rest.status.reset();
  if (const auto t = filters_text(rest); !t.empty()) parts.push_back("were " + t);
  return list_words(parts);
}

std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return fmt::format("{}{}", n, suffix);
}

std::string field_text(const Plan& p) {
  switch (p.field) {
    case Field::pace: return "pace";
    case Field::age: return "age";
    case Field::gun_time: return "gun time";
    default: return "chip time";
  }
}

// What a distinct count counts: "teams", "home states", ...
std::string_view distinct_noun(const Plan& p) {
  switch (p.field) {
    case Field::team: return "teams";
    case Field::state: return "home states";
    case Field::city: return "home cities";
    case Field::country: return "countries";
    default: return "events";
  }
}

std::string statistic_text(const Plan& p) {
  const bool age = p.field == Field::age;
  switch (p.statistic) {
    case Statistic::average: return "average";
    case Statistic::median: return "median";
    case Statistic::minimum: return age ? "youngest" : "fastest";
    case Statistic::maximum: return age ? "oldest" : "slowest";
  }
  return {};
}

std::string grouping_text(const Plan& p) {
  switch (p.grouping) {
    case Grouping::none: return {};
    case Grouping::division: return "by division";
    case Grouping::age_band: return "by age band (decades)";
    case Grouping::year: return "by year";
    default: return fmt::format("by {}", to_string(p.grouping));
  }
}

// The groups of a grouping, as a plural noun: "5 age groups", "3 states".
std::string groups_noun(const Plan& p) {
  switch (p.grouping) {
    case Grouping::division: return "age groups";
    case Grouping::age_band: return "age bands";
    case Grouping::city: return "cities";
    default: return fmt::format("{}s", to_string(p.grouping));
  }
}

std::string combine_text(const Plan& p) {
  std::vector<std::string> sides;
  for (int y : p.compare_years) sides.push_back(std::to_string(y));
  if (sides.empty())
    for (char g : p.compare_genders) sides.push_back(gender_word(g));
  if (sides.empty())
    for (const CatalogEvent* e : p.events) sides.push_back(e->event_name);
  if (sides.size() < 2) return {};
  switch (p.combine) {
    case Combine::difference: return fmt::format("{} minus {}", sides[0], sides[1]);
    case Combine::sum:
      // every edition: the years are said once, by the edition's own words
      if (!p.compare_years.empty() && p.compare_years.size() == p.editions.size()) return "every edition together";
      return fmt::format("{} together", list_words(sides));
    case Combine::versus: return fmt::format("{} side by side", list_words(sides, "against"));
    case Combine::none: break;
  }
  return {};
}

std::string time_of(const ResultSet& rows, std::size_t r, std::string_view column) {
  const auto ms = as_int(rows.at(r, column));
  return ms ? sport::format_duration(*ms) : "no time";
}

std::string person(const ResultSet& rows, std::size_t r) {
  return fmt::format("{} {}", as_text(rows.at(r, "first_name")), as_text(rows.at(r, "last_name")));
}

std::string pace_text(std::int64_t ms_per_km) {
  return fmt::format("{} per km ({} per mile)", sport::format_pace(ms_per_km), sport::format_pace(sport::mile_pace_from_km(ms_per_km)));
}

// A row's city and state as one says them ("Asbury Park, NJ"), or the one recorded, or "".
std::string place_text(const ResultSet& rows, std::size_t r) {
  const std::string city = as_text(rows.at(r, "city")), state = as_text(rows.at(r, "state"));
  return city.empty() ? state : state.empty() ? city : city + ", " + state;
}

// What was asked of a placed person besides the place and time ("the winner's pace", "how old was the
// runner-up"): ", a pace of 4:45 per km (7:39 per mile)", ", age 34".
std::string asked_detail(const Plan& p, const ResultSet& rows, std::size_t r) {
  if (p.field == Field::pace) {
    const auto ms = as_int(rows.at(r, "pace_ms_per_km"));
    return ms ? ", a pace of " + pace_text(*ms) : ", no pace recorded";
  }
  if (p.field == Field::age) {
    const auto age = as_int(rows.at(r, "age"));
    return age ? fmt::format(", age {}", *age) : ", age not recorded";
  }
  if (p.field == Field::gun_time) {
    const auto ms = as_int(rows.at(r, "gun_time_ms"));
    return ms ? ", gun time " + sport::format_duration(*ms) : ", no gun time recorded";
  }
  if (p.field == Field::state) {
    const std::string place = place_text(rows, r);
    return place.empty() ? ", home not recorded" : ", from " + place;
  }
  return {};
}

// The group a person's row stands for: its year, gender, division, state, ...
std::string row_group(const Plan& p, const ResultSet& rows, std::size_t r) {
  switch (p.grouping) {
    case Grouping::year: return as_text(rows.at(r, "event_date")).substr(0, 4);
    case Grouping::gender: return as_text(rows.at(r, "gender"));
    case Grouping::division: return as_text(rows.at(r, "division"));
    case Grouping::state: return as_text(rows.at(r, "state"));
    case Grouping::city: return as_text(rows.at(r, "city"));
    case Grouping::team: return as_text(rows.at(r, "team"));
    case Grouping::event: return as_text(rows.at(r, "event_name"));
    case Grouping::race: return as_text(rows.at(r, "race_name"));
    case Grouping::age_band: {
      const auto age = as_int(rows.at(r, "age"));
      return age ? fmt::format("{}s", *age / 10 * 10) : "no age";
    }
    case Grouping::none: break;
  }
  return {};
}

std::string number_text(const Value& v) {
  if (const auto i = as_int(v); i && std::holds_alternative<std::int64_t>(v)) return std::to_string(*i);
  if (const auto d = as_real(v)) return fmt::format("{:.1f}", *d);
  return as_text(v);
}

// A scalar's words: times as H:MM:SS, paces per km and mile, numbers as they are.
// A measured value as said, by its column: times as H:MM:SS (a difference may be negative), paces per km
// and mile, percents with their sign, other numbers as they are.
std::string measured_text(std::string_view column, const Value& v) {
  if (column == "pace_ms_per_km") return pace_text(as_int(v).value_or(0));
  if (column.ends_with("_time_ms")) {
    const auto ms = as_int(v).value_or(0);
    return ms < 0 ? "-" + sport::format_duration(-ms) : sport::format_duration(ms);
  }
  return column == "percent" ? number_text(v) + "%" : number_text(v);
}

std::string scalar_text(const ResultSet& rows) {
  if (rows.rows.empty() || rows.rows[0].empty() || is_null(rows.rows[0][0])) return "no value (no one matches)";
  return measured_text(rows.columns[0], rows.rows[0][0]);
}

// A group's name: its key, or the name beside an id key (events, races).
std::string group_key(const ResultSet& rows, std::size_t r) {
  if (rows.columns[0] == "age_band") {  // the decade's first age: "40-49"
    const auto band = as_int(rows.rows[r][0]);
    return band ? fmt::format("{}-{}", *band, *band + 9) : "no age";
  }
  if (rows.columns.size() < 3 || !rows.columns[0].ends_with("_id")) return as_text(rows.rows[r][0]);
  // races of several events: "Half Marathon (Charles River Half Marathon)", not three "Half Marathon"s
  const auto event = std::find(rows.columns.begin(), rows.columns.end(), "event_name");
  if (rows.columns[0] == "race_id" && event != rows.columns.end()) {
    const auto column = static_cast<std::size_t>(event - rows.columns.begin());
    const bool several = std::any_of(rows.rows.begin(), rows.rows.end(),
                                     [&](const auto& row) { return as_text(row[column]) != as_text(rows.rows[0][column]); });
    if (several) return fmt::format("{} ({})", as_text(rows.rows[r][1]), as_text(rows.rows[r][column]));
  }
  return as_text(rows.rows[r][1]);
}

// The column a grouped answer measures: a share's percent (its population's size follows it), else the last.
std::size_t value_column(const ResultSet& rows) {
  const auto percent = std::find(rows.columns.begin(), rows.columns.end(), "percent");
  return percent != rows.columns.end() ? static_cast<std::size_t>(percent - rows.columns.begin()) : rows.columns.size() - 1;
}

// A group's measured value as said (measured_text); no value: "-".
std::string value_text(const ResultSet& rows, std::size_t r) {
  const std::size_t value = value_column(rows);
  const Value& v = rows.rows[r][value];
  return is_null(v) ? "-" : measured_text(rows.columns[value], v);
}

std::string groups_text(const ResultSet& rows) {
  std::string parts;
  for (std::size_t r = 0; r < rows.rows.size() && r < 12; ++r) {
    const std::string key = group_key(rows, r);
    parts += fmt::format("{}{} {}", r ? ", " : "", key.empty() ? "(none)" : key, value_text(rows, r));
  }
  if (rows.rows.size() > 12) parts += ", ...";
  return parts.empty() ? "none" : parts;
}

}  // namespace

std::string interpret(const Plan& p) {
  // "women finishers" "of the Boston Marathon 2024" "aged 40 to 49 with chip time under 3:00:00"
  Filters gender;
  gender.gender = p.who.gender;
  const std::string rest = filters_text(p.who);
  const std::string of = edition(p) + (rest.empty() ? "" : " " + rest);
  const std::string who = population_text(p, gender);
  std::string out;
  switch (p.measure) {
    case Measure::count: out = fmt::format("Counted {} of {}", who, of); break;
    case Measure::count_distinct:
      out = fmt::format("Counted the different {} of {} of {}", distinct_noun(p), who, of);
      break;
    case Measure::share: out = fmt::format("The percentage of {} of {} who {}", who, of, condition_text(p.condition)); break;
    case Measure::statistic: out = fmt::format("The {} {} of {} of {}", statistic_text(p), field_text(p), who, of); break;
    case Measure::nth_place:
      out = p.nth == 1 ? fmt::format("The winner among {} of {} (by {})", who, of, p.race && p.race->gun_placed ? "gun time" : "chip time")
                       : fmt::format("The {} placed among {} of {}", ordinal(p.nth), who, of);
      break;
    case Measure::extreme:
      out = fmt::format("The {} of {} of {}", p.field == Field::age ? statistic_text(p) : "slowest", who, of);
      break;
    case Measure::top:
      out = p.list_all ? fmt::format("Listed {} of {}, fastest first (at most {})", who, of, p.limit)
                       : fmt::format("The {} {} {} of {}", p.limit, p.descending ? "slowest" : "fastest", who, of);
      break;
    case Measure::division_winners: out = fmt::format("The winner of each division among {} of {}", who, of); break;
    case Measure::person:
      out = p.who.bib ? fmt::format("The result of bib {} at {}", *p.who.bib, of)
                      : fmt::format("The result of {} {} at {}", p.who.first_name.value_or(""), p.who.last_name.value_or(""), of);
      break;
    case Measure::events: {
      out = p.event_name.empty() ? "Listed your events" : fmt::format("Listed the date and place of the {}", p.event_name);
      if (p.compare_years.size() >= 2) out += fmt::format(" from {} to {}", p.compare_years.front(), p.compare_years.back());
      else if (p.year) out += fmt::format(" in {}", *p.year);
      if (p.month) out += fmt::format(" in month {}", *p.month);
      if (p.date_from && p.date_to) out += fmt::format(" from {} to {}", *p.date_from, *p.date_to);
      if (p.event_state) out += fmt::format(" held in {}", *p.event_state);
      if (p.who.status) out += fmt::format(" with status {}", *p.who.status);
      break;
    }
    case Measure::bq_count:
      out = fmt::format("Counted {} of {} at or under their 2026 Boston-qualifying standard", who, of);
      break;
  }
  if (const auto g = grouping_text(p); !g.empty() && p.measure != Measure::division_winners) out += ", " + g;
  if (p.rank_groups) out += fmt::format(", the {} {} first", p.limit, p.descending ? "smallest" : "largest");
  if (const auto c = combine_text(p); !c.empty()) out += ", " + c;
  return out + ".";
}

std::string summarize(const Plan& p, const ResultSet& rows) {
  const std::string of = edition(p);
  auto count = [&] { return rows.rows.empty() ? std::int64_t{0} : as_int(rows.rows[0][0]).value_or(0); };
  if (p.grouping != Grouping::none && p.combine != Combine::difference &&
      (p.measure == Measure::count || p.measure == Measure::count_distinct || p.measure == Measure::statistic ||
       p.measure == Measure::share)) {
    // what each group's value is, with whose it is: the filters are said ("average age of women finishers")
    std::string what = p.measure == Measure::statistic
                           ? fmt::format("{} {} of {}", statistic_text(p), field_text(p), population_text(p, p.who))
                       : p.measure == Measure::share ? fmt::format("percentage of {} who {}", population_text(p, p.who),
                                                                   condition_text(p.condition))
                       : p.measure == Measure::count_distinct ? fmt::format("different {} of {}", distinct_noun(p), population_text(p, p.who))
                           : population_text(p, p.who);
    if (p.rank_groups && !rows.rows.empty()) {
      // what the groups were ranked by: "most finishers", "fastest average chip time", "highest percentage"
      const bool low = p.descending;  // the smallest value first
      const std::string_view end = p.field == Field::age ? (low ? "lowest" : "highest") : (low ? "fastest" : "slowest");
      const std::string ranked =
          p.measure == Measure::count ? fmt::format("{} {}", low ? "fewest" : "most", population_text(p, p.who))
          : p.measure == Measure::share ? fmt::format("{} percentage of {} who {}", low ? "lowest" : "highest",
                                                      population_text(p, p.who), condition_text(p.condition))
          : (p.statistic == Statistic::average ? fmt::format("{} average {}", end, field_text(p))
                                               : fmt::format("{} of the {} {}s", end, statistic_text(p), field_text(p))) +
                (p.who.empty() ? std::string() : " of " + population_text(p, p.who));  // "of women finishers"
      // several groups asked for ("the top 5 states"): each with its value, first first (ties at the end kept)
      if (p.limit > 1)
        return fmt::format("The {} {} with the {} of {}: {}.", rows.rows.size(), groups_noun(p), ranked, of, groups_text(rows));
      // groups tied for the first place are named together
      std::vector<std::string> first;
      for (std::size_t i = 0; i < rows.rows.size() && value_text(rows, i) == value_text(rows, 0); ++i) first.push_back(group_key(rows, i));
      if (p.measure != Measure::count) {  // "Of the X 2024, F35-39 had the fastest average chip time (4:32:34)."
        if (first.size() >= 2) return fmt::format("Of {}, {} tied for the {} ({} each).", of, list_words(first), ranked, value_text(rows, 0));
        return fmt::format("Of {}, {} had the {} ({}).", of, group_key(rows, 0), ranked, value_text(rows, 0));
      }
      if (first.size() >= 2) return fmt::format("{} tied for the {} of {} ({} each).", list_words(first), ranked, of, value_text(rows, 0));
      return fmt::format("{} had the {} of {} ({}).", group_key(rows, 0), ranked, of, value_text(rows, 0));
    }
    return fmt::format("{} of {} {}: {}.", what, of, grouping_text(p), groups_text(rows));
  }
  if (p.grouping != Grouping::none && p.combine != Combine::difference &&
      (p.measure == Measure::nth_place || p.measure == Measure::extreme || p.measure == Measure::top)) {
    // a person per group ("who won among women each year"): each group's, not the first row's alone
    if (rows.rows.empty()) return fmt::format("No {} at {}.", population_text(p, p.who), of);
    std::string parts;
    for (std::size_t r = 0; r < rows.rows.size() && r < 12; ++r)
      parts += fmt::format("{}{}: {} ({})", r ? ", " : "", row_group(p, rows, r), person(rows, r), time_of(rows, r, "results_time_ms"));
    const std::string who = p.measure == Measure::extreme ? fmt::format("The {} of {}", p.field == Field::age ? statistic_text(p) : "slowest",
                                                                       population_text(p, p.who))
                            : p.measure == Measure::top ? fmt::format("The {} fastest {}", p.limit, population_text(p, p.who))
                            : p.nth == 1                ? fmt::format("The winners among {}", population_text(p, p.who))
                                                        : fmt::format("Placed {} among {}", ordinal(p.nth), population_text(p, p.who));
    return fmt::format("{} of {} {}: {}{}.", who, of, grouping_text(p), parts, rows.rows.size() > 12 ? ", ..." : "");
  }
  switch (p.measure) {
    case Measure::count:
      if (p.combine == Combine::difference)
        return fmt::format("{} {}: {} ({} against {}).", population_text(p, p.who), combine_text(p), count(),
                           rows.rows.empty() ? "" : number_text(rows.rows[0][1]), rows.rows.empty() ? "" : number_text(rows.rows[0][2]));
      if (p.population == Population::finishers) {
        const bool one = count() == 1;  // "1 runner finished", not "1 runners"
        std::string who = p.who.gender ? (one ? gender_one(*p.who.gender) : gender_word(*p.who.gender)) : one ? "runner" : "runners";
        if (p.combine == Combine::sum && p.compare_genders.size() >= 2 && p.compare_years.size() < 2) {
          // "100 women and non-binary runners finished": the genders counted together, said
          std::vector<std::string> each;
          for (char g : p.compare_genders) each.push_back(gender_word(g));
          who = list_words(each);
        }
        Filters rest = p.who;
        rest.gender.reset();
        const std::string bounds = rest.min_time_ms || rest.max_time_ms
                                       ? (rest.min_time_ms && rest.max_time_ms
                                              ? fmt::format(" between {} and {}", sport::format_duration(*rest.min_time_ms), sport::format_duration(*rest.max_time_ms))
                                          : rest.max_time_ms ? fmt::format(" under {}", sport::format_duration(*rest.max_time_ms))
                                                             : fmt::format(" over {}", sport::format_duration(*rest.min_time_ms)))
                                       : "";
        rest.min_time_ms.reset();
        rest.max_time_ms.reset();
        if (const auto f = filters_text(rest); !f.empty()) who += " " + f;
        return fmt::format("{} {} finished {}{}.", count(), who, of, bounds);
      }
      return fmt::format("{} {} at {}.", count(), population_text(p, p.who), of);
    case Measure::count_distinct:
    case Measure::share:
    case Measure::statistic:
    case Measure::bq_count: {
      std::string sentence = interpret(p);
      sentence.pop_back();
      return fmt::format("{}: {}.", sentence, scalar_text(rows));
    }
    case Measure::nth_place: {
      if (rows.rows.empty()) return fmt::format("No one placed {} among {} of {}.", ordinal(p.nth), population_text(p, p.who), of);
      // "won" says first of everyone, or of a gender or division; first of a narrower part ("the fastest
      // runner from NJ") is a place among those runners, said so
      Filters narrower = p.who;
      narrower.gender.reset();
      narrower.division.reset();
      // several events or editions: the first of them all, not the winner of one race
      if (p.nth == 1 && (!narrower.empty() || p.combine == Combine::sum || p.all_events || p.events.size() >= 2))
        return fmt::format("{} was first among {} of {} in {}{}.", person(rows, 0), population_text(p, p.who), of,
                           time_of(rows, 0, "results_time_ms"), asked_detail(p, rows, 0));
      if (p.nth == 1 && !p.who.division)
        return fmt::format("{} won {}{} in {}{}.", person(rows, 0), of,
                           p.who.gender ? fmt::format(" among {}", gender_word(*p.who.gender)) : std::string(), time_of(rows, 0, "results_time_ms"),
                           asked_detail(p, rows, 0));
      if (p.nth == 1)
        return fmt::format("{} won {} at {} in {}{}.", person(rows, 0), *p.who.division, of, time_of(rows, 0, "results_time_ms"),
                           asked_detail(p, rows, 0));
      return fmt::format("{} placed {} among {} of {} in {}{}.", person(rows, 0), ordinal(p.nth), population_text(p, p.who), of,
                         time_of(rows, 0, "results_time_ms"), asked_detail(p, rows, 0));
    }
    case Measure::extreme:
      if (rows.rows.empty()) return fmt::format("No {} at {}.", population_text(p, p.who), of);
      return fmt::format("{} was the {} of {} of {} (age {}, {}).", person(rows, 0), p.field == Field::age ? statistic_text(p) : "slowest",
                         population_text(p, p.who), of, as_text(rows.at(0, "age")), time_of(rows, 0, "results_time_ms"));
    case Measure::top:
    case Measure::division_winners: {
      if (rows.rows.empty()) return fmt::format("No {} at {}.", population_text(p, p.who), of);
      std::string names;
      for (std::size_t r = 0; r < rows.rows.size() && r < 3; ++r)
        names += fmt::format("{}{} ({})", r ? ", " : "", person(rows, r), time_of(rows, r, "results_time_ms"));
      if (p.measure == Measure::division_winners)  // a narrowed field ("masters") is said: its divisions only
        return p.who.empty() ? fmt::format("{} division winners at {}: {}{}.", rows.rows.size(), of, names, rows.rows.size() > 3 ? ", ..." : "")
                             : fmt::format("{} division winners among {} of {}: {}{}.", rows.rows.size(), population_text(p, p.who), of,
                                           names, rows.rows.size() > 3 ? ", ..." : "");
      if (p.list_all && rows.rows.size() == 1)
        return fmt::format("The only one of the {} of {}: {}.", population_text(p, p.who), of, names);
      if (p.list_all)  // every row of the population, or its first kListRows
        return fmt::format("{} {} {} of {}, fastest first: {}{}.", rows.rows.size() >= static_cast<std::size_t>(p.limit) ? "The first" : "All",
                           rows.rows.size(), population_text(p, p.who), of, names, rows.rows.size() > 3 ? ", ..." : "");
      return fmt::format("The {} {} {} of {}: {}{}.", rows.rows.size(), p.descending ? "slowest" : "fastest", population_text(p, p.who), of,
                         names, rows.rows.size() > 3 ? ", ..." : "");
    }
    case Measure::person: {
      if (rows.rows.empty()) return fmt::format("No such runner at {}.", of);
      const std::string status = as_text(rows.at(0, "status"));
      if (status != "finished" || is_null(rows.at(0, "results_time_ms")))
        return fmt::format("{} (bib {}) is recorded as {} at {}.", person(rows, 0), as_text(rows.at(0, "bib")), status, of);
      return fmt::format("{} (bib {}) finished {} in {}, place {} overall.", person(rows, 0), as_text(rows.at(0, "bib")), of,
                         time_of(rows, 0, "results_time_ms"), as_text(rows.at(0, "overall_place")));
    }
    case Measure::events: {
      if (!p.event_name.empty() && rows.rows.size() == 1) {  // "when was ...", "where was ... held"
        const std::string place = place_text(rows, 0);
        return fmt::format("{} {}: {}{}.", as_text(rows.at(0, "event_name")), as_text(rows.at(0, "event_date")).substr(0, 4),
                           as_text(rows.at(0, "event_date")), place.empty() ? "" : " in " + place);
      }
      std::string names;
      for (std::size_t r = 0; r < rows.rows.size() && r < 5; ++r)
        names += fmt::format("{}{} ({})", r ? ", " : "", as_text(rows.at(r, "event_name")), as_text(rows.at(r, "event_date")));
      return rows.rows.empty() ? "No events match."
                               : fmt::format("{} events: {}{}.", rows.rows.size(), names, rows.rows.size() > 5 ? ", ..." : "");
    }
  }
  return "";
}

}  // namespace racetiming::nl
