#pragma once
// Internal: the revoked API keys, as every daemon sharing the database must see them within a second. A
// thread re-reads the list every `period` (one small query), so request paths only look at a snapshot
// and never wait for the database; a revocation made by this process counts at once.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "racetiming/store/database.hpp"

namespace racetiming::auth {

class RevokedKeys {
 public:
  RevokedKeys(Database& db, std::chrono::milliseconds period);
  ~RevokedKeys();  // stops the thread
  RevokedKeys(const RevokedKeys&) = delete;
  RevokedKeys& operator=(const RevokedKeys&) = delete;

  bool contains(std::int64_t key_id) const;
  void add(std::int64_t key_id);

 private:
  void refresh();
  void run();

  Database& db_;
  std::chrono::milliseconds period_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::shared_ptr<const std::unordered_set<std::int64_t>> keys_;
  std::thread thread_;
};

}  // namespace racetiming::auth
