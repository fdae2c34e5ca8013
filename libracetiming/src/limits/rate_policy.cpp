#include <charconv>

#include "racetiming/error.hpp"
#include "racetiming/limits/rate_limiter.hpp"

namespace racetiming::limits {

namespace {

Error bad_limit(std::string_view text) {
  return Error(ErrorCode::invalid_parameter,
               "a rate limit is COUNT/WINDOW with a window in s, m or h (\"600/1m\"), or \"off\"; got \"" +
                   std::string(text.substr(0, 60)) + "\"",
               "rate_limit");
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<RateLimit> parse_rate_limit(std::string_view text) {
  if (text == "off") return std::nullopt;
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash + 2 > text.size()) throw bad_limit(text);
  const auto quota = number(text.substr(0, slash));
  std::string_view window = text.substr(slash + 1);
  const char unit = window.back();
  const auto count = window.size() == 1 ? std::optional<std::uint64_t>(1) : number(window.substr(0, window.size() - 1));
  const std::int64_t unit_ms = unit == 's' ? 1000 : unit == 'm' ? 60'000 : unit == 'h' ? 3'600'000 : 0;
  if (!quota || *quota == 0 || *quota > 10'000'000 || !count || *count == 0 || *count > 24 * 365 || unit_ms == 0)
    throw bad_limit(text);
  return RateLimit{static_cast<std::uint32_t>(*quota), std::chrono::milliseconds(static_cast<std::int64_t>(*count) * unit_ms)};
}

void RatePolicy::set(std::string route_class, std::optional<RateLimit> limit) {
  defaults_.insert_or_assign(std::move(route_class), limit);
}

void RatePolicy::configure(std::string_view spec) {
  const auto equals = spec.find('=');
  if (equals == std::string_view::npos)
    throw Error(ErrorCode::invalid_parameter,
                "a rate limit setting is CLASS=LIMIT or PARTNER:CLASS=LIMIT (\"reads=600/1m\"); got \"" +
                    std::string(spec.substr(0, 60)) + "\"",
                "rate_limit");
  std::string_view name = spec.substr(0, equals);
  const auto limit = parse_rate_limit(spec.substr(equals + 1));
  const auto colon = name.find(':');
  if (colon == std::string_view::npos) {
    if (name.empty()) throw Error(ErrorCode::invalid_parameter, "a rate limit names its route class", "rate_limit");
    set(std::string(name), limit);
    return;
  }
  Override o{std::string(name.substr(0, colon)), 0, std::string(name.substr(colon + 1)), limit};
  if (o.partner.empty() || o.route_class.empty())
    throw Error(ErrorCode::invalid_parameter, "a partner's rate limit is PARTNER:CLASS=LIMIT", "rate_limit");
  if (auto id = number(o.partner)) o.partner_id = static_cast<std::int64_t>(*id);
  std::erase_if(overrides_, [&](const Override& x) { return x.partner == o.partner && x.route_class == o.route_class; });
  overrides_.push_back(std::move(o));
}

void RatePolicy::resolve_partners(const std::function<std::optional<std::int64_t>(const std::string&)>& id_of) {
  for (auto& o : overrides_) {
    if (o.partner_id != 0) continue;
    const auto id = id_of(o.partner);
    if (!id) throw Error(ErrorCode::invalid_parameter, "no timing partner has the slug \"" + o.partner + "\"", "rate_limit");
    o.partner_id = *id;
  }
}

std::optional<RateLimit> RatePolicy::limit(std::string_view route_class, std::int64_t partner_id) const {
  if (partner_id != 0)
    for (const auto& o : overrides_)
      if (o.partner_id == partner_id && o.route_class == route_class) return o.limit;
  const auto it = defaults_.find(route_class);
  return it == defaults_.end() ? std::nullopt : it->second;
}

RatePolicy RatePolicy::defaults() {
  RatePolicy p;
  p.set("reads", RateLimit{6000, std::chrono::minutes(1)});
  p.set("writes", RateLimit{600, std::chrono::minutes(1)});
  p.set("nl-query", RateLimit{600, std::chrono::minutes(1)});
  p.set("imports", RateLimit{60, std::chrono::minutes(1)});
  p.set("auth", RateLimit{60, std::chrono::minutes(1)});
  p.set("auth-failures", RateLimit{20, std::chrono::minutes(1)});
  return p;
}

}  // namespace racetiming::limits
