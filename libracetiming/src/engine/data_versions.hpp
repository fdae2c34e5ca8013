#pragma once
// Internal: each partner's data version (data_versions, moved by every write, import and sync in the
// same transaction), remembered for a short while so that a cached answer can be checked against it
// without a database round trip. A write through this Engine forgets the partner's version at once (its
// next read sees the write); a write by another process is seen once the remembered version is older
// than `fresh_for`. It is read where the partner's reads go (ReadRouting).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "engine/read_routing.hpp"

namespace racetiming::detail {

class DataVersions {
 public:
  DataVersions(ReadRouting& reads, std::chrono::milliseconds fresh_for) : reads_(reads), fresh_for_(fresh_for) {}

  // The version remembered within fresh_for; nullopt when it must be read.
  std::optional<std::int64_t> known(std::int64_t partner_id) const;
  // The remembered version, else read (one round trip) and remembered.
  std::int64_t current(std::int64_t partner_id);
  // The partner's data changed here: the next current() reads it.
  void forget(std::int64_t partner_id);

 private:
  struct Known {
    std::int64_t version = 0;
    std::chrono::steady_clock::time_point read_at{};
    std::uint64_t forgotten = 0;  // forget() calls so far: a read that overlapped one is not remembered
    bool valid = false;
  };
  ReadRouting& reads_;
  std::chrono::milliseconds fresh_for_;
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, Known> known_;
};

}  // namespace racetiming::detail
