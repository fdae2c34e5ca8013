#include "app/openapi.hpp"

#include <map>
#include <set>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "racetiming/service/resource_schema.hpp"

namespace racetimingd::app {
namespace {

namespace service = racetiming::service;
using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Streaming JSON with a few words for the shapes OpenAPI repeats.
class Doc {
 public:
  explicit Doc(Writer& w) : w_(w) {}
  Doc& key(std::string_view k) {
    w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    return *this;
  }
  Doc& str(std::string_view v) {
    w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    return *this;
  }
  Doc& field(std::string_view k, std::string_view v) { return key(k).str(v); }
  Doc& field(std::string_view k, std::int64_t v) {
    key(k);
    w_.Int64(v);
    return *this;
  }
  Doc& flag(std::string_view k, bool v) {
    key(k);
    w_.Bool(v);
    return *this;
  }
  Doc& ref(std::string_view k, std::string_view target) {
    key(k).open();
    field("$ref", target);
    return close();
  }
  Doc& open() {
    w_.StartObject();
    return *this;
  }
  Doc& close() {
    w_.EndObject();
    return *this;
  }
  Doc& list() {
    w_.StartArray();
    return *this;
  }
  Doc& end_list() {
    w_.EndArray();
    return *this;
  }
  // "type": "x" or, when nullable, "type": ["x", "null"]
  Doc& type(std::string_view t, bool nullable = false) {
    key("type");
    if (!nullable) return str(t);
    return list().str(t).str("null").end_list();
  }

 private:
  Writer& w_;
};

std::string schema_name(service::Resource r) {
  std::string name(service::to_string(r));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// A row as reads return it: every column, plus the printed forms the JSON formatter adds.
void row_schema(Doc& d, service::Resource r) {
  d.key(schema_name(r)).open().type("object").key("properties").open();
  for (const auto& c : service::resource_columns(r)) {
    d.key(c.name).open();
    switch (c.type) {
      case service::FieldType::integer:
      case service::FieldType::duration_ms: d.type("integer", true); break;
      case service::FieldType::boolean: d.type("integer", true); break;  // 1 or 0, as both databases give it
      case service::FieldType::date: d.type("string", true).field("format", "date"); break;
      default: d.type("string", true);
    }
    d.field("description", c.description).close();
    if (c.name.ends_with("_time_ms")) {
      d.key(c.name.substr(0, c.name.size() - 3)).open().type("string", true).field("description", "H:MM:SS").close();
    } else if (c.name == "pace_ms_per_km") {
      for (auto name : {"pace_per_km", "pace_per_mile"})
        d.key(name).open().type("string", true).field("description", "M:SS").close();
    }
  }
  if (r == service::Resource::result) {  // derived from the row by the library, not stored
    d.key("age_grade").open().type("number", true).field("description", "Age grade in percent, to the hundredth (finishes of a graded distance)").close();
    d.key("age_graded_time_ms").open().type("integer", true).field("description", "Age-graded time in ms (time * the age factor)").close();
    d.key("age_graded_time").open().type("string", true).field("description", "H:MM:SS").close();
  }
  d.close().close();
}

void write_schema(Doc& d, service::Resource r) {
  d.key(schema_name(r) + "Write").open().type("object").flag("additionalProperties", false);
  d.key("required").list();
  for (const auto& f : service::writable_fields(r))
    if (f.required) d.str(f.name);
  d.end_list().key("properties").open();
  for (const auto& f : service::writable_fields(r)) {
    d.key(f.name).open();
    switch (f.type) {
      case service::FieldType::text:
        d.type("string", !f.required).field("maxLength", f.max);
        if (f.required) d.field("minLength", f.min);
        break;
      case service::FieldType::integer:
        d.type("integer", !f.required).field("minimum", f.min);
        if (f.max) d.field("maximum", f.max);
        break;
      case service::FieldType::boolean: d.type("boolean", true); break;
      case service::FieldType::date: d.type("string", !f.required).field("format", "date"); break;
      case service::FieldType::duration_ms:
        d.key("oneOf").list();
        d.open().type("integer").field("minimum", 0).field("maximum", f.max).close();
        d.open().type("string").field("pattern", "^[0-9]+:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?$").close();
        d.open().type("null").close();
        d.end_list();
        break;
      case service::FieldType::enumeration:
        d.type("string", !f.required).key("enum").list();
        for (auto v : f.allowed) d.str(v);
        d.end_list();
        break;
    }
    d.field("description", f.description).close();
  }
  d.close().close();
}

void page_schema(Doc& d, service::Resource r) {
  d.key(schema_name(r) + "Page").open().type("object");
  d.key("required").list().str("data").str("next_cursor").end_list();
  d.key("properties").open();
  d.key("data").open().type("array").ref("items", "#/components/schemas/" + schema_name(r)).close();
  d.key("next_cursor").open().type("string", true).field("description", "Cursor of the next page; null on the last").close();
  d.close().close();
}

// An object schema of named properties, each "name:type" (type integer, string, or "string?" nullable).
void plain_schema(Doc& d, std::string_view name, std::initializer_list<std::pair<std::string_view, std::string_view>> props,
                  std::initializer_list<std::string_view> required) {
  d.key(name).open().type("object");
  d.key("required").list();
  for (auto r : required) d.str(r);
  d.end_list().key("properties").open();
  for (const auto& [prop, type] : props) {
    d.key(prop).open();
    if (type.ends_with('?')) d.type(type.substr(0, type.size() - 1), true); else d.type(type);
    d.close();
  }
  d.close().close();
}

void components(Doc& d) {
  d.key("components").open();
  d.key("securitySchemes").open();
  d.key("ApiKey").open().field("type", "apiKey").field("in", "header").field("name", "X-API-Key").close();
  d.key("Bearer").open().field("type", "http").field("scheme", "bearer").field("bearerFormat", "JWT").close();
  d.close();

  d.key("schemas").open();
  for (auto r : {service::Resource::event, service::Resource::race, service::Resource::participant, service::Resource::result}) {
    row_schema(d, r);
    write_schema(d, r);
    page_schema(d, r);
  }
  plain_schema(d, "Problem",
               {{"type", "string"}, {"title", "string"}, {"status", "integer"}, {"detail", "string"}, {"code", "string"},
                {"request_id", "string"}, {"parameter", "string"}, {"suggestions", "array"}, {"unknown_words", "array"}},
               {"type", "title", "status", "code", "request_id"});
  plain_schema(d, "Status", {{"status", "string"}}, {"status"});
  plain_schema(d, "NlLogin", {{"message", "string"}}, {"message"});
  plain_schema(d, "NlLoginResult",
               {{"authenticated", "boolean"}, {"timing_partner_id", "integer"}, {"user_id", "integer"},
                {"permissions", "array"}, {"token", "string?"}, {"request", "string"}, {"answer", "object?"}},
               {"authenticated", "timing_partner_id", "user_id", "permissions"});
  plain_schema(d, "NlQuery", {{"query", "string"}, {"format", "string"}, {"context", "object"}}, {"query"});
  plain_schema(d, "NlAnswer",
               {{"query", "string"}, {"intent", "string"}, {"engine", "string"}, {"entities", "object"},
                {"template", "string"}, {"confidence", "number"}, {"sql_generated", "string"}, {"params", "array"},
                {"columns", "array"}, {"results", "array"}, {"summary", "string"}, {"interpretation", "string"},
                {"context", "object"}, {"execution_time_ms", "number"}, {"cached", "boolean"}},
               {"query", "intent", "sql_generated", "params", "columns", "results", "summary", "interpretation", "context",
                "execution_time_ms", "cached"});
  plain_schema(d, "EventAlias", {{"event_alias_id", "integer"}, {"alias", "string"}, {"event_name", "string"}},
               {"event_alias_id", "alias", "event_name"});
  plain_schema(d, "EventAliasWrite", {{"alias", "string"}, {"event_name", "string"}}, {"alias", "event_name"});
  plain_schema(d, "EventAliasList", {{"data", "array"}}, {"data"});
  plain_schema(d, "Token", {{"access_token", "string"}, {"token_type", "string"}, {"expires_in", "integer"}},
               {"access_token", "token_type", "expires_in"});
  plain_schema(d, "ChatModel", {{"id", "string"}, {"object", "string"}, {"created", "integer"}, {"owned_by", "string"}},
               {"id", "object", "created", "owned_by"});
  plain_schema(d, "ChatModelList", {{"object", "string"}, {"data", "array"}}, {"object", "data"});
  plain_schema(d, "ChatCompletionRequest", {{"model", "string"}, {"messages", "array"}, {"stream", "boolean"}},
               {"model", "messages"});
  plain_schema(d, "ChatCompletion",
               {{"id", "string"}, {"object", "string"}, {"created", "integer"}, {"model", "string"}, {"choices", "array"},
                {"usage", "object"}},
               {"id", "object", "created", "model", "choices"});
  plain_schema(d, "OpenAIError", {{"error", "object"}}, {"error"});
  plain_schema(d, "Report", {{"kind", "string"}, {"races", "array"}}, {"kind", "races"});
  plain_schema(d, "Integration",
               {{"provider", "string"}, {"base_url", "string"}, {"credential_fields", "array"}, {"event_ids", "array"},
                {"enabled", "boolean"}, {"watermark", "integer?"}, {"created_at", "string"}, {"updated_at", "string"}},
               {"provider", "base_url", "credential_fields", "event_ids", "enabled"});
  plain_schema(d, "IntegrationList", {{"data", "array"}}, {"data"});
  plain_schema(d, "IntegrationInput",
               {{"base_url", "string"}, {"credentials", "object"}, {"event_ids", "array"}, {"enabled", "boolean"}},
               {"base_url"});
  plain_schema(d, "SyncStarted", {{"sync_run_id", "integer"}, {"status", "string"}}, {"sync_run_id", "status"});
  plain_schema(d, "SyncRun",
               {{"sync_run_id", "integer"}, {"provider", "string"}, {"source", "string?"}, {"mode", "string"},
                {"status", "string"}, {"started_at", "string"}, {"finished_at", "string?"}, {"races_total", "integer"},
                {"races_done", "integer"}, {"read", "integer"}, {"created", "integer"}, {"updated", "integer"},
                {"removed", "integer"}, {"skipped", "integer"}, {"failed", "integer"}, {"error", "string?"}},
               {"sync_run_id", "provider", "mode", "status", "started_at"});
  plain_schema(d, "SyncRunList", {{"data", "array"}}, {"data"});
  plain_schema(d, "AuditPage", {{"data", "array"}, {"next_before_id", "integer?"}}, {"data", "next_before_id"});
  d.key("ImportReport").open().type("object");
  d.key("properties").open();
  for (auto count : {"sync_run_id", "rows_read", "created", "updated", "unchanged", "removed", "skipped", "events", "races"})
    d.key(count).open().type("integer").close();
  d.key("errors").open().type("array").key("items");
  d.open().type("object").key("properties").open();
  d.key("line").open().type("integer").close();
  d.key("column").open().type("string", true).close();
  d.key("message").open().type("string").close();
  d.close().close().close();
  d.close().close();
  d.close();

  d.key("responses").open();
  const std::pair<const char*, const char*> problems[] = {
      {"BadRequest", "invalid_parameter (names the parameter) or invalid_input"},
      {"Unauthenticated", "unauthenticated: no credential, or a wrong one"},
      {"Forbidden", "forbidden (missing permission) or tenant_mismatch (another partner)"},
      {"NotFound", "not_found: no such route or id (another partner's ids included)"},
      {"Conflict", "conflict: a duplicate, a record with results, or a reused Idempotency-Key"},
      {"PayloadTooLarge", "payload_too_large: the body is over the limit (not read)"},
      {"Unavailable", "unavailable: the database is unreachable or busy; retry"},
      {"NlUnsupported", "nl_unsupported: a question the engine cannot answer with confidence (with suggestions)"},
      {"Internal", "internal: an unexpected error"}};
  for (const auto& [name, description] : problems) {
    d.key(name).open().field("description", description);
    d.key("content").open().key("application/problem+json").open().ref("schema", "#/components/schemas/Problem").close().close();
    d.close();
  }
  d.key("OpenAIError").open().field("description", "OpenAI's error shape: {\"error\": {\"message\", \"type\", \"param\", \"code\"}}");
  d.key("content").open().key("application/json").open().ref("schema", "#/components/schemas/OpenAIError").close().close();
  d.close();
  d.close();
  d.close();
}

std::string lower(std::string_view method) {
  std::string out;
  for (char c : method) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// get_api_v1_partners_partner_id_events: unique, since method and pattern are
std::string operation_id(const Route& r) {
  std::string out = lower(r.method);
  for (char c : r.pattern) {
    if (c == '/' || c == '-' || c == '.') out += '_';
    else if (c != '{' && c != '}') out += c;
  }
  return out;
}

std::vector<std::string> path_params(std::string_view pattern) {
  std::vector<std::string> out;
  for (auto open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1))
    out.emplace_back(pattern.substr(open + 1, pattern.find('}', open) - open - 1));
  return out;
}

void media(Doc& d, std::string_view schema) {
  d.key("content").open();
  if (schema.find('/') != std::string_view::npos) {
    d.key(schema).open().key("schema").open().type("string").close().close();
  } else {
    d.key("application/json").open().ref("schema", "#/components/schemas/" + std::string(schema)).close();
  }
  d.close();
}

void operation(Doc& d, const Route& r) {
  const bool authenticated = !r.permission.empty();
  const auto ids = path_params(r.pattern);
  const bool writes = r.method != "GET";
  d.key(lower(r.method)).open();
  d.field("operationId", operation_id(r)).field("summary", r.summary);
  if (authenticated) d.field("description", "Needs the permission " + r.permission + ".");
  if (!r.tag.empty()) d.key("tags").list().str(r.tag).end_list();
  d.key("parameters").list();
  for (const auto& id : ids) {
    const std::string noun = id.ends_with("_id") ? id.substr(0, id.size() - 3) : id;
    d.open().field("name", id).field("in", "path").flag("required", true).field("description", "Id of the " + noun);
    if (id == "model") d.key("schema").open().type("string").close().close();
    else if (id == "provider")
      d.key("schema").open().type("string").key("enum").list().str("runsignup").str("chronotrack").str("raceroster").end_list().close().close();
    else d.key("schema").open().type("integer").field("minimum", 1).close().close();
  }
  if (authenticated && std::find(ids.begin(), ids.end(), "partner_id") == ids.end())
    d.open().field("name", "X-Timing-Partner-ID").field("in", "header").field("description",
        "The partner addressed (else the credential's own, or the Host {slug}-api.{base-domain})")
        .key("schema").open().type("integer").field("minimum", 1).close().close();
  for (const Param& p : r.params) {
    d.open().field("name", p.name).field("in", p.in).field("description", p.description).key("schema").open();
    if (p.type == "duration") {
      d.key("oneOf").list().open().type("integer").close().open().type("string").close().end_list();
    } else {
      d.type(p.type);
      if (!p.allowed.empty()) {
        d.key("enum").list();
        for (const auto& v : p.allowed) d.str(v);
        d.end_list();
      }
    }
    d.close().close();
  }
  d.end_list();
  if (authenticated) d.key("security").list().open().key("ApiKey").list().end_list().close().open().key("Bearer").list().end_list().close().end_list();
  if (!r.body.empty()) {
    d.key("requestBody").open().flag("required", true);
    media(d, r.body);
    d.close();
  }
  d.key("responses").open();
  d.key(std::to_string(r.status)).open().field("description", r.status == 201 ? "Created" : r.status == 204 ? "No content" : "OK");
  if (!r.response.empty()) media(d, r.response);
  d.close();
  auto problem = [&d, &r](const char* status, const char* name) {
    d.ref(status, std::string("#/components/responses/") + (r.openai_errors ? "OpenAIError" : name));
  };
  if (!r.params.empty() || !r.body.empty() || !ids.empty()) problem("400", "BadRequest");
  if (authenticated) {
    problem("401", "Unauthenticated");
    problem("403", "Forbidden");
  }
  if (!ids.empty() || authenticated) problem("404", "NotFound");
  if (authenticated && writes) problem("409", "Conflict");
  if (!r.body.empty()) problem("413", "PayloadTooLarge");
  if (r.tag == "nl") problem("422", "NlUnsupported");
  if (authenticated || r.pattern == "/readyz") problem("503", "Unavailable");
  problem("default", "Internal");
  d.close();
  d.close();
}

}  // namespace

namespace {

bool for_tools(const Route& r) {
  if (!r.pattern.starts_with("/api/v1/") || r.pattern.starts_with("/api/v1/partners/")) return false;
  if (r.pattern == "/api/v1/nl-query") return true;
  return r.method == "GET" && (r.tag == "events" || r.tag == "races" || r.tag == "participants" || r.tag == "results" ||
                               r.tag == "analytics" || r.tag == "reports");
}

std::string document(const Router& router, std::string_view version, bool tools) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 1);
  Doc d(w);
  d.open().field("openapi", "3.1.0");
  d.key("info").open().field("title", tools ? "racetiming tools" : "racetiming API").field("version", version);
  if (tools)
    d.field("description",
            "Race results of the timing partner whose API key or token calls: ask a question in plain English "
            "(nl-query: counts, times, winners, places, shares, trends), or list events, races, participants and "
            "results with filters. Times are milliseconds, with printed H:MM:SS forms beside them.");
  else
    d.field("description",
          "Multi-tenant race-timing data: events, races, participants and results of one timing partner. "
          "Every /api/v1 route exists twice: under /api/v1/partners/{partner_id} (the canonical form) and under "
          "/api/v1, where the partner is the X-Timing-Partner-ID header, the Host {slug}-api.{base-domain}, or the "
          "credential's own. Errors are application/problem+json with a stable code; the /v1 chat routes (OpenAI's chat API) "
          "answer errors in OpenAI's shape.");
  d.close();
  d.key("servers").list().open().field("url", "/").close().end_list();
  std::set<std::string> tags;
  for (const Route& r : router.routes())
    if (!r.tag.empty() && (!tools || for_tools(r))) tags.insert(r.tag);
  d.key("tags").list();
  for (const auto& t : tags) d.open().field("name", t).close();
  d.end_list();
  // paths keep the router's order; methods of one path are grouped under it
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Route*>> by_path;
  for (const Route& r : router.routes()) {
    if (tools && !for_tools(r)) continue;
    auto& routes = by_path[r.pattern];
    if (routes.empty()) order.push_back(r.pattern);
    routes.push_back(&r);
  }
  d.key("paths").open();
  for (const auto& path : order) {
    d.key(path).open();
    for (const Route* r : by_path[path]) operation(d, *r);
    d.close();
  }
  d.close();
  components(d);
  d.close();
  return buffer.GetString();
}

}  // namespace

std::string openapi_document(const Router& router, std::string_view version) { return document(router, version, false); }
std::string openapi_tools_document(const Router& router, std::string_view version) { return document(router, version, true); }

}  // namespace racetimingd::app
