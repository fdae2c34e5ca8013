// The shared store: one Redis string per answer (content type, header lines, then the body), written
// with a time to live. A Redis that cannot answer is a miss, never a failed request.
#include <charconv>

#include "net/redis_client.hpp"
#include "racetiming/cache/response_cache.hpp"

namespace racetiming::cache {

namespace {

// content type \n header count \n (name \n value \n)* body
std::string encode(const CachedResponse& r) {
  std::string out = r.content_type + "\n" + std::to_string(r.headers.size()) + "\n";
  for (const auto& [name, value] : r.headers) out += name + "\n" + value + "\n";
  out += r.body;
  return out;
}

std::shared_ptr<const CachedResponse> decode(std::string_view text) {
  auto line = [&text](std::string_view& out) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return false;
    out = text.substr(0, end);
    text.remove_prefix(end + 1);
    return true;
  };
  auto r = std::make_shared<CachedResponse>();
  std::string_view type, count_text;
  std::size_t count = 0;
  if (!line(type) || !line(count_text)) return nullptr;
  const auto [end, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
  if (ec != std::errc() || end != count_text.data() + count_text.size() || count > 64) return nullptr;
  r->content_type = type;
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view name, value;
    if (!line(name) || !line(value)) return nullptr;
    r->headers.emplace_back(name, value);
  }
  r->body = text;
  return r;
}

class RedisCache final : public ResponseCache {
 public:
  explicit RedisCache(RedisCacheOptions options)
      : options_(std::move(options)),
        client_(net::parse_redis_url(options_.url), options_.timeout, options_.retry_after, options_.report_failure) {}

  std::shared_ptr<const CachedResponse> get(const std::string& key) override {
    const std::string full = options_.key_prefix + key;
    const std::string_view args[] = {"GET", full};
    try {
      const auto reply = client_.command(args);
      if (reply.type != net::RedisReply::Type::text) return nullptr;
      return decode(reply.text);
    } catch (const net::RedisUnavailable&) {  // a miss; the client reported why
      return nullptr;
    }
  }

  void put(const std::string& key, std::shared_ptr<const CachedResponse> response) override {
    if (!response || response->body.size() > options_.max_body) return;
    const std::string full = options_.key_prefix + key, value = encode(*response),
                      ttl = std::to_string(std::max<long long>(1, options_.ttl.count()));
    const std::string_view args[] = {"SET", full, value, "EX", ttl};
    try {
      client_.command(args);
    } catch (const net::RedisUnavailable&) {  // not kept; the client reported why
    }
  }

  bool remote() const noexcept override { return true; }

 private:
  RedisCacheOptions options_;
  net::RedisClient client_;
};

}  // namespace

std::unique_ptr<ResponseCache> make_redis_cache(RedisCacheOptions options) {
  return std::make_unique<RedisCache>(std::move(options));
}

}  // namespace racetiming::cache
