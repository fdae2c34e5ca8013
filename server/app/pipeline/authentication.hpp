#pragma once
// The credential step: a Bearer token (a JWT, or an API key as OpenAI's clients send theirs) or an
// X-API-Key header becomes the Engine's Tenant for it. A request that carries neither, or a bad one,
// is Error(unauthenticated).
#include <optional>

#include "http/message.hpp"
#include "racetiming/engine.hpp"

namespace racetimingd::app {

// cache_only: nullopt when the key is not in the Engine's cache (checking it would need the database,
// which an I/O thread must not wait on).
std::optional<racetiming::Tenant> authenticate(racetiming::Engine& engine, const http::Request& request,
                                               bool cache_only = false);

}  // namespace racetimingd::app
