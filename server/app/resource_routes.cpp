// The routes of the four resources and of imports, under one prefix: list, get, create, replace,
// update, delete, the nested lists of api.md, and POST /imports. Each handler reads the call, calls the
// library, and writes the answer.
#include "app/resource_routes.hpp"

#include <fmt/format.h>

#include "app/call_params.hpp"
#include "racetiming/error.hpp"
#include "racetiming/format/json.hpp"
#include "racetiming/engine.hpp"
#include "racetiming/integrations/provider.hpp"

namespace racetimingd::app {
namespace {

namespace rt = racetiming;
namespace service = racetiming::service;
using racetiming::Error;
using racetiming::ErrorCode;
using service::Resource;

// The query parameters participants and results lists share.
template <class Filter>
Filter entry_filter(const Call& c) {
  Filter f;
  f.event_id = id_query(c, "event_id");
  f.race_id = id_query(c, "race_id");
  f.gender = text_query(c, "gender");
  f.division = text_query(c, "division");
  f.status = text_query(c, "status");
  return f;
}

rt::EventsQuery::Filter events_filter(const Call& c) {
  rt::EventsQuery::Filter f;
  f.status = text_query(c, "status");
  if (auto y = text_query(c, "year")) f.year = static_cast<int>(id_param(*y, "year"));
  f.name_contains = text_query(c, "q");
  return f;
}

rt::ParticipantsQuery::Filter participants_filter(const Call& c) {
  auto f = entry_filter<rt::ParticipantsQuery::Filter>(c);
  f.bib = text_query(c, "bib");
  f.name = text_query(c, "name");
  return f;
}

rt::ResultsQuery::Filter results_filter(const Call& c) {
  auto f = entry_filter<rt::ResultsQuery::Filter>(c);
  f.min_time_ms = time_query(c, "min_time");
  f.max_time_ms = time_query(c, "max_time");
  return f;
}

std::vector<Param> page_params(std::vector<std::string> sorts) {
  return {{"limit", "query", "integer", "Rows per page (default 50, at most 1000)"},
          {"cursor", "query", "string", "next_cursor of the previous page"},
          {"sort", "query", "string", "Sort key, '-' first for descending", std::move(sorts)}};
}

std::vector<Param> with(std::vector<Param> a, const std::vector<Param>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::vector<Param> kEntryFilters{
    {"event_id", "query", "integer", "Only this event"},
    {"race_id", "query", "integer", "Only this race"},
    {"gender", "query", "string", "M, F or X", {"M", "F", "X"}},
    {"division", "query", "string", "Division label, e.g. F40-44"},
    {"status", "query", "string", "Entry status", {"registered", "started", "finished", "dnf", "dns", "dq"}},
};
const std::vector<Param> kEventFilters{
    {"status", "query", "string", "Event status", {"scheduled", "active", "completed", "cancelled"}},
    {"year", "query", "integer", "Events of this calendar year"},
    {"q", "query", "string", "Name contains (case-insensitive)"},
};
const std::vector<Param> kParticipantFilters = with(kEntryFilters, {{"bib", "query", "string", "Bib"},
                                                                    {"name", "query", "string", "First or last name contains"}});
const std::vector<Param> kResultFilters = with(kEntryFilters, {{"min_time", "query", "duration", "Chip time at least"},
                                                               {"max_time", "query", "duration", "Chip time at most"}});

// What the generic routes of one resource need to know.
struct ResourceSpec {
  Resource resource;
  std::string collection;  // "/events"
  std::string id_name;     // "event_id"
  std::string schema;      // "Event"
  std::vector<Param> list_params;
  std::function<service::PlannedRead<rt::PageJson>(const Call&)> plan_list;
};

// A route whose work is one planned read: the API may run `read` on the I/O thread; `handler` runs the
// same read on a worker.
Route read_route(Route r) {
  r.handler = [read = r.read](const Call& c) { return c.partner().run(read(c)); };
  r.cacheable = true;
  return r;
}

http::Response no_content() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

void add_resource(Router& router, const std::string& prefix, const ResourceSpec& s) {
  const std::string item = s.collection + "/{" + s.id_name + "}";
  const std::string tag = s.collection.substr(1);
  const std::string noun = (s.resource == Resource::event ? "an " : "a ") + std::string(service::to_string(s.resource));
  const Resource res = s.resource;
  const std::string id_name = s.id_name;
  const std::string reads(service::read_permission(res)), writes(service::write_permission(res));
  router.add(read_route({.method = "GET", .pattern = prefix + s.collection, .permission = reads,
                         .summary = "List " + tag,
                         .read = [plan = s.plan_list](const Call& c) {
                           return plan(c).then(
                               [target = c.request.target](rt::PageJson page) { return page_response(target, std::move(page)); });
                         },
                         .tag = tag, .params = s.list_params, .response = s.schema + "Page"}));
  router.add(read_route({.method = "GET", .pattern = prefix + item, .permission = reads,
                         .summary = "Get " + noun,
                         .read = [res, id_name](const Call& c) {
                           return c.partner().plan_record(res, path_id(c, id_name)).then([](const rt::ResultSet& rows) {
                             return row_response(rows);
                           });
                         },
                         .tag = tag, .response = s.schema}));
  router.add({.method = "POST", .pattern = prefix + s.collection, .permission = writes,
              .summary = "Create " + noun,
              .handler = [res, collection = s.collection](const Call& c) {
                std::optional<std::string> key;
                if (auto k = c.request.header("Idempotency-Key"); !k.empty()) key = k;
                auto created = c.partner().create(res, rt::format::fields_from_json(c.request.body, res), key);
                http::Response r = row_response(created.row, 201);
                r.headers.emplace_back("Location",
                                       fmt::format("/api/v1/partners/{}{}/{}", c.partner().partner_id(), collection, created.id));
                if (created.replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
                return r;
              },
              .tag = tag,
              .params = {{"Idempotency-Key", "header", "string",
                          "A retry with the same key and body answers the first request's row instead of creating another"}},
              .body = s.schema + "Write", .response = s.schema, .status = 201});
  for (const bool replace : {true, false}) {
    router.add({.method = replace ? "PUT" : "PATCH", .pattern = prefix + item, .permission = writes,
                .summary = replace ? "Replace " + noun : "Update some fields of " + noun,
                .handler = [res, id_name, replace](const Call& c) {
                  return row_response(
                      c.partner().update(res, path_id(c, id_name), rt::format::fields_from_json(c.request.body, res), replace));
                },
                .tag = tag, .body = s.schema + "Write", .response = s.schema});
  }
  std::vector<Param> delete_params;
  if (res != Resource::result)
    delete_params.push_back({"cascade", "query", "boolean", "Also delete what it holds when it has results"});
  router.add({.method = "DELETE", .pattern = prefix + item, .permission = writes,
              .summary = "Delete " + noun,
              .handler = [res, id_name](const Call& c) {
                c.partner().remove(res, path_id(c, id_name), flag_query(c, "cascade"));
                return no_content();
              },
              .tag = tag, .params = delete_params, .status = 204});
}

// A nested list: the parent must be the partner's (404 otherwise), then the child list narrowed to it.
template <class Filter>
Route nested(const std::string& prefix, std::string pattern, std::string permission, std::string summary,
             std::vector<Param> params, std::string response, Resource parent, std::string parent_id,
             std::function<Filter(const Call&)> filter, std::optional<std::int64_t> Filter::*field) {
  Route r{.method = "GET", .pattern = prefix + pattern, .permission = std::move(permission), .summary = std::move(summary)};
  r.handler = [parent, parent_id, filter = std::move(filter), field](const Call& c) {
    const auto id = path_id(c, parent_id);
    c.partner().record(parent, id);
    Filter f = filter(c);
    f.*field = id;
    return page_response(c.request.target, c.partner().run(c.partner().plan_page_json(f, page_request(c))));
  };
  r.tag = pattern.substr(1, pattern.find('/', 1) - 1);
  r.params = std::move(params);
  r.response = std::move(response);
  r.cacheable = true;
  return r;
}

}  // namespace

void add_resource_routes(Router& router, const std::string& prefix) {
  add_resource(router, prefix,
               {Resource::event, "/events", "event_id", "Event",
                with(kEventFilters, page_params({"event_date", "-event_date", "event_name", "-event_name", "event_id", "-event_id"})),
                [](const Call& c) { return c.partner().plan_page_json(events_filter(c), page_request(c)); }});
  add_resource(router, prefix,
               {Resource::race, "/races", "race_id", "Race",
                with({{"event_id", "query", "integer", "Only this event"}}, page_params({"race_id", "-race_id"})),
                [](const Call& c) {
                  return c.partner().plan_page_json(rt::RacesQuery::Filter{id_query(c, "event_id")}, page_request(c));
                }});
  add_resource(router, prefix,
               {Resource::participant, "/participants", "participant_id", "Participant",
                with(kParticipantFilters, page_params({"participant_id", "bib", "last_name"})),
                [](const Call& c) { return c.partner().plan_page_json(participants_filter(c), page_request(c)); }});
  add_resource(router, prefix,
               {Resource::result, "/results", "result_id", "Result",
                with(kResultFilters, page_params({"results_time_ms", "-results_time_ms", "bib", "last_name"})),
                [](const Call& c) { return c.partner().plan_page_json(results_filter(c), page_request(c)); }});

  router.add(nested<rt::RacesQuery::Filter>(
      prefix, "/events/{event_id}/races", "read:events", "List an event's races", page_params({"race_id", "-race_id"}),
      "RacePage", Resource::event, "event_id", [](const Call&) { return rt::RacesQuery::Filter{}; }, &rt::RacesQuery::Filter::event_id));
  router.add(nested<rt::ParticipantsQuery::Filter>(
      prefix, "/events/{event_id}/participants", "read:participants", "List an event's participants",
      with(kParticipantFilters, page_params({"participant_id", "bib", "last_name"})), "ParticipantPage", Resource::event,
      "event_id", participants_filter, &rt::ParticipantsQuery::Filter::event_id));
  router.add(nested<rt::ResultsQuery::Filter>(
      prefix, "/events/{event_id}/results", "read:results", "List an event's results",
      with(kResultFilters, page_params({"results_time_ms", "-results_time_ms", "bib", "last_name"})), "ResultPage",
      Resource::event, "event_id", results_filter, &rt::ResultsQuery::Filter::event_id));
  router.add(nested<rt::ResultsQuery::Filter>(
      prefix, "/races/{race_id}/results", "read:results", "List a race's results",
      with(kResultFilters, page_params({"results_time_ms", "-results_time_ms", "bib", "last_name"})), "ResultPage",
      Resource::race, "race_id", results_filter, &rt::ResultsQuery::Filter::race_id));

  router.add({.method = "POST", .pattern = prefix + "/imports", .permission = "write:results",
              .summary = "Import an interchange CSV (events, races, entries and results)",
              .handler = [](const Call& c) {
                rt::ingest::ImportOptions options;
                const auto on_error = text_query(c, "on_error").value_or("abort");
                if (on_error != "abort" && on_error != "skip")
                  throw Error(ErrorCode::invalid_parameter, "on_error must be abort or skip", "on_error");
                options.on_error = on_error == "skip" ? rt::ingest::OnError::skip : rt::ingest::OnError::abort;
                options.ignore_unknown_columns = flag_query(c, "ignore_unknown_columns");
                options.source = text_query(c, "source").value_or("api");
                http::Response r;
                const auto format = text_query(c, "format").value_or("interchange");
                if (format == "interchange") {
                  r.body = rt::format::import_report_json(c.partner().import_csv(c.request.body, options));
                  return r;
                }
                // a provider's results document: the event and race it belongs to come with it
                const auto provider = rt::integrations::parse_provider(format, "format");
                rt::integrations::RaceContext race;
                race.event_name = text_query(c, "event_name").value_or("");
                race.event_date = text_query(c, "event_date").value_or("");
                race.event_city = text_query(c, "event_city").value_or("");
                race.event_state = text_query(c, "event_state").value_or("");
                race.event_country = text_query(c, "event_country").value_or("");
                race.race_name = text_query(c, "race_name").value_or("");
                if (auto d = id_query(c, "distance_m")) race.race_distance_m = static_cast<std::int32_t>(std::min<std::int64_t>(*d, 1'000'000));
                r.body = rt::format::import_report_json(c.partner().import_results(provider, c.request.body, race, options));
                return r;
              },
              .tag = "imports",
              .params = {{"on_error", "query", "string", "abort (default): a bad row imports nothing; skip: leave bad rows out",
                          {"abort", "skip"}},
                         {"ignore_unknown_columns", "query", "boolean", "Accept columns the format does not know"},
                         {"source", "query", "string", "Name of the file or feed, kept in the sync history"},
                         {"format", "query", "string",
                          "interchange (default: the CSV body), or a provider's results document (JSON body) of one race",
                          {"interchange", "runsignup", "chronotrack", "raceroster"}},
                         {"event_name", "query", "string", "With a provider's format: the event"},
                         {"event_date", "query", "string", "With a provider's format: the event's date (YYYY-MM-DD)"},
                         {"event_city", "query", "string", "With a provider's format: where the event is"},
                         {"event_state", "query", "string", "With a provider's format: where the event is"},
                         {"event_country", "query", "string", "With a provider's format: where the event is"},
                         {"race_name", "query", "string", "With a provider's format: the race"},
                         {"distance_m", "query", "integer", "With a provider's format: the race's distance (default: from race_name)"}},
              .body = "text/csv", .response = "ImportReport", .body_limit = kImportBodyLimit, .rate_class = "imports"});
}

}  // namespace racetimingd::app
