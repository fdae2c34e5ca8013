#include "app/router.hpp"

namespace racetimingd::app {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const auto end = path.find('/', pos);
    out.push_back(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end;
  }
  return out;
}

std::optional<PathParams> match_pattern(std::string_view pattern, std::string_view path) {
  const auto want = segments(pattern), got = segments(path);
  if (want.size() != got.size()) return std::nullopt;
  PathParams params;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{') && want[i].ends_with('}'))
      params.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    else if (want[i] != got[i])
      return std::nullopt;
  }
  return params;
}

}  // namespace

Match Router::match(std::string_view method, std::string_view path) const {
  Match out;
  for (const Route& r : routes_) {
    auto params = match_pattern(r.pattern, path);
    if (!params) continue;
    out.path_known = true;
    if (r.method == method) {
      out.route = &r;
      out.params = std::move(*params);
      return out;
    }
  }
  return out;
}

}  // namespace racetimingd::app
