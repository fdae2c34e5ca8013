#pragma once
// Internal: the Engine's audit writer. record() queues an event (waiting only when the queue is full: a
// request is never answered unaudited); a thread writes the queue in batches, as soon as a batch is
// full or 100 ms after its first event; destruction writes everything left. A failed write is retried
// with the events kept, so a database that is away for a while loses nothing queued.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "audit/audit_chain.hpp"

namespace racetiming::audit::detail {

class AuditWriter {
 public:
  AuditWriter(Database& db, AuditOptions options);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  void record(AuditEvent event);
  // Returns once every event recorded before the call is written (or the writer gives up on it).
  void flush();

 private:
  void run();

  Database& db_;
  AuditOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_, space_, written_;
  std::deque<TimedEvent> queue_;
  std::uint64_t recorded_ = 0, done_ = 0;  // events queued, events written
  std::uint64_t flush_target_ = 0;         // a flush waits for done_ to reach this
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace racetiming::audit::detail
