#include "app/report_routes.hpp"

#include <charconv>
#include <functional>

#include <fmt/format.h>

#include "app/call_params.hpp"
#include "racetiming/racetiming.hpp"

namespace racetimingd::app {
namespace {

namespace rt = racetiming;
using rt::Error;
using rt::ErrorCode;

// A whole number, negative too (the library says which range it takes).
std::optional<int> int_query(const Call& c, std::string_view name) {
  const auto text = text_query(c, name);
  if (!text) return std::nullopt;
  int v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size())
    throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be an integer", name), std::string(name));
  return v;
}

// JSON (the default), one table as CSV (format=csv or Accept: text/csv), or, where the report is drawn
// (`svg` given), a chart: format=svg.
http::Response report_response(const Call& c, const rt::Report& report,
                               const std::function<std::string(const rt::Report&)>& svg = {}) {
  const auto format = text_query(c, "format").value_or(c.request.header("Accept").find("text/csv") != std::string_view::npos ? "csv" : "json");
  http::Response r;
  if (format == "csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = rt::format::report_csv(report, text_query(c, "table").value_or(""));
  } else if (format == "json") {
    r.body = rt::format::report_json(report);
  } else if (format == "svg" && svg) {
    r.content_type = "image/svg+xml";
    r.body = svg(report);
  } else {
    throw Error(ErrorCode::invalid_parameter, svg ? "format must be json, csv or svg" : "format must be json or csv", "format");
  }
  return r;
}

std::int64_t race_id(const Call& c) {
  const auto id = id_query(c, "race_id");
  if (!id) throw Error(ErrorCode::invalid_parameter, "race_id is required", "race_id");
  return *id;
}

const Param kFormat{"format", "query", "string", "json (default) or csv (one table: the main one, or `table`)", {"json", "csv"}};
const Param kChartFormat{"format", "query", "string",
                         "json (default), csv (one table: the main one, or `table`) or svg (a chart: the histogram, or the trend)",
                         {"json", "csv", "svg"}};
const Param kTable{"table", "query", "string", "with format=csv: which table"};
const Param kRace{"race_id", "query", "integer", "The race"};
const Param kEvent{"event_id", "query", "integer", "The event (each of its races)"};

}  // namespace

void add_report_routes(Router& router, const std::string& prefix) {
  router.add({.method = "GET", .pattern = prefix + "/analytics/performance", .permission = "read:analytics",
              .summary = "Finish-time statistics (percentiles, pace, age grades) overall, by gender and division, and a histogram",
              .handler = [](const Call& c) {
                const auto race = id_query(c, "race_id");
                return report_response(c, c.partner().performance({race, id_query(c, "event_id")}),
                                       [race](const rt::Report& r) { return rt::format::histogram_svg(r, race); });
              },
              .tag = "analytics", .params = {kRace, kEvent, kChartFormat, kTable}, .response = "Report", .cacheable = true});
  router.add({.method = "GET", .pattern = prefix + "/analytics/demographics", .permission = "read:analytics",
              .summary = "Entries, starters, finishers and finish rate by gender, division, age band, state, country and team",
              .handler = [](const Call& c) {
                return report_response(c, c.partner().demographics({id_query(c, "race_id"), id_query(c, "event_id"), int_query(c, "year")}));
              },
              .tag = "analytics",
              .params = {kRace, kEvent, {"year", "query", "integer", "The partner's events of one year"}, kFormat, kTable},
              .response = "Report", .cacheable = true});
  router.add({.method = "GET", .pattern = prefix + "/analytics/trends", .permission = "read:analytics",
              .summary = "Per edition of an event, or per year: entries, finishers, finish rate, median time, women and masters",
              .handler = [](const Call& c) {
                rt::analytics::TrendsRequest q{text_query(c, "event_name").value_or(""), int_query(c, "year_from"),
                                               int_query(c, "year_to"), std::nullopt};
                if (auto m = int_query(c, "distance_m")) q.distance_m = *m;
                const auto measure = text_query(c, "measure").value_or("finishers");
                return report_response(c, c.partner().trends(q),
                                       [&measure](const rt::Report& r) { return rt::format::trends_svg(r, measure); });
              },
              .tag = "analytics",
              .params = {{"event_name", "query", "string", "The recurring event (else: per year)"},
                         {"year_from", "query", "integer", "First year"},
                         {"year_to", "query", "integer", "Last year"},
                         {"distance_m", "query", "integer", "The race distance read (metres)"},
                         {"measure", "query", "string", "With format=svg: what the bars show (default finishers)",
                          {"finishers", "entries", "starters", "finish_rate", "median_time", "women_percent", "masters_percent"}},
                         kChartFormat,
                         kTable},
              .response = "Report", .cacheable = true});
  router.add({.method = "GET", .pattern = prefix + "/reports/finishers", .permission = "read:results",
              .summary = "The official results list of a race, with age grades",
              .handler = [](const Call& c) { return report_response(c, c.partner().finishers(race_id(c))); },
              .tag = "reports", .params = {kRace, kFormat}, .response = "Report", .cacheable = true});
  router.add({.method = "GET", .pattern = prefix + "/reports/awards", .permission = "read:results",
              .summary = "Awards: top N overall per gender, masters per gender, top M per division",
              .handler = [](const Call& c) {
                rt::reports::AwardsRequest q;
                q.race_id = race_id(c);
                q.overall = int_query(c, "overall").value_or(q.overall);
                q.masters = int_query(c, "masters").value_or(q.masters);
                q.division = int_query(c, "division").value_or(q.division);
                q.double_awards = flag_query(c, "double_awards");
                q.division_bands = text_query(c, "division_bands").value_or("");
                return report_response(c, c.partner().awards(q));
              },
              .tag = "reports",
              .params = {kRace,
                         {"overall", "query", "integer", "Awards per gender overall (default 3)"},
                         {"masters", "query", "integer", "Masters (40+) awards per gender (default 0)"},
                         {"division", "query", "integer", "Awards per division (default 3)"},
                         {"double_awards", "query", "boolean", "A winner may win in more than one category"},
                         {"division_bands", "query", "string",
                          "This race's award divisions instead of the 5-year bands: 1-19,20-29,30-39,40-49,50-59,60+"},
                         kFormat},
              .response = "Report", .cacheable = true});
  router.add({.method = "GET", .pattern = prefix + "/reports/boston-qualifiers", .permission = "read:results",
              .summary = "A marathon's finishers at or under their Boston standard, with the margin",
              .handler = [](const Call& c) { return report_response(c, c.partner().boston_qualifiers(race_id(c))); },
              .tag = "reports", .params = {kRace, kFormat}, .response = "Report", .cacheable = true});
}

}  // namespace racetimingd::app
