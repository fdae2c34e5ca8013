#include "engine/data_versions.hpp"

#include "query/record_statements.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "racetiming/store/value.hpp"

namespace racetiming::detail {

std::optional<std::int64_t> DataVersions::known(std::int64_t partner_id) const {
  std::lock_guard lock(mutex_);
  const auto it = known_.find(partner_id);
  if (it == known_.end() || !it->second.valid || std::chrono::steady_clock::now() - it->second.read_at > fresh_for_)
    return std::nullopt;
  return it->second.version;
}

std::int64_t DataVersions::current(std::int64_t partner_id) {
  if (auto v = known(partner_id)) return *v;
  std::uint64_t forgotten_before = 0;
  {
    std::lock_guard lock(mutex_);
    forgotten_before = known_[partner_id].forgotten;
  }
  const auto read_at = std::chrono::steady_clock::now();
  Database& db = reads_.for_reads(partner_id);
  TenantSession session(db, partner_id, Access::read_only);
  const auto rows = session.query(query::data_version(db.dialect(), partner_id));
  if (&db == &reads_.primary()) reads_.hold(partner_id, session);
  session.commit();
  const std::int64_t version = rows.rows.empty() ? 0 : as_int(rows.rows[0][0]).value_or(0);
  std::lock_guard lock(mutex_);
  Known& k = known_[partner_id];
  // a write here while this read was on its way may not be in what it read: remember nothing
  if (k.forgotten == forgotten_before) {
    k.version = version;
    k.read_at = read_at;
    k.valid = true;
  }
  return version;
}

void DataVersions::forget(std::int64_t partner_id) {
  std::lock_guard lock(mutex_);
  Known& k = known_[partner_id];
  k.valid = false;
  ++k.forgotten;
}

}  // namespace racetiming::detail
