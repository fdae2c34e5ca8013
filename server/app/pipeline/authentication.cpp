#include "app/pipeline/authentication.hpp"

namespace racetimingd::app {

using racetiming::Error;
using racetiming::ErrorCode;

std::optional<racetiming::Tenant> authenticate(racetiming::Engine& engine, const http::Request& request, bool cache_only) {
  const std::string_view authorization = request.header("Authorization");
  // two credentials could prove two different things: never let "the valid one" win
  if (!authorization.empty() && !request.header("X-API-Key").empty())
    throw Error(ErrorCode::invalid_parameter, "send one credential: an X-API-Key header or an Authorization header, not both",
                "Authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with("Bearer ")) throw Error(ErrorCode::unauthenticated, "Authorization must be a Bearer token");
    const std::string_view token = authorization.substr(7);
    // an API key as the bearer token: what OpenAI's clients send (their "API key" setting)
    if (token.starts_with("rt_")) return cache_only ? engine.cached_key(token) : engine.authenticate_key(token);
    return engine.authenticate_token(token);
  }
  const std::string_view key = request.header("X-API-Key");
  if (key.empty()) throw Error(ErrorCode::unauthenticated, "an X-API-Key header or a Bearer token is required");
  if (cache_only) return engine.cached_key(key);
  return engine.authenticate_key(key);
}

}  // namespace racetimingd::app
