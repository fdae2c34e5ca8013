// The natural-language route: reads {"query", "format", "context"}, asks the library's engine, and
// answers in the format asked for. Refusals are 422 nl_unsupported with suggestions (see api.cpp).
#include "app/nl_routes.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/error.hpp"
#include "racetiming/format/csv.hpp"
#include "racetiming/format/json.hpp"
#include "app/call_params.hpp"
#include "racetiming/sport/dates.hpp"

namespace racetimingd::app {
namespace {

using racetiming::Error;
using racetiming::ErrorCode;

struct NlRequest {
  std::string query;
  std::string format = "json";
  racetiming::nl::AskContext context;
};

std::string string_member(const rapidjson::Value& object, const char* name, std::string_view where) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return {};
  if (!it->value.IsString())
    throw Error(ErrorCode::invalid_parameter, fmt::format("{}{} must be a string", where, name), std::string(where) + name);
  return {it->value.GetString(), it->value.GetStringLength()};
}

NlRequest read_request(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str(), body.size());
  if (d.HasParseError() || !d.IsObject())
    throw Error(ErrorCode::invalid_parameter, "the body must be a JSON object with a \"query\"", "body");
  NlRequest r;
  r.query = string_member(d, "query", "");
  if (r.query.empty()) throw Error(ErrorCode::invalid_parameter, "query is required", "query");
  if (auto f = string_member(d, "format", ""); !f.empty()) r.format = f;
  if (r.format != "json" && r.format != "csv" && r.format != "summary")
    throw Error(ErrorCode::invalid_parameter, "format must be json, csv or summary", "format");
  if (auto c = d.FindMember("context"); c != d.MemberEnd() && !c->value.IsNull()) {
    if (!c->value.IsObject()) throw Error(ErrorCode::invalid_parameter, "context must be an object", "context");
    if (auto name = string_member(c->value, "event_name", "context."); !name.empty()) r.context.event_name = name;
    r.context.today = string_member(c->value, "today", "context.");
    if (!r.context.today.empty() && !racetiming::sport::is_iso_date(r.context.today))
      throw Error(ErrorCode::invalid_parameter, "context.today must be a date (YYYY-MM-DD)", "context.today");
    if (auto prev = c->value.FindMember("previous"); prev != c->value.MemberEnd() && !prev->value.IsNull()) {
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
      prev->value.Accept(w);
      r.context.previous = racetiming::nl::follow_up_from_json({buffer.GetString(), buffer.GetSize()});
    }
    if (auto y = c->value.FindMember("year"); y != c->value.MemberEnd() && !y->value.IsNull()) {
      if (!y->value.IsInt()) throw Error(ErrorCode::invalid_parameter, "context.year must be an integer", "context.year");
      r.context.year = y->value.GetInt();
    }
  }
  return r;
}

void write_alias(rapidjson::Writer<rapidjson::StringBuffer>& w, const racetiming::nl::EventAliasRecord& a) {
  w.StartObject();
  w.Key("event_alias_id");
  w.Int64(a.event_alias_id);
  w.Key("alias");
  w.String(a.alias.c_str(), static_cast<rapidjson::SizeType>(a.alias.size()));
  w.Key("event_name");
  w.String(a.event_name.c_str(), static_cast<rapidjson::SizeType>(a.event_name.size()));
  w.EndObject();
}

}  // namespace

void add_nl_routes(Router& router, const std::string& prefix) {
  router.add({.method = "GET", .pattern = prefix + "/event-aliases", .permission = "read:events",
              .summary = "List the partner's own names for its events (read by /nl-query)",
              .handler = [](const Call& c) {
                rapidjson::StringBuffer buffer;
                rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
                w.StartObject();
                w.Key("data");
                w.StartArray();
                for (const auto& a : c.partner().event_aliases()) write_alias(w, a);
                w.EndArray();
                w.EndObject();
                http::Response r;
                r.body.assign(buffer.GetString(), buffer.GetSize());
                return r;
              },
              .tag = "nl",
              .response = "EventAliasList"});
  router.add({.method = "POST", .pattern = prefix + "/event-aliases", .permission = "write:events",
              .summary = "Register a name for an event (every edition of its name), read by /nl-query",
              .handler = [](const Call& c) {
                rapidjson::Document d;
                d.Parse(c.request.body.c_str(), c.request.body.size());
                if (d.HasParseError() || !d.IsObject())
                  throw Error(ErrorCode::invalid_parameter, "the body must be a JSON object with \"alias\" and \"event_name\"", "body");
                const auto alias = string_member(d, "alias", "");
                const auto event_name = string_member(d, "event_name", "");
                if (alias.empty()) throw Error(ErrorCode::invalid_parameter, "alias is required", "alias");
                if (event_name.empty()) throw Error(ErrorCode::invalid_parameter, "event_name is required", "event_name");
                const auto added = c.partner().add_event_alias(alias, event_name);
                rapidjson::StringBuffer buffer;
                rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
                write_alias(w, added);
                http::Response r;
                r.status = 201;
                r.body.assign(buffer.GetString(), buffer.GetSize());
                return r;
              },
              .tag = "nl",
              .body = "EventAliasWrite",
              .response = "EventAlias",
              .status = 201});
  router.add({.method = "DELETE", .pattern = prefix + "/event-aliases/{event_alias_id}", .permission = "write:events",
              .summary = "Remove an event alias",
              .handler = [](const Call& c) {
                c.partner().remove_event_alias(path_id(c, "event_alias_id"));
                http::Response r;
                r.status = 204;
                r.content_type.clear();
                return r;
              },
              .tag = "nl",
              .status = 204});
  router.add({.method = "POST", .pattern = prefix + "/nl-query", .permission = "run:nl-query",
              .summary = "Answer a question in plain English about the partner's data",
              .handler = [](const Call& c) {
                const NlRequest q = read_request(c.request.body);
                auto asked = c.partner().ask(q.query, q.context);
                if (!asked) {  // the problem writer answers 422 with the suggestions and the words not understood
                  auto& refusal = asked.error();
                  throw racetiming::nl::NlUnsupported(refusal.reason, refusal.suggestions, refusal.unknown_words);
                }
                const auto& answer = *asked;
                http::Response r;
                if (q.format == "csv") {
                  r.content_type = "text/csv; charset=utf-8";
                  r.body = racetiming::format::rows_csv(answer.rows);
                } else if (q.format == "summary") {
                  r.content_type = "text/plain; charset=utf-8";
                  r.body = answer.summary + "\n";
                } else {
                  r.body = racetiming::format::answer_json(answer);
                }
                return r;
              },
              .tag = "nl",
              .body = "NlQuery",
              .response = "NlAnswer",
              .rate_class = "nl-query",
              .cacheable = true});
}

}  // namespace racetimingd::app
