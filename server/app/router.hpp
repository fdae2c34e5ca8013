#pragma once
// The route table: method, path pattern ("/api/v1/partners/{partner_id}/events/{event_id}"), the
// permission it needs, and its handler. The router matches paths and extracts parameters; the same
// table is what the OpenAPI document is generated from.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

using PathParams = std::map<std::string, std::string, std::less<>>;
using QueryParams = std::map<std::string, std::string, std::less<>>;

// One authenticated, tenant-resolved call, as a route handler sees it.
struct Call {
  const http::Request& request;
  std::string path;
  PathParams path_params;
  QueryParams query;
  std::optional<racetiming::Tenant> tenant;  // set on every route that needs a permission
  std::string request_id;
  // A route that proves its caller itself (the token exchange, the login) names whom it proved, for
  // the request's audit row; empty when the route is not audited.
  std::function<void(const racetiming::Tenant&)> identified = {};

  // The call's tenant; a route without a permission has none (a programming error: Error(internal)).
  const racetiming::Tenant& partner() const;
};

// A query or header parameter, as the OpenAPI document describes it (path parameters come from the
// pattern).
struct Param {
  std::string name = {};
  std::string in = "query";     // query or header
  std::string type = "string";  // string, integer, boolean, duration (milliseconds or H:MM:SS)
  std::string description = {};
  std::vector<std::string> allowed = {};
};

struct Route {
  std::string method = {};
  std::string pattern = {};
  std::string permission = {};  // empty: public, no credential needed
  std::string summary = {};
  std::function<http::Response(const Call&)> handler = {};
  // Set on routes whose work is one tenant read: the read, planned. The API runs it without blocking on
  // the connection's I/O thread when the store allows (PostgreSQL, a connection free); else `handler`
  // runs on a worker.
  std::function<racetiming::service::PlannedRead<http::Response>(const Call&)> read = {};
  // A public route whose handler neither waits nor touches the database (liveness, metrics): it is
  // answered on the I/O thread, without the two thread hand-offs of a worker.
  bool never_blocks = false;
  // What the OpenAPI document says of the route.
  std::string tag = {};
  std::vector<Param> params = {};
  std::string body = {};      // request body schema (components/schemas), "text/csv" for a CSV body; empty: none
  std::string response = {};  // response schema; empty: no body (204)
  unsigned status = 200;      // the success status
  std::uint64_t body_limit = 0;  // bytes; 0: the server's default
  // Failures in OpenAI's error shape ({"error": {...}}) instead of problem+json: the chat API's routes,
  // whose clients read only that.
  bool openai_errors = false;
  // The rate limit class it spends from ("nl-query", "imports", "auth"); empty: "reads" or "writes" by
  // method on routes with a permission, none on public ones.
  std::string rate_class = {};
  // Its answer depends only on the partner's data, the path, the query, Accept and the body: it is
  // cached under the partner's data version, and carries an ETag (If-None-Match: 304).
  bool cacheable = false;
};

struct Match {
  const Route* route = nullptr;
  PathParams params;
  bool path_known = false;  // the path matched some route, but not for this method (405)
};

class Router {
 public:
  void add(Route route);
  // Whether any route of the method has a body limit of its own (most methods have none, so a request's
  // limit needs no match before its body is read).
  bool limits_bodies(std::string_view method) const {
    return std::find(body_limit_methods_.begin(), body_limit_methods_.end(), method) != body_limit_methods_.end();
  }
  // Matches the path part of a target (no query string).
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> patterns_;  // each route's pattern, split into segments
  std::vector<std::string> body_limit_methods_;
};

}  // namespace racetimingd::app
