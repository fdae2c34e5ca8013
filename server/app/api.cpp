#include "app/api.hpp"

#include <charconv>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "app/metrics.hpp"
#include "http/problem.hpp"
#include "racetiming/admin/partners.hpp"
#include "racetiming/auth/api_key_verifier.hpp"
#include "racetiming/error.hpp"
#include "racetiming/format/json.hpp"
#include "racetiming/service/resources.hpp"
#include "racetiming/sport/durations.hpp"

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

std::int64_t id_param(std::string_view text, std::string_view name) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v <= 0)
    throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be a positive integer", name), std::string(name));
  return v;
}

std::optional<std::string> text_query(const Call& c, std::string_view name) {
  auto it = c.query.find(name);
  if (it == c.query.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> id_query(const Call& c, std::string_view name) {
  auto v = text_query(c, name);
  if (!v) return std::nullopt;
  return id_param(*v, name);
}

// A duration bound: milliseconds, or H:MM:SS[.f].
std::optional<std::int64_t> time_query(const Call& c, std::string_view name) {
  auto v = text_query(c, name);
  if (!v) return std::nullopt;
  if (v->find(':') == std::string::npos) return id_param(*v, name);
  if (auto ms = rt::sport::parse_duration_ms(*v)) return ms;
  throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be milliseconds or H:MM:SS", name), std::string(name));
}

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

// An event's fields from a JSON object body; unknown keys and non-string values are refused by name.
rt::EventsQuery::Fields event_fields(const Call& c) {
  rapidjson::Document d;
  d.Parse(c.request.body.c_str(), c.request.body.size());
  if (d.HasParseError() || !d.IsObject())
    throw Error(ErrorCode::invalid_parameter, "the body must be a JSON object", "body");
  rt::EventsQuery::Fields f;
  const std::pair<const char*, std::optional<std::string> rt::EventsQuery::Fields::*> known[] = {
      {"event_name", &rt::EventsQuery::Fields::event_name}, {"event_date", &rt::EventsQuery::Fields::event_date},
      {"city", &rt::EventsQuery::Fields::city},             {"state", &rt::EventsQuery::Fields::state},
      {"country", &rt::EventsQuery::Fields::country},       {"status", &rt::EventsQuery::Fields::status}};
  for (const auto& member : d.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    auto it = std::find_if(std::begin(known), std::end(known), [&](const auto& k) { return key == k.first; });
    if (it == std::end(known)) throw Error(ErrorCode::invalid_parameter, fmt::format("unknown field '{}'", key), key);
    if (!member.value.IsString()) throw Error(ErrorCode::invalid_parameter, fmt::format("{} must be a string", key), key);
    f.*(it->second) = std::string(member.value.GetString(), member.value.GetStringLength());
  }
  return f;
}

rt::PageRequest page_request(const Call& c) {
  rt::PageRequest p;
  if (auto limit = text_query(c, "limit")) p.limit = static_cast<std::size_t>(id_param(*limit, "limit"));
  p.cursor = text_query(c, "cursor").value_or("");
  p.sort = text_query(c, "sort").value_or("");
  return p;
}

// 200 with the page, and a Link header to the next one.
http::Response page_response(const Call& c, const rt::Page& page) {
  http::Response r;
  r.body = rt::format::page_json(page);
  if (!page.next_cursor.empty()) {
    boost::urls::url next = boost::urls::parse_origin_form(c.request.target).value();
    next.params().set("cursor", page.next_cursor);
    r.headers.emplace_back("Link", fmt::format("<{}>; rel=\"next\"", std::string_view(next.buffer())));
  }
  return r;
}

http::Response row_response(const rt::ResultSet& rows) {
  http::Response r;
  r.body = rt::format::row_json(rows, 0);
  return r;
}

}  // namespace

struct Api::Impl {
  Impl(rt::Database& database, ApiOptions o)
      : db(database), options(std::move(o)), workers(std::max(1u, options.workers)), keys(database) {
    if (options.jwt) tokens.emplace(*options.jwt);
    add_routes();
  }

  void add_routes();
  void add_resource_routes(const std::string& prefix);
  void dispatch(const http::Request& request, const Route& route, PathParams params, std::string path,
                QueryParams query, const std::string& request_id, http::Respond& respond);
  rt::TenantContext authenticate(const http::Request& request, const std::string& request_id);
  std::int64_t resolve_partner(const http::Request& request, const PathParams& params, std::int64_t credential_partner);

  rt::Database& db;
  ApiOptions options;
  boost::asio::thread_pool workers;
  rt::auth::ApiKeyVerifier keys;
  std::optional<rt::auth::JwtIssuer> tokens;
  Metrics metrics;
  Router router;
};

void Api::Impl::add_routes() {
  router.add({"GET", "/healthz", "", "Process is up", [](const Call&) {
                http::Response r;
                r.body = R"({"status":"ok"})";
                return r;
              }});
  router.add({"GET", "/metrics", "", "Prometheus metrics", [this](const Call&) {
                http::Response r;
                r.content_type = "text/plain; version=0.0.4";
                r.body = metrics.render(db.in_use(), db.pool_size());
                return r;
              }});
  router.add({"GET", "/readyz", "", "Database is reachable", [this](const Call& c) {
                if (!db.ping()) return http::problem(503, "unavailable", "database unreachable", c.tenant.request_id);
                http::Response r;
                r.body = R"({"status":"ready"})";
                return r;
              }});
  router.add({"POST", "/api/v1/auth/token", "", "Exchange an API key for a short-lived JWT", [this](const Call& c) {
                if (!tokens) throw Error(ErrorCode::not_found, "bearer tokens are not configured on this server");
                auto verified = keys.verify(c.request.header("X-API-Key"));
                if (!verified) throw Error(ErrorCode::unauthenticated, "a valid X-API-Key header is required");
                rt::auth::TokenClaims claims{verified->timing_partner_id, verified->user_id, verified->key_id,
                                             verified->scopes, 0};
                http::Response r;
                r.body = fmt::format(R"({{"access_token":"{}","token_type":"Bearer","expires_in":{}}})",
                                     tokens->issue(claims), tokens->config().lifetime.count());
                return r;
              }});
  add_resource_routes("/api/v1/partners/{partner_id}");
  add_resource_routes("/api/v1");
}

void Api::Impl::add_resource_routes(const std::string& prefix) {
  auto add_method = [&](std::string method, std::string pattern, std::string permission, std::string summary,
                        std::function<http::Response(const Call&)> handler) {
    router.add({std::move(method), prefix + pattern, std::move(permission), std::move(summary), std::move(handler)});
  };
  auto add = [&](std::string pattern, std::string permission, std::string summary,
                 std::function<http::Response(const Call&)> handler) {
    add_method("GET", std::move(pattern), std::move(permission), std::move(summary), std::move(handler));
  };
  auto events_filter = [](const Call& c) {
    rt::EventsQuery::Filter f;
    f.status = text_query(c, "status");
    if (auto y = text_query(c, "year")) f.year = static_cast<int>(id_param(*y, "year"));
    f.name_contains = text_query(c, "q");
    return f;
  };
  auto participants_filter = [](const Call& c) {
    auto f = entry_filter<rt::ParticipantsQuery::Filter>(c);
    f.bib = text_query(c, "bib");
    f.name = text_query(c, "name");
    return f;
  };
  auto results_filter = [](const Call& c) {
    auto f = entry_filter<rt::ResultsQuery::Filter>(c);
    f.min_time_ms = time_query(c, "min_time");
    f.max_time_ms = time_query(c, "max_time");
    return f;
  };
  auto path_id = [](const Call& c, const char* name) { return id_param(c.path_params.at(name), name); };

  add("/events", "read:events", "List events", [this, events_filter](const Call& c) {
    return page_response(c, rt::service::list_events(db, c.tenant, events_filter(c), page_request(c)));
  });
  add("/events/{event_id}", "read:events", "Get an event", [this, path_id](const Call& c) {
    return row_response(rt::service::get_event(db, c.tenant, path_id(c, "event_id")));
  });
  add_method("POST", "/events", "write:events", "Create an event", [this](const Call& c) {
    auto row = rt::service::create_event(db, c.tenant, event_fields(c));
    http::Response r = row_response(row);
    r.status = 201;
    r.headers.emplace_back("Location", fmt::format("/api/v1/partners/{}/events/{}", c.tenant.partner_id,
                                                   rt::as_text(row.at(0, "event_id"))));
    return r;
  });
  add_method("PUT", "/events/{event_id}", "write:events", "Replace an event", [this, path_id](const Call& c) {
    return row_response(rt::service::update_event(db, c.tenant, path_id(c, "event_id"), event_fields(c), true));
  });
  add_method("PATCH", "/events/{event_id}", "write:events", "Update some fields of an event", [this, path_id](const Call& c) {
    return row_response(rt::service::update_event(db, c.tenant, path_id(c, "event_id"), event_fields(c), false));
  });
  add_method("DELETE", "/events/{event_id}", "write:events", "Delete an event (cascade=true: with its results)",
             [this, path_id](const Call& c) {
               const auto cascade = text_query(c, "cascade");
               if (cascade && *cascade != "true" && *cascade != "false")
                 throw Error(ErrorCode::invalid_parameter, "cascade must be true or false", "cascade");
               rt::service::delete_event(db, c.tenant, path_id(c, "event_id"), cascade == "true");
               http::Response r;
               r.status = 204;
               r.content_type.clear();
               return r;
             });
  add("/events/{event_id}/races", "read:events", "List an event's races", [this, path_id](const Call& c) {
    rt::service::get_event(db, c.tenant, path_id(c, "event_id"));  // 404 for another partner's event
    return page_response(c, rt::service::list_races(db, c.tenant, {path_id(c, "event_id")}, page_request(c)));
  });
  add("/events/{event_id}/participants", "read:participants", "List an event's participants",
      [this, path_id, participants_filter](const Call& c) {
        rt::service::get_event(db, c.tenant, path_id(c, "event_id"));
        auto f = participants_filter(c);
        f.event_id = path_id(c, "event_id");
        return page_response(c, rt::service::list_participants(db, c.tenant, f, page_request(c)));
      });
  add("/events/{event_id}/results", "read:results", "List an event's results", [this, path_id, results_filter](const Call& c) {
    rt::service::get_event(db, c.tenant, path_id(c, "event_id"));
    auto f = results_filter(c);
    f.event_id = path_id(c, "event_id");
    return page_response(c, rt::service::list_results(db, c.tenant, f, page_request(c)));
  });
  add("/races", "read:events", "List races", [this](const Call& c) {
    return page_response(c, rt::service::list_races(db, c.tenant, {id_query(c, "event_id")}, page_request(c)));
  });
  add("/races/{race_id}", "read:events", "Get a race", [this, path_id](const Call& c) {
    return row_response(rt::service::get_race(db, c.tenant, path_id(c, "race_id")));
  });
  add("/races/{race_id}/results", "read:results", "List a race's results", [this, path_id, results_filter](const Call& c) {
    rt::service::get_race(db, c.tenant, path_id(c, "race_id"));
    auto f = results_filter(c);
    f.race_id = path_id(c, "race_id");
    return page_response(c, rt::service::list_results(db, c.tenant, f, page_request(c)));
  });
  add("/participants", "read:participants", "List participants", [this, participants_filter](const Call& c) {
    return page_response(c, rt::service::list_participants(db, c.tenant, participants_filter(c), page_request(c)));
  });
  add("/participants/{participant_id}", "read:participants", "Get a participant", [this, path_id](const Call& c) {
    return row_response(rt::service::get_participant(db, c.tenant, path_id(c, "participant_id")));
  });
  add("/results", "read:results", "List results", [this, results_filter](const Call& c) {
    return page_response(c, rt::service::list_results(db, c.tenant, results_filter(c), page_request(c)));
  });
  add("/results/{result_id}", "read:results", "Get a result", [this, path_id](const Call& c) {
    return row_response(rt::service::get_result(db, c.tenant, path_id(c, "result_id")));
  });
}

// A bearer token or an API key; a request that carries neither, or a bad one, is unauthenticated.
rt::TenantContext Api::Impl::authenticate(const http::Request& request, const std::string& request_id) {
  rt::TenantContext ctx;
  ctx.request_id = request_id;
  const std::string authorization = request.header("Authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with("Bearer ")) throw Error(ErrorCode::unauthenticated, "Authorization must be a Bearer token");
    if (!tokens) throw Error(ErrorCode::unauthenticated, "bearer tokens are not configured on this server: use X-API-Key");
    const auto claims = tokens->verify(std::string_view(authorization).substr(7));
    ctx.partner_id = claims.partner_id;
    ctx.user_id = claims.user_id;
    ctx.key_id = claims.key_id;
    ctx.permissions = claims.scopes;
    return ctx;
  }
  const std::string key = request.header("X-API-Key");
  if (key.empty()) throw Error(ErrorCode::unauthenticated, "an X-API-Key header or a Bearer token is required");
  auto verified = keys.verify(key);
  if (!verified) throw Error(ErrorCode::unauthenticated, "the API key is not valid");
  ctx.partner_id = verified->timing_partner_id;
  ctx.user_id = verified->user_id;
  ctx.key_id = verified->key_id;
  ctx.permissions = verified->scopes;
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
  } else if (auto host = request.header("Host"); !host.empty()) {
    host = host.substr(0, host.find(':'));
    const std::string suffix = "-api." + options.base_domain;
    if (host.size() > suffix.size() && host.ends_with(suffix)) {
      auto partner = rt::admin::find_partner_by_slug(db, host.substr(0, host.size() - suffix.size()));
      // an unknown slug is no partner of this credential either
      named = partner ? partner->timing_partner_id : 0;
    }
  }
  if (named && *named != credential_partner)
    throw Error(ErrorCode::tenant_mismatch, "the credential belongs to another partner");
  return credential_partner;
}

void Api::Impl::dispatch(const http::Request& request, const Route& route, PathParams params, std::string path,
                         QueryParams query, const std::string& request_id, http::Respond& respond) {
  http::Response response;
  try {
    rt::TenantContext tenant;
    tenant.request_id = request_id;
    if (!route.permission.empty()) {
      tenant = authenticate(request, request_id);
      tenant.partner_id = resolve_partner(request, params, tenant.partner_id);
      if (!tenant.can(route.permission))
        throw Error(ErrorCode::forbidden, fmt::format("this credential lacks the permission {}", route.permission));
    }
    Call call{request, std::move(path), std::move(params), std::move(query), std::move(tenant)};
    response = route.handler(call);
  } catch (const Error& e) {
    std::string detail = e.what();
    response = http::problem(status_for(e.code()), rt::to_string(e.code()), detail, request_id);
    if (e.code() == ErrorCode::unauthenticated)
      response.headers.emplace_back("WWW-Authenticate", request.header("Authorization").empty()
                                                            ? R"(Bearer realm="racetiming")"
                                                            : R"(Bearer realm="racetiming", error="invalid_token")");
  } catch (const std::exception& e) {
    response = http::problem(500, "internal", "internal error", request_id);
  }
  if (std::none_of(response.headers.begin(), response.headers.end(), [](const auto& h) { return h.first == "X-Request-ID"; }))
    response.headers.emplace_back("X-Request-ID", request_id);
  respond(std::move(response));
}

Api::Api(rt::Database& db, ApiOptions options) : impl_(std::make_unique<Impl>(db, std::move(options))) {}
Api::~Api() { join(); }
const Router& Api::router() const { return impl_->router; }
void Api::join() { impl_->workers.join(); }

namespace {

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
  std::string request_id = request.header("X-Request-ID");
  if (!sane_request_id(request_id)) request_id = http::new_request_id();
  const auto start = std::chrono::steady_clock::now();
  std::string route_label = "unmatched";
  // Every answer passes here once: count it, time it, log it.
  auto observed = [impl = impl_.get(), start, &route_label,
                   entry = AccessEntry{request.method, request.target, request.remote_address, request_id}](
                      http::Respond respond) {
    return [impl, start, route = route_label, entry, respond = std::move(respond)](http::Response r) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      impl->metrics.observe(route, entry.method, r.status, seconds);
      if (impl->options.access_log) impl->options.access_log->info(access_line(entry, r.status, seconds * 1000));
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
  // Everything past routing may touch the database: off the I/O threads.
  boost::asio::post(impl_->workers, [impl = impl_.get(), request = std::move(request), route = match.route,
                                     params = std::move(match.params), path = std::move(path), query = std::move(query),
                                     request_id = std::move(request_id), respond = std::move(respond)]() mutable {
    impl->dispatch(request, *route, std::move(params), std::move(path), std::move(query), request_id, respond);
  });
}

}  // namespace racetimingd::app
