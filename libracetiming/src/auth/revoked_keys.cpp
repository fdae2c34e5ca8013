#include "auth/revoked_keys.hpp"

#include "racetiming/store/tenant_session.hpp"

namespace racetiming::auth {

RevokedKeys::RevokedKeys(Database& db, std::chrono::milliseconds period)
    : db_(db), period_(period), keys_(std::make_shared<const std::unordered_set<std::int64_t>>()) {
  try {
    refresh();
  } catch (const std::exception&) {  // no database yet: the thread tries again
  }
  thread_ = std::thread([this] { run(); });
}

RevokedKeys::~RevokedKeys() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool RevokedKeys::contains(std::int64_t key_id) const {
  std::shared_ptr<const std::unordered_set<std::int64_t>> keys;
  {
    std::lock_guard lock(mutex_);
    keys = keys_;
  }
  return keys->contains(key_id);
}

void RevokedKeys::add(std::int64_t key_id) {
  std::lock_guard lock(mutex_);
  auto keys = std::make_shared<std::unordered_set<std::int64_t>>(*keys_);
  keys->insert(key_id);
  keys_ = std::move(keys);
}

void RevokedKeys::refresh() {
  auto keys = std::make_shared<std::unordered_set<std::int64_t>>();
  {
    // before any tenant is known, as key verification reads api_keys
    AdminSession session(db_);
    for (const auto& row : session.query(Sql{"SELECT key_id FROM api_keys WHERE revoked_at IS NOT NULL", {}}).rows)
      keys->insert(as_int(row.at(0)).value_or(0));
    session.commit();
  }
  std::lock_guard lock(mutex_);
  keys_ = std::move(keys);
}

void RevokedKeys::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      refresh();
    } catch (const std::exception&) {  // the database is away: keep the last list, try again
    }
    lock.lock();
  }
}

}  // namespace racetiming::auth
