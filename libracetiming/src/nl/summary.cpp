// One sentence a race director would say aloud about an answer.
#include "nl/summary.hpp"

#include <fmt/format.h>

#include "nl/templates.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::nl {
namespace {

std::string edition(const Plan& p) {
  if (!p.event) return p.event_name.empty() ? "your events" : "the " + p.event_name;
  std::string out = fmt::format("the {} {}", p.event->event_name, p.event->year());
  if (p.race && p.event->races.size() > 1) out += fmt::format(" ({})", p.race->race_name);
  return out;
}

std::string who(const Plan& p, std::string_view noun = "runners") {
  std::string out;
  if (p.min_age && p.min_age == 40 && !p.max_age) out += "masters ";
  if (p.gender) out += *p.gender == 'F' ? "women " : *p.gender == 'M' ? "men " : "non-binary ";
  if (!p.gender) out += std::string(noun) + " ";
  else if (noun != "runners") out += std::string(noun) + " ";
  if (p.division) out += fmt::format("in {} ", *p.division);
  if (p.min_age && p.max_age) out += fmt::format("aged {} to {} ", *p.min_age, *p.max_age);
  else if (p.min_age && p.min_age != 40) out += fmt::format("aged {} or older ", *p.min_age);
  else if (p.max_age) out += fmt::format("aged {} or younger ", *p.max_age);
  if (p.state) out += fmt::format("from {} ", *p.state);
  if (p.city) out += fmt::format("from {} ", *p.city);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string bounds(const Plan& p) {
  if (p.min_time_ms && p.max_time_ms)
    return fmt::format(" between {} and {}", sport::format_duration(*p.min_time_ms), sport::format_duration(*p.max_time_ms));
  if (p.max_time_ms) return fmt::format(" under {}", sport::format_duration(*p.max_time_ms));
  if (p.min_time_ms) return fmt::format(" over {}", sport::format_duration(*p.min_time_ms));
  return "";
}

std::string time_of(const ResultSet& rows, std::size_t r, std::string_view column) {
  const auto ms = as_int(rows.at(r, column));
  return ms ? sport::format_duration(*ms) : "no time";
}

std::string person(const ResultSet& rows, std::size_t r) {
  return fmt::format("{} {}", as_text(rows.at(r, "first_name")), as_text(rows.at(r, "last_name")));
}

std::int64_t count(const ResultSet& rows) { return rows.rows.empty() ? 0 : as_int(rows.rows[0][0]).value_or(0); }

}  // namespace

std::string summarize(const Plan& p, const ResultSet& rows) {
  switch (p.intent) {
    case Intent::count_finishers:
      return fmt::format("{} {} finished {}{}.", count(rows), who(p), edition(p), bounds(p));
    case Intent::count_participants:
      return fmt::format("{} {} {} {}.", count(rows), who(p, "entrants"),
                         p.population == Population::starters ? "started" : "registered for", edition(p));
    case Intent::count_status: {
      const std::string_view verb = *p.status == "dnf" ? "did not finish" : *p.status == "dns" ? "did not start" : "were disqualified at";
      return fmt::format("{} {} {} {}.", count(rows), who(p), verb, edition(p));
    }
    case Intent::winner:
      if (rows.rows.empty()) return fmt::format("No {} finished {}.", who(p), edition(p));
      return fmt::format("{} won {}{} in {}.", person(rows, 0), edition(p),
                         p.gender ? fmt::format(" among {}", who(p)) : std::string(), time_of(rows, 0, "results_time_ms"));
    case Intent::top_finishers: {
      if (rows.rows.empty()) return fmt::format("No {} finished {}.", who(p), edition(p));
      std::string names;
      for (std::size_t r = 0; r < rows.rows.size() && r < 3; ++r)
        names += fmt::format("{}{} ({})", r ? ", " : "", person(rows, r), time_of(rows, r, "results_time_ms"));
      return fmt::format("The {} {} {} of {}: {}{}.", rows.rows.size(), p.descending ? "slowest" : "fastest", who(p), edition(p),
                         names, rows.rows.size() > 3 ? ", ..." : "");
    }
    case Intent::division_winners:
      if (rows.rows.empty()) return fmt::format("No division winner {} at {}.", p.division.value_or(""), edition(p));
      if (rows.rows.size() == 1)
        return fmt::format("{} won {} at {} in {}.", person(rows, 0), as_text(rows.at(0, "division")), edition(p),
                           time_of(rows, 0, "results_time_ms"));
      return fmt::format("{} age-group winners at {}.", rows.rows.size(), edition(p));
    case Intent::time_stat: {
      static constexpr std::string_view kWhat[] = {"average", "median", "fastest", "slowest"};
      const std::string value = rows.rows.empty() ? "no time" : time_of(rows, 0, rows.columns[0]);
      return fmt::format("The {} finish time of {} at {} was {}.", kWhat[static_cast<int>(p.statistic)], who(p), edition(p), value);
    }
    case Intent::pace_stat: {
      const auto ms = rows.rows.empty() ? std::nullopt : as_int(rows.rows[0][0]);
      if (!ms) return fmt::format("No {} finished {}.", who(p), edition(p));
      return fmt::format("The average pace of {} at {} was {} per km ({} per mile).", who(p), edition(p),
                         sport::format_pace(*ms), sport::format_pace(sport::mile_pace_from_km(*ms)));
    }
    case Intent::participant_result: {
      if (rows.rows.empty()) return fmt::format("No such runner at {}.", edition(p));
      const std::string status = as_text(rows.at(0, "status"));
      if (status != "finished" || is_null(rows.at(0, "results_time_ms")))
        return fmt::format("{} (bib {}) is recorded as {} at {}.", person(rows, 0), as_text(rows.at(0, "bib")), status, edition(p));
      return fmt::format("{} (bib {}) finished {} in {}, place {} overall.", person(rows, 0), as_text(rows.at(0, "bib")),
                         edition(p), time_of(rows, 0, "results_time_ms"), as_text(rows.at(0, "overall_place")));
    }
    case Intent::breakdown:
    case Intent::trend: {
      std::string parts;
      for (std::size_t r = 0; r < rows.rows.size() && r < 12; ++r)
        parts += fmt::format("{}{} {}", r ? ", " : "", as_text(rows.rows[r][0]), as_text(rows.rows[r][1]));
      const std::string by = p.intent == Intent::trend ? "year" : p.grouping == Grouping::gender ? "gender"
                                                            : p.grouping == Grouping::division ? "age group"
                                                                                               : "state";
      return fmt::format("Finishers of {} by {}: {}.", p.intent == Intent::trend ? "the " + p.event_name : edition(p), by,
                         parts.empty() ? "none" : parts);
    }
    case Intent::compare: {
      if (rows.rows.size() < 2) return fmt::format("The {} does not have results for both years.", p.event_name);
      const auto a = as_int(rows.at(0, "avg_time_ms")).value_or(0), b = as_int(rows.at(1, "avg_time_ms")).value_or(0);
      return fmt::format("The {} {} was {} than {}: an average of {} against {}.", as_text(rows.at(0, "year")), p.event_name,
                         a < b ? "faster" : a > b ? "slower" : "as fast", as_text(rows.at(1, "year")), sport::format_duration(a),
                         sport::format_duration(b));
    }
    case Intent::list_events: {
      std::string names;
      for (std::size_t r = 0; r < rows.rows.size() && r < 5; ++r)
        names += fmt::format("{}{} ({})", r ? ", " : "", as_text(rows.at(r, "event_name")), as_text(rows.at(r, "event_date")));
      return rows.rows.empty() ? "No events match."
                               : fmt::format("{} events: {}{}.", rows.rows.size(), names, rows.rows.size() > 5 ? ", ..." : "");
    }
    case Intent::ranking_events:
      if (rows.rows.empty()) return "No events match.";
      return fmt::format("The {} of {} had the {} {} ({}).", as_text(rows.at(0, "event_name")),
                         as_text(rows.at(0, "event_date")).substr(0, 4), p.fewest ? "fewest" : "most",
                         p.population == Population::entries ? "entrants" : "finishers", as_text(rows.at(0, "count")));
    case Intent::percent: {
      const auto v = rows.rows.empty() ? std::nullopt : as_real(rows.rows[0][0]);
      if (!v) return fmt::format("Nobody started {}.", edition(p));
      return fmt::format("{:.1f}% of {} finished {}.", *v, p.population == Population::entries ? "entrants" : "starters", edition(p));
    }
    case Intent::bq_qualifiers:
      return fmt::format("{} {} qualified for Boston at {}.", count(rows), who(p), edition(p));
    case Intent::llm_query: break;  // the fallback words its own summary
  }
  return "";
}

}  // namespace racetiming::nl
