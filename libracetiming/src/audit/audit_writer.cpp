#include "audit/audit_writer.hpp"

#include <chrono>
#include <vector>

namespace racetiming::audit::detail {

AuditWriter::AuditWriter(Database& db, AuditOptions options)
    : db_(db), options_(std::move(options)), thread_([this] { run(); }) {}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AuditWriter::record(AuditEvent event) {
  TimedEvent timed{std::move(event), utc_now_text()};
  std::unique_lock lock(mutex_);
  space_.wait(lock, [this] { return queue_.size() < options_.queue_limit || stopping_; });
  queue_.push_back(std::move(timed));
  ++recorded_;
  if (queue_.size() == 1 || queue_.size() >= options_.batch_rows) wake_.notify_one();
}

void AuditWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = recorded_;
  flush_target_ = std::max(flush_target_, target);
  wake_.notify_one();
  written_.wait(lock, [&] { return done_ >= target; });
}

void AuditWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty() && stopping_) return;
    // a batch fills for up to 100 ms (less when it is full, or on a flush or a stop)
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    wake_.wait_until(lock, deadline,
                     [this] { return queue_.size() >= options_.batch_rows || stopping_ || done_ < flush_target_; });
    const std::size_t n = std::min(queue_.size(), options_.batch_rows * 20);  // a busy daemon's 100 ms, in one write
    // copied, not moved: a batch that fails stays queued whole, to be tried again
    std::vector<TimedEvent> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    bool ok = true;
    try {
      append(db_, batch);
    } catch (const std::exception& e) {
      ok = false;
      if (options_.report_failure) options_.report_failure(e.what());
    }
    lock.lock();
    if (ok) {
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      done_ += n;
      space_.notify_all();
      written_.notify_all();
    } else if (stopping_) {
      // the database is gone at shutdown: nothing more can be done, and waiting would hang the exit
      done_ += queue_.size();
      queue_.clear();
      written_.notify_all();
      return;
    } else {
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });  // then try again
    }
  }
}

}  // namespace racetiming::audit::detail
