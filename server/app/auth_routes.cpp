#include "app/auth_routes.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/format/json.hpp"

namespace racetimingd::app {
namespace {

namespace rt = racetiming;
using racetiming::Error;
using racetiming::ErrorCode;

// The key's tenant, named to the audit row; a missing or bad key is unauthenticated with the route's own
// words. A partner the request names otherwise (X-Timing-Partner-ID, Host) must be the key's
// (tenant_mismatch).
rt::Tenant key_tenant(rt::Engine& engine, const TenantResolver& tenants, const Call& c, const char* why) {
  const auto key = c.request.header("X-API-Key");
  std::optional<rt::Tenant> tenant;
  try {
    if (!key.empty()) tenant = engine.authenticate_key(key);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::unauthenticated) throw;
  }
  if (!tenant) throw Error(ErrorCode::unauthenticated, why);
  if (c.identified) c.identified(*tenant);  // the audit row names the key's partner, refused or not
  tenants.check(c.request, c.path_params, *tenant);
  return *tenant;
}

// The answer to what a login message asked, as the login's "answer" member: the answer's JSON, a
// refusal object, or why the key may not ask.
void write_login_answer(rapidjson::Writer<rapidjson::StringBuffer>& w, const rt::Login& login) {
  if (login.request.empty()) {
    w.Null();
    return;
  }
  if (!login.tenant.context().can("run:nl-query")) {
    w.String("this key may not run questions (run:nl-query)");
    return;
  }
  const auto answer = login.tenant.ask(login.request);
  if (answer) {
    const std::string json = rt::format::answer_json(*answer);
    w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
    return;
  }
  w.StartObject();
  w.Key("code");
  w.String("nl_unsupported");
  w.Key("detail");
  w.String(answer.error().reason.c_str());
  w.Key("suggestions");
  w.StartArray();
  for (const auto& s : answer.error().suggestions) w.String(s.c_str());
  w.EndArray();
  w.EndObject();
}

http::Response natural_language_login(rt::Engine& engine, const TenantResolver& tenants, const Call& c) {
  rapidjson::Document body;
  body.Parse(c.request.body.c_str(), c.request.body.size());
  if (body.HasParseError() || !body.IsObject() || !body.HasMember("message") || !body["message"].IsString())
    throw Error(ErrorCode::invalid_parameter, "the body must be {\"message\": \"I'm ... from ...\"}", "message");
  const std::string message(body["message"].GetString(), body["message"].GetStringLength());
  const auto login =
      engine.natural_login(key_tenant(engine, tenants, c, "a valid X-API-Key header is required: a name alone proves nothing"), message);
  if (c.identified) c.identified(login.tenant);  // the user the message named, proven by the key
  const auto& who = login.tenant.context();
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("authenticated");
  w.Bool(true);
  w.Key("timing_partner_id");
  w.Int64(who.partner_id);
  w.Key("user_id");
  w.Int64(who.user_id.value_or(0));
  w.Key("permissions");
  w.StartArray();
  for (const auto& p : who.permissions) w.String(p.c_str());
  w.EndArray();
  w.Key("token");
  if (engine.issues_tokens()) {
    w.String(engine.issue_token(login.tenant).c_str());
  } else {
    w.Null();
  }
  w.Key("request");
  w.String(login.request.c_str());
  w.Key("answer");
  write_login_answer(w, login);
  w.EndObject();
  http::Response r;
  r.body = out.GetString();
  return r;
}

}  // namespace

void add_auth_routes(Router& router, racetiming::Engine& engine, const TenantResolver& tenants) {
  router.add({.method = "POST", .pattern = "/api/v1/auth/token", .summary = "Exchange an API key for a short-lived JWT",
              .handler = [&engine, &tenants](const Call& c) {
                if (!engine.issues_tokens()) throw Error(ErrorCode::not_found, "bearer tokens are not configured on this server");
                const auto tenant = key_tenant(engine, tenants, c, "a valid X-API-Key header is required");
                http::Response r;
                r.body = fmt::format(R"({{"access_token":"{}","token_type":"Bearer","expires_in":{}}})",
                                     engine.issue_token(tenant), engine.jwt()->lifetime.count());
                return r;
              },
              .tag = "auth",
              .params = {{"X-API-Key", "header", "string", "The API key to exchange"}},
              .response = "Token",
              .rate_class = "auth"});
  router.add({.method = "POST", .pattern = "/api/v1/auth/natural-language",
              .summary = "Log in with a sentence (\"I'm Josh from Big River ...\") proven by an API key",
              .handler = [&engine, &tenants](const Call& c) { return natural_language_login(engine, tenants, c); },
              .tag = "auth",
              .params = {{"X-API-Key", "header", "string", "The key that proves the user and partner the message names"}},
              .body = "NlLogin",
              .response = "NlLoginResult",
              .rate_class = "auth"});
}

}  // namespace racetimingd::app
