#include "app/router.hpp"

namespace racetimingd::app {

const racetiming::Tenant& Call::partner() const {
  if (!tenant) throw racetiming::Error(racetiming::ErrorCode::internal, "a route without a permission asked for its tenant");
  return *tenant;
}

namespace {

// Appends the non-empty segments of a path.
template <class Out>
void split(std::string_view path, Out& out) {
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const auto end = path.find('/', pos);
    out.emplace_back(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end;
  }
}

bool is_parameter(std::string_view segment) { return segment.starts_with('{') && segment.ends_with('}'); }

}  // namespace

void Router::add(Route route) {
  if (route.body_limit && !limits_bodies(route.method)) body_limit_methods_.push_back(route.method);
  std::vector<std::string> segments;
  split(route.pattern, segments);
  patterns_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

// Patterns are split once, when added; the path once per request. Parameters are collected only for
// the route that matches.
Match Router::match(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> got;
  got.reserve(8);
  split(path, got);
  Match out;
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const auto& want = patterns_[r];
    if (want.size() != got.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < want.size() && same; ++i) same = is_parameter(want[i]) || want[i] == got[i];
    if (!same) continue;
    out.path_known = true;
    if (routes_[r].method != method) continue;
    out.route = &routes_[r];
    for (std::size_t i = 0; i < want.size(); ++i)
      if (is_parameter(want[i])) out.params.emplace(want[i].substr(1, want[i].size() - 2), got[i]);
    return out;
  }
  return out;
}

}  // namespace racetimingd::app
