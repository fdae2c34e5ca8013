#pragma once
// Internal: a thread-safe LRU with a time to live, for answers keyed by what they were computed from
// (the partner's data version among it, so that a write makes every older answer unreachable).
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace racetiming::store {

template <class Answer>
class LruCache {
 public:
  using Clock = std::chrono::steady_clock;
  LruCache(std::size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

  // A cache of no entries keeps nothing: callers skip the work of making a key.
  bool enabled() const noexcept { return capacity_ > 0; }

  std::optional<Answer> get(const std::string& key) {
    if (!capacity_) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    if (Clock::now() - it->second->stored > ttl_) {
      order_.erase(it->second);
      index_.erase(it);
      return std::nullopt;
    }
    order_.splice(order_.begin(), order_, it->second);
    return it->second->answer;
  }

  void put(const std::string& key, Answer answer) {
    if (!capacity_) return;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      order_.erase(it->second);
      index_.erase(it);
    }
    order_.push_front({key, std::move(answer), Clock::now()});
    index_[key] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().key);
      order_.pop_back();
    }
  }

 private:
  struct Entry {
    std::string key;
    Answer answer;
    Clock::time_point stored;
  };
  std::size_t capacity_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::list<Entry> order_;
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace racetiming::store
