// The in-process store: an LRU bounded in bytes (keys and bodies), under one mutex held only for a
// lookup and a list splice; bodies are shared, never copied under the lock.
#include <list>
#include <mutex>
#include <unordered_map>

#include "racetiming/auth/secret_hash.hpp"
#include "racetiming/cache/response_cache.hpp"

namespace racetiming::cache {

namespace {

std::size_t size_of(const std::string& key, const CachedResponse& r) {
  std::size_t n = key.size() * 2 + r.content_type.size() + r.body.size() + 128;  // the key is held twice
  for (const auto& [name, value] : r.headers) n += name.size() + value.size() + 64;
  return n;
}

class MemoryCache final : public ResponseCache {
 public:
  explicit MemoryCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const CachedResponse> get(const std::string& key) override {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->response;
  }

  void put(const std::string& key, std::shared_ptr<const CachedResponse> response) override {
    if (!response) return;
    const std::size_t bytes = size_of(key, *response);
    if (bytes > max_bytes_ / 8) return;  // one huge answer must not empty the cache
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) {
      used_ -= it->second->bytes;
      order_.erase(it->second);
      index_.erase(it);
    }
    order_.push_front(Entry{key, std::move(response), bytes});
    index_.emplace(key, order_.begin());
    used_ += bytes;
    while (used_ > max_bytes_ && !order_.empty()) {
      used_ -= order_.back().bytes;
      index_.erase(order_.back().key);
      order_.pop_back();
    }
  }

  bool remote() const noexcept override { return false; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedResponse> response;
    std::size_t bytes = 0;
  };
  std::size_t max_bytes_;
  std::size_t used_ = 0;
  std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace

std::unique_ptr<ResponseCache> make_memory_cache(std::size_t max_bytes) { return std::make_unique<MemoryCache>(max_bytes); }

std::string entity_tag(std::string_view key) {
  // appended, not "\"" + ...: GCC 12 at -O3 warns (falsely) of overlapping copies in that form
  std::string tag;
  tag.reserve(34);
  tag += '"';
  tag.append(auth::sha256_hex(key), 0, 32);
  tag += '"';
  return tag;
}

}  // namespace racetiming::cache
