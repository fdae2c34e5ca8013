#include "app/api.hpp"

#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "app/call_params.hpp"
#include "app/docs_site.hpp"
#include "app/inline_read.hpp"
#include "app/metrics.hpp"
#include "app/nl_routes.hpp"
#include "app/openapi.hpp"
#include "app/resource_routes.hpp"
#include "http/problem.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/auth/api_key_verifier.hpp"
#include "racetiming/auth/natural_login.hpp"
#include "racetiming/error.hpp"
#include "racetiming/format/json.hpp"
#include "racetiming/nl/engine.hpp"

namespace racetimingd::app {

namespace rt = racetiming;
using racetiming::Error;
using racetiming::ErrorCode;

unsigned status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_parameter:
    case ErrorCode::invalid_input: return 400;
    case ErrorCode::unauthenticated: return 401;
    case ErrorCode::forbidden:
    case ErrorCode::tenant_mismatch: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::nl_unsupported: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

namespace {

// A client's X-Request-ID is kept when it is short and plain; anything else is replaced.
bool sane_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == std::string_view::npos;
}

}  // namespace

struct Api::Impl {
  Impl(rt::Database& database, ApiOptions o)
      : db(database), options(std::move(o)), workers(std::max(1u, options.workers)), keys(database),
        docs(options.docs_dir), nl(database, options.nl) {
    if (options.jwt) tokens.emplace(*options.jwt);
    add_routes();
  }

  void add_routes();
  http::Response natural_language_login(const Call& c);
  void dispatch(const http::Request& request, const Route& route, PathParams params, std::string path,
                QueryParams query, const std::string& request_id, http::Respond& respond);
  // On false, params, path and query are as they were (the worker gets them).
  bool try_inline(const http::Request& request, const Route& route, PathParams& params, std::string& path,
                  QueryParams& query, const std::string& request_id, const http::Respond& respond);
  // The credential's tenant. cache_only: nullopt when an API key is not in the cache (checking it would
  // need the database).
  std::optional<rt::TenantContext> authenticate(const http::Request& request, const std::string& request_id,
                                                bool cache_only = false);
  // The tenant of an authenticated call whose route needs a permission: the partner it names must be
  // the credential's, and the credential must hold the permission.
  void authorize(const http::Request& request, const Route& route, const PathParams& params, rt::TenantContext& tenant);
  std::int64_t resolve_partner(const http::Request& request, const PathParams& params, std::int64_t credential_partner);
  // The slug a Host of the form {slug}-api.{base_domain} names; none for any other host.
  std::optional<std::string> host_slug(const http::Request& request) const;
  // True when the request names its partner only by Host, which takes a lookup by slug.
  bool partner_by_host(const http::Request& request, const PathParams& params) const;
  http::Response failure(std::exception_ptr error, bool had_authorization, const std::string& request_id) const;

  rt::Database& db;
  ApiOptions options;
  boost::asio::thread_pool workers;
  rt::auth::ApiKeyVerifier keys;
  std::optional<rt::auth::JwtIssuer> tokens;
  Metrics metrics;
  DocsSite docs;
  rt::nl::NlEngine nl;
  Router router;
  std::string openapi;  // written once, from the finished route table
};

void Api::Impl::add_routes() {
  auto status_body = [](const char* status) {
    http::Response r;
    r.body = fmt::format(R"({{"status":"{}"}})", status);
    return r;
  };
  router.add({.method = "GET", .pattern = "/healthz", .summary = "Process is up",
              .handler = [status_body](const Call&) { return status_body("ok"); }, .tag = "operations",
              .response = "Status"});
  router.add({.method = "GET", .pattern = "/readyz", .summary = "Database is reachable",
              .handler = [this, status_body](const Call&) {
                if (!db.ping()) throw Error(ErrorCode::unavailable, "database unreachable");
                return status_body("ready");
              },
              .tag = "operations", .response = "Status"});
  router.add({.method = "GET", .pattern = "/metrics", .summary = "Prometheus metrics",
              .handler = [this](const Call&) {
                http::Response r;
                r.content_type = "text/plain; version=0.0.4";
                r.body = metrics.render(db.in_use(), db.pool_size());
                return r;
              },
              .tag = "operations", .response = "text/plain"});
  router.add({.method = "GET", .pattern = "/api/v1/openapi.json", .summary = "This API as an OpenAPI 3.1 document",
              .handler = [this](const Call&) {
                http::Response r;
                r.body = openapi;
                return r;
              },
              .tag = "operations", .response = "application/vnd.oai.openapi+json"});
  router.add({.method = "GET", .pattern = "/docs", .summary = "This API in Swagger UI",
              .handler = [this](const Call& c) { return docs.page(c.path); }, .tag = "operations",
              .response = "text/html"});
  router.add({.method = "GET", .pattern = "/docs/{file}", .summary = "Swagger UI's files",
              .handler = [this](const Call& c) { return docs.file(c.path_params.at("file")); }, .tag = "operations",
              .response = "application/octet-stream"});
  router.add({.method = "POST", .pattern = "/api/v1/auth/token", .summary = "Exchange an API key for a short-lived JWT",
              .handler = [this](const Call& c) {
                if (!tokens) throw Error(ErrorCode::not_found, "bearer tokens are not configured on this server");
                auto verified = keys.verify(c.request.header("X-API-Key"));
                if (!verified) throw Error(ErrorCode::unauthenticated, "a valid X-API-Key header is required");
                rt::auth::TokenClaims claims{verified->timing_partner_id, verified->user_id, verified->key_id,
                                             verified->scopes, 0};
                http::Response r;
                r.body = fmt::format(R"({{"access_token":"{}","token_type":"Bearer","expires_in":{}}})",
                                     tokens->issue(claims), tokens->config().lifetime.count());
                return r;
              },
              .tag = "auth",
              .params = {{"X-API-Key", "header", "string", "The API key to exchange"}},
              .response = "Token"});
  router.add({.method = "POST", .pattern = "/api/v1/auth/natural-language",
              .summary = "Log in with a sentence (\"I'm Josh from Big River ...\") proven by an API key",
              .handler = [this](const Call& c) { return natural_language_login(c); },
              .tag = "auth",
              .params = {{"X-API-Key", "header", "string", "The key that proves the user and partner the message names"}},
              .body = "NlLogin",
              .response = "NlLoginResult"});
  for (const std::string prefix : {"/api/v1/partners/{partner_id}", "/api/v1"}) {
    add_resource_routes(router, db, prefix);
    add_nl_routes(router, nl, db, prefix);
  }
  openapi = openapi_document(router, RACETIMING_VERSION);
}

// The message names the user and partner, the key proves them; a request in the message is answered.
http::Response Api::Impl::natural_language_login(const Call& c) {
  rapidjson::Document body;
  body.Parse(c.request.body.c_str(), c.request.body.size());
  if (body.HasParseError() || !body.IsObject() || !body.HasMember("message") || !body["message"].IsString())
    throw Error(ErrorCode::invalid_parameter, "the body must be {\"message\": \"I'm ... from ...\"}", "message");
  const std::string message(body["message"].GetString(), body["message"].GetStringLength());
  auto verified = keys.verify(c.request.header("X-API-Key"));
  if (!verified) throw Error(ErrorCode::unauthenticated, "a valid X-API-Key header is required: a name alone proves nothing");
  const auto login = rt::auth::natural_language_login(db, *verified, message);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("authenticated");
  w.Bool(true);
  w.Key("timing_partner_id");
  w.Int64(login.timing_partner_id);
  w.Key("user_id");
  w.Int64(login.user_id);
  w.Key("permissions");
  w.StartArray();
  for (const auto& p : login.permissions) w.String(p.c_str());
  w.EndArray();
  w.Key("token");
  if (tokens) {
    const rt::auth::TokenClaims claims{login.timing_partner_id, login.user_id, verified->key_id, login.permissions, 0};
    w.String(tokens->issue(claims).c_str());
  } else {
    w.Null();
  }
  w.Key("request");
  w.String(login.request.c_str());
  w.Key("answer");
  rt::TenantContext tenant = c.tenant;
  tenant.partner_id = login.timing_partner_id;
  tenant.user_id = login.user_id;
  tenant.permissions = login.permissions;
  if (login.request.empty()) {
    w.Null();
  } else if (!tenant.can("run:nl-query")) {
    w.String("this key may not run questions (run:nl-query)");
  } else {
    try {
      const std::string answer = rt::format::answer_json(nl.ask(tenant, login.request, {}));
      w.RawValue(answer.c_str(), answer.size(), rapidjson::kObjectType);
    } catch (const rt::nl::NlUnsupported& e) {
      w.StartObject();
      w.Key("code");
      w.String("nl_unsupported");
      w.Key("detail");
      w.String(e.what());
      w.Key("suggestions");
      w.StartArray();
      for (const auto& s : e.suggestions()) w.String(s.c_str());
      w.EndArray();
      w.EndObject();
    }
  }
  w.EndObject();
  http::Response r;
  r.body = out.GetString();
  return r;
}

// A bearer token or an API key; a request that carries neither, or a bad one, is unauthenticated.
std::optional<rt::TenantContext> Api::Impl::authenticate(const http::Request& request, const std::string& request_id,
                                                         bool cache_only) {
  rt::TenantContext ctx;
  ctx.request_id = request_id;
  const std::string_view authorization = request.header("Authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with("Bearer ")) throw Error(ErrorCode::unauthenticated, "Authorization must be a Bearer token");
    if (!tokens) throw Error(ErrorCode::unauthenticated, "bearer tokens are not configured on this server: use X-API-Key");
    const auto claims = tokens->verify(authorization.substr(7));
    ctx.partner_id = claims.partner_id;
    ctx.user_id = claims.user_id;
    ctx.key_id = claims.key_id;
    ctx.permissions = claims.scopes;
    return ctx;
  }
  const std::string_view key = request.header("X-API-Key");
  if (key.empty()) throw Error(ErrorCode::unauthenticated, "an X-API-Key header or a Bearer token is required");
  auto verified = cache_only ? keys.cached(key) : keys.verify(key);
  if (!verified && cache_only) return std::nullopt;
  if (!verified) throw Error(ErrorCode::unauthenticated, "the API key is not valid");
  ctx.partner_id = verified->timing_partner_id;
  ctx.user_id = verified->user_id;
  ctx.key_id = verified->key_id;
  ctx.permissions = std::move(verified->scopes);
  return ctx;
}

// The partner a request names (path, then header, then host); without any, the credential's own.
std::int64_t Api::Impl::resolve_partner(const http::Request& request, const PathParams& params,
                                        std::int64_t credential_partner) {
  std::optional<std::int64_t> named;
  if (auto it = params.find("partner_id"); it != params.end()) {
    named = id_param(it->second, "partner_id");
  } else if (auto header = request.header("X-Timing-Partner-ID"); !header.empty()) {
    named = id_param(header, "X-Timing-Partner-ID");
  } else if (auto slug = host_slug(request)) {
    auto partner = rt::admin::find_partner_by_slug(db, *slug);
    named = partner ? partner->timing_partner_id : 0;  // an unknown slug is no partner of this credential either
  }
  if (named && *named != credential_partner)
    throw Error(ErrorCode::tenant_mismatch, "the credential belongs to another partner");
  return credential_partner;
}

std::optional<std::string> Api::Impl::host_slug(const http::Request& request) const {
  auto host = request.header("Host");
  host = host.substr(0, host.find(':'));
  const std::string suffix = "-api." + options.base_domain;
  if (host.size() <= suffix.size() || !host.ends_with(suffix)) return std::nullopt;
  return std::string(host.substr(0, host.size() - suffix.size()));
}

bool Api::Impl::partner_by_host(const http::Request& request, const PathParams& params) const {
  return !params.contains("partner_id") && request.header("X-Timing-Partner-ID").empty() && host_slug(request);
}

void Api::Impl::authorize(const http::Request& request, const Route& route, const PathParams& params,
                          rt::TenantContext& tenant) {
  tenant.partner_id = resolve_partner(request, params, tenant.partner_id);
  if (!tenant.can(route.permission))
    throw Error(ErrorCode::forbidden, fmt::format("this credential lacks the permission {}", route.permission));
}

http::Response Api::Impl::failure(std::exception_ptr error, bool had_authorization, const std::string& request_id) const {
  http::Response response;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    // an internal error's text may name tables or statements: it goes to the log, not to the client
    std::string detail = e.code() == ErrorCode::internal ? "internal error" : e.what();
    if (e.code() == ErrorCode::internal) spdlog::error("request {}: {}", request_id, e.what());
    http::ProblemExtras extras{e.parameter(), {}};
    if (const auto* refusal = dynamic_cast<const rt::nl::NlUnsupported*>(&e)) {
      extras.suggestions = refusal->suggestions();
      extras.unknown_words = refusal->unknown_words();
    }
    response = http::problem(status_for(e.code()), rt::to_string(e.code()), detail, request_id, extras);
    if (e.code() == ErrorCode::unauthenticated)
      response.headers.emplace_back("WWW-Authenticate", had_authorization
                                                            ? R"(Bearer realm="racetiming", error="invalid_token")"
                                                            : R"(Bearer realm="racetiming")");
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", request_id, e.what());
    response = http::problem(500, "internal", "internal error", request_id);
  }
  return response;
}

// A planned read runs on the I/O thread when nothing on its way can block: the credential is a token or
// a cached key, the partner is named without a lookup, and a connection is free this instant.
// Otherwise (false) the request goes to a worker, which may wait.
bool Api::Impl::try_inline(const http::Request& request, const Route& route, PathParams& params, std::string& path,
                           QueryParams& query, const std::string& request_id, const http::Respond& respond) {
  if (db.dialect() != rt::Dialect::postgresql || !request.executor || partner_by_host(request, params)) return false;
  const bool had_authorization = !request.header("Authorization").empty();
  try {
    auto tenant = authenticate(request, request_id, true);
    if (!tenant) return false;
    authorize(request, route, params, *tenant);
    Call call{request, std::move(path), std::move(params), std::move(query), std::move(*tenant)};
    auto plan = route.read(call);
    auto read = rt::AsyncRead::try_start(db, plan.partner_id, plan.statement);
    if (!read) {  // no connection free this instant: the worker waits for one
      path = std::move(call.path);
      params = std::move(call.path_params);
      query = std::move(call.query);
      return false;
    }
    metrics.count_inline_read();
    run_inline(request.executor, std::move(read),
               [this, finish = std::move(plan.finish), had_authorization, request_id, respond](
                   std::exception_ptr error, std::unique_ptr<rt::RowsView> rows) {
                 http::Response response;
                 try {
                   if (error) std::rethrow_exception(error);
                   response = finish(*rows);
                 } catch (...) {
                   response = failure(std::current_exception(), had_authorization, request_id);
                 }
                 respond(std::move(response));
               });
  } catch (...) {
    respond(failure(std::current_exception(), had_authorization, request_id));
  }
  return true;
}

void Api::Impl::dispatch(const http::Request& request, const Route& route, PathParams params, std::string path,
                         QueryParams query, const std::string& request_id, http::Respond& respond) {
  http::Response response;
  try {
    rt::TenantContext tenant;
    tenant.request_id = request_id;
    if (!route.permission.empty()) {
      tenant = *authenticate(request, request_id);
      authorize(request, route, params, tenant);
    }
    Call call{request, std::move(path), std::move(params), std::move(query), std::move(tenant)};
    response = route.handler(call);
  } catch (...) {
    response = failure(std::current_exception(), !request.header("Authorization").empty(), request_id);
  }
  respond(std::move(response));
}

std::uint64_t Api::body_limit(std::string_view method, std::string_view target, std::uint64_t default_limit) const {
  if (!impl_->router.limits_bodies(method)) return default_limit;  // a GET is matched once, in handle()
  const Match match = impl_->router.match(method, target.substr(0, target.find('?')));
  return match.route && match.route->body_limit ? match.route->body_limit : default_limit;
}

Api::Api(rt::Database& db, ApiOptions options) : impl_(std::make_unique<Impl>(db, std::move(options))) {}
Api::~Api() { join(); }
const Router& Api::router() const { return impl_->router; }
void Api::join() { impl_->workers.join(); }

namespace {

// What the access log says of a request beyond its status and time; kept only while the log is on.
struct AccessEntry {
  std::string method, target, remote, request_id;
};

std::string access_line(const AccessEntry& e, unsigned status, double milliseconds) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  field("request_id", e.request_id);
  field("method", e.method);
  field("target", e.target);
  w.Key("status");
  w.Uint(status);
  w.Key("duration_ms");
  w.Double(milliseconds);
  field("remote", e.remote);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

void Api::handle(http::Request request, http::Respond respond_raw) {
  std::string request_id(request.header("X-Request-ID"));
  if (!sane_request_id(request_id)) request_id = http::new_request_id();
  const auto start = std::chrono::steady_clock::now();
  // The route's pattern outlives every request (the router is built once); "unmatched" is a literal.
  std::string_view route_label = "unmatched";
  // Every answer passes here once: tag it with the request id (problems carry it already), count it,
  // time it, log it.
  auto observed = [&](http::Respond respond) {
    std::optional<AccessEntry> entry;
    if (impl_->options.access_log) entry = AccessEntry{request.method, request.target, request.remote_address, request_id};
    return [impl = impl_.get(), start, route = route_label, method = request.method, request_id, entry = std::move(entry),
            respond = std::move(respond)](http::Response r) {
      if (std::none_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "X-Request-ID"; }))
        r.headers.emplace_back("X-Request-ID", request_id);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      impl->metrics.observe(route, method, r.status, seconds);
      if (entry) impl->options.access_log->info(access_line(*entry, r.status, seconds * 1000));
      respond(std::move(r));
    };
  };

  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) {
    observed(std::move(respond_raw))(http::problem(400, "invalid_parameter", "the request target is not a valid path", request_id));
    return;
  }
  std::string path = parsed->encoded_path().decode();
  QueryParams query;
  for (auto param : parsed->params()) query.insert_or_assign(std::string(param.key), std::string(param.value));

  Match match = impl_->router.match(request.method, path);
  if (!match.route) {
    auto r = match.path_known ? http::problem(405, "method_not_allowed", "method not allowed here", request_id)
                              : http::problem(404, "not_found", "no such route", request_id);
    observed(std::move(respond_raw))(std::move(r));
    return;
  }
  route_label = match.route->pattern;
  http::Respond respond = observed(std::move(respond_raw));
  if (match.route->read && impl_->try_inline(request, *match.route, match.params, path, query, request_id, respond)) return;
  // Everything past routing may touch the database: off the I/O threads.
  boost::asio::post(impl_->workers, [impl = impl_.get(), request = std::move(request), route = match.route,
                                     params = std::move(match.params), path = std::move(path), query = std::move(query),
                                     request_id = std::move(request_id), respond = std::move(respond)]() mutable {
    impl->dispatch(request, *route, std::move(params), std::move(path), std::move(query), request_id, respond);
  });
}

}  // namespace racetimingd::app
