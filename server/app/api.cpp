#include "app/api.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/url/parse.hpp>

#include "app/audit_routes.hpp"
#include "app/auth_routes.hpp"
#include "app/call_params.hpp"
#include "app/chat_routes.hpp"
#include "app/inline_read.hpp"
#include "app/integration_routes.hpp"
#include "app/metrics.hpp"
#include "app/nl_routes.hpp"
#include "app/report_routes.hpp"
#include "app/openapi.hpp"
#include "app/operations_routes.hpp"
#include "app/pipeline/access_log.hpp"
#include "app/pipeline/audit_trail.hpp"
#include "app/pipeline/authentication.hpp"
#include "app/pipeline/authorization.hpp"
#include "app/pipeline/cors.hpp"
#include "app/pipeline/problem_writer.hpp"
#include "app/pipeline/rate_limiting.hpp"
#include "app/pipeline/response_caching.hpp"
#include "app/pipeline/response_compression.hpp"
#include "app/pipeline/request_body.hpp"
#include "app/pipeline/request_id.hpp"
#include "app/pipeline/security_headers.hpp"
#include "app/pipeline/tenant_resolution.hpp"
#include "app/resource_routes.hpp"
#include "http/problem.hpp"

namespace racetimingd::app {

namespace rt = racetiming;

struct Api::Impl {
  Impl(rt::Engine& e, ApiOptions o)
      : engine(e), options(std::move(o)), workers(std::max(1u, options.workers)),
        background(std::max(1u, options.background_workers)), tenants(e, options.base_domain),
        access_log(metrics, options.access_log), cors(options.cors_origins), limits(options.rate_limits),
        caching(options.response_cache), audit(e) {
    add_operations_routes(router, engine, metrics, options.docs_dir, openapi);
    add_auth_routes(router, engine, tenants);
    add_chat_routes(router);
    for (const std::string prefix : {"/api/v1/partners/{partner_id}", "/api/v1"}) {
      add_resource_routes(router, prefix);
      add_nl_routes(router, prefix);
      add_report_routes(router, prefix);
      add_audit_routes(router, prefix);
      add_integration_routes(router, prefix, [this](std::function<void()> job) { boost::asio::post(background, std::move(job)); });
    }
    openapi.full = openapi_document(router, RACETIMING_VERSION);
    openapi.tools = openapi_tools_document(router, RACETIMING_VERSION);
  }

  // What a request carries through the steps besides the call.
  struct RequestState {
    std::string request_id;
    std::string client;                   // the client's address, as the limits and the audit see it
    std::shared_ptr<CallerFacts> caller;  // for the audit row; null when the route is not audited
    std::optional<SpentQuota> spent;      // the quota the request spent from (its RateLimit fields)
  };

  // The steps between routing and the handler: the credential's tenant, checked against the partner
  // the request names and the route's permission. Public routes skip them.
  Call admit(const http::Request& request, const Route& route, PathParams params, std::string path, QueryParams query,
             const RequestState& state, std::optional<rt::Tenant> tenant) const {
    if (tenant) {
      tenants.check(request, params, *tenant);
      authorize(route, *tenant);
    }
    Call call{request, std::move(path), std::move(params), std::move(query), std::move(tenant), state.request_id};
    if (state.caller) call.identified = [caller = state.caller](const rt::Tenant& t) { caller->learn(t); };
    return call;
  }

  static ErrorShape shape_of(const Route& route) { return route.openai_errors ? ErrorShape::openai : ErrorShape::problem; }

  // Once authenticated: the caller is known to the audit row.
  static void learnt(RequestState& state, const std::optional<rt::Tenant>& tenant) {
    if (state.caller && tenant) state.caller->learn(*tenant);
  }

  // Any failure of a request becomes its problem; a refused credential also spends from the client's
  // failure quotas.
  http::Response fail(std::exception_ptr error, const http::Request& request, const Route& route, const RequestState& state) const {
    try {
      std::rethrow_exception(error);
    } catch (const rt::Error& e) {
      if (e.code() == rt::ErrorCode::unauthenticated) {
        try {
          limits.authentication_failed(request, state.client);
        } catch (...) {  // a limiter that cannot count (Redis closed) does not change the answer
        }
      }
    } catch (...) {
    }
    return problem_for(error, !request.header("Authorization").empty(), state.request_id, shape_of(route));
  }

  // On a worker: every step, then the handler; any failure becomes its problem.
  http::Response dispatch(const http::Request& request, const Route& route, PathParams params, std::string path,
                          QueryParams query, RequestState& state) {
    http::Response response;
    try {
      if (auto quota = limits.before_authentication(request, route, state.client)) state.spent = quota;
      std::optional<rt::Tenant> tenant;
      if (!route.permission.empty()) tenant = authenticate(engine, request);
      learnt(state, tenant);
      Call call = admit(request, route, std::move(params), std::move(path), std::move(query), state, std::move(tenant));
      if (call.tenant && !state.spent)  // (the inline path may have spent it already)
        if (auto quota = limits.for_partner(route, call.tenant->partner_id())) state.spent = quota;
      check_request_body(request, route);
      // a cacheable answer: its tag from the partner's data version (memory, or one small read)
      std::string tag;
      std::optional<http::Response> kept;
      const bool gzip = ResponseCompression::accepts_gzip(request);
      if (route.cacheable && call.tenant) {
        tag = ResponseCaching::tag(call, call.partner().data_version(), gzip);
        kept = caching.lookup(request, tag);
      }
      if (kept) {
        response = std::move(*kept);
      } else {
        response = route.handler(call);
        ResponseCompression::apply(gzip, response);
        if (!tag.empty()) caching.keep(tag, response);
      }
    } catch (...) {
      response = fail(std::current_exception(), request, route, state);
    }
    if (state.spent) RateLimiting::add_headers(response, *state.spent);
    return response;
  }

  // A planned read runs on the I/O thread when nothing on its way can block: the credential is a token
  // or a cached key, the partner is named without a lookup, the limits and the cache are in memory, the
  // partner's data version is known, and a connection is free this instant. Otherwise (false) the
  // request goes to a worker, which may wait; params, path and query are then as they were.
  bool try_inline(const http::Request& request, const Route& route, PathParams& params, std::string& path,
                  QueryParams& query, RequestState& state, const http::Respond& respond) {
    if (engine.dialect() != rt::Dialect::postgresql || !request.executor || tenants.needs_lookup(request, params) ||
        limits.remote())
      return false;
    try {
      limits.before_authentication(request, route, state.client);  // a read route: asks, spends nothing
      auto tenant = authenticate(engine, request, /*cache_only=*/true);
      if (!tenant) return false;
      learnt(state, tenant);
      Call call = admit(request, route, std::move(params), std::move(path), std::move(query), state, std::move(tenant));
      state.spent = limits.for_partner(route, call.tenant->partner_id());
      // the worker takes the call over (the quota stays spent): it may wait, this thread may not
      const auto to_worker = [&] {
        path = std::move(call.path);
        params = std::move(call.path_params);
        query = std::move(call.query);
        return false;
      };
      std::string tag;
      const bool gzip = ResponseCompression::accepts_gzip(request);
      if (route.cacheable) {
        const auto version = call.partner().known_data_version();
        if (!version || caching.remote()) return to_worker();  // reading the version or the store may wait
        tag = ResponseCaching::tag(call, *version, gzip);
        if (auto kept = caching.lookup(request, tag)) {
          if (state.spent) RateLimiting::add_headers(*kept, *state.spent);
          respond(std::move(*kept));
          return true;
        }
      }
      auto plan = route.read(call);
      auto read = call.partner().start_read(plan.statement);
      if (!read) return to_worker();  // no connection free this instant: the worker waits for one
      metrics.count_inline_read();
      run_inline(request.executor, std::move(read),
                 [finish = std::move(plan.finish), had_authorization = !request.header("Authorization").empty(),
                  request_id = state.request_id, respond, shape = shape_of(route), spent = state.spent, tag = std::move(tag),
                  caching = &caching, gzip](std::exception_ptr error, std::unique_ptr<rt::RowsView> rows) {
                   http::Response response;
                   try {
                     if (error) std::rethrow_exception(error);
                     response = finish(*rows);
                     ResponseCompression::apply(gzip, response);
                     if (!tag.empty()) caching->keep(tag, response);
                   } catch (...) {
                     response = problem_for(std::current_exception(), had_authorization, request_id, shape);
                   }
                   if (spent) RateLimiting::add_headers(response, *spent);
                   respond(std::move(response));
                 });
    } catch (...) {
      http::Response response = fail(std::current_exception(), request, route, state);
      if (state.spent) RateLimiting::add_headers(response, *state.spent);
      respond(std::move(response));
    }
    return true;
  }

  rt::Engine& engine;
  ApiOptions options;
  boost::asio::thread_pool workers;
  boost::asio::thread_pool background;  // syncs: minutes of work that must not hold up requests
  Metrics metrics;
  TenantResolver tenants;
  AccessLog access_log;
  Cors cors;
  RateLimiting limits;
  ResponseCaching caching;
  AuditTrail audit;
  Router router;
  OpenApiDocuments openapi;  // written once, from the finished route table
};

Api::Api(rt::Engine& engine, ApiOptions options) : impl_(std::make_unique<Impl>(engine, std::move(options))) {}
Api::~Api() { join(); }
const Router& Api::router() const { return impl_->router; }
void Api::join() {
  impl_->workers.join();
  impl_->background.join();
}

std::uint64_t Api::body_limit(std::string_view method, std::string_view target, std::uint64_t default_limit) const {
  if (!impl_->router.limits_bodies(method)) return default_limit;  // a GET is matched once, in handle()
  const Match match = impl_->router.match(method, target.substr(0, target.find('?')));
  return match.route && match.route->body_limit ? match.route->body_limit : default_limit;
}

void Api::handle(http::Request request, http::Respond respond_to_client) {
  const auto start = std::chrono::steady_clock::now();
  std::string request_id = request_id_of(request);
  http::Respond respond_raw = impl_->cors.wrap(request, with_security_headers(request, std::move(respond_to_client)));
  if (auto preflight = impl_->cors.preflight(request)) {
    impl_->access_log.observe(request, request_id, "preflight", start, std::move(respond_raw))(std::move(*preflight));
    return;
  }
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (!parsed) {
    impl_->access_log.observe(request, request_id, "unmatched", start, std::move(respond_raw))(
        http::problem(400, "invalid_parameter", "the request target is not a valid path", request_id));
    return;
  }
  std::string path = parsed->encoded_path().decode();
  QueryParams query;
  for (auto param : parsed->params()) query.insert_or_assign(std::string(param.key), std::string(param.value));

  Match match = impl_->router.match(request.method, path);
  if (!match.route) {
    impl_->access_log.observe(request, request_id, "unmatched", start, std::move(respond_raw))(
        match.path_known ? http::problem(405, "method_not_allowed", "method not allowed here", request_id)
                         : http::problem(404, "not_found", "no such route", request_id));
    return;
  }
  // The route's pattern outlives every request (the router is built once).
  const Route& route = *match.route;
  http::Respond respond = impl_->access_log.observe(request, request_id, route.pattern, start, std::move(respond_raw));
  Impl::RequestState state{std::move(request_id), {}, {}, {}};
  const bool audited = impl_->audit.audits(route);
  if (impl_->limits.enabled() || audited) state.client = impl_->limits.client_address(request);
  if (audited) {
    state.caller = std::make_shared<CallerFacts>();
    respond = impl_->audit.observe(request, state.request_id, route, state.client, start, state.caller, std::move(respond));
  }
  if (route.never_blocks && route.permission.empty() && !impl_->limits.remote()) {
    respond(impl_->dispatch(request, route, std::move(match.params), std::move(path), std::move(query), state));
    return;
  }
  if (route.read && impl_->try_inline(request, route, match.params, path, query, state, respond)) return;
  // Everything past routing may touch the database: off the I/O threads.
  boost::asio::post(impl_->workers, [impl = impl_.get(), request = std::move(request), route = &route,
                                     params = std::move(match.params), path = std::move(path), query = std::move(query),
                                     state = std::move(state), respond = std::move(respond)]() mutable {
    respond(impl->dispatch(request, *route, std::move(params), std::move(path), std::move(query), state));
  });
}

}  // namespace racetimingd::app
