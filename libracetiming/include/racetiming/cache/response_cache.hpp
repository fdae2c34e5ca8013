#pragma once
// Answers kept for the next identical request: a race-day crowd refreshing one results page costs one
// computation per change of the data. Keys are the host's (they must hold the partner, the request and
// the partner's data version, so that a write makes every older answer unreachable; nothing is ever
// invalidated by hand). Two stores: memory in this process, bounded in bytes, least recently used out
// first (the default); or Redis, shared by every daemon naming the same server, with a time to live.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace racetiming::cache {

struct CachedResponse {
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // the answer's own (not per request)
  std::string body;
};

class ResponseCache {
 public:
  virtual ~ResponseCache() = default;
  // nullptr when absent (or when the store cannot answer: a cache never fails a request).
  virtual std::shared_ptr<const CachedResponse> get(const std::string& key) = 0;
  virtual void put(const std::string& key, std::shared_ptr<const CachedResponse> response) = 0;
  // Whether get and put may wait on a network (a host then calls them off its event loop).
  virtual bool remote() const noexcept = 0;
};

// In this process, at most max_bytes of keys and bodies; a body larger than an eighth of that is not kept.
std::unique_ptr<ResponseCache> make_memory_cache(std::size_t max_bytes);

struct RedisCacheOptions {
  std::string url;                          // redis://[:password@]host:port[/db]
  std::chrono::seconds ttl{600};            // how long an entry is kept (older versions' entries age out)
  std::chrono::milliseconds timeout{200};   // connect, and each command
  std::chrono::milliseconds retry_after{1000};  // after a failure, how long to answer "absent" without trying
  std::size_t max_body = 4u << 20;          // larger answers are not kept
  std::string key_prefix = "rt:cache:";
  std::function<void(const std::string& cause)> report_failure = {};  // told why Redis failed
};

// Error(invalid_parameter) for a bad URL; the server need not be up yet.
std::unique_ptr<ResponseCache> make_redis_cache(RedisCacheOptions options);

// A strong entity tag for a key ("\"<32 hex>\""): the same on every daemon for the same key.
std::string entity_tag(std::string_view key);

}  // namespace racetiming::cache
