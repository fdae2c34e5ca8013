#include "racetiming/detail/async_read.hpp"

#include <chrono>

#include "racetiming/error.hpp"
#include "store/pool.hpp"
#include "store/session_settings.hpp"

namespace racetiming {

// Members go in reverse order: the pending pipeline before the lease, so that an abandoned one marks
// its connection before the connection is given back.
struct AsyncRead::State {
  std::unique_ptr<store::Lease> lease;
  store::ReadBatch batch;
  std::unique_ptr<store::PendingPipeline> pending;
};

std::unique_ptr<AsyncRead> AsyncRead::try_start(Database& db, std::int64_t partner_id, const Sql& sql) {
  if (partner_id <= 0) throw Error(ErrorCode::invalid_parameter, "partner id must be positive", "partner_id");
  if (db.dialect() != Dialect::postgresql) return nullptr;
  auto lease = store::Lease::try_acquire(db.pool());
  if (!lease) return nullptr;
  store::Connection& conn = lease->connection();
  const auto settings = store::on(conn, store::tenant_settings(partner_id, true, std::chrono::milliseconds{0}));
  auto batch = store::read_batch(conn.session_state(), settings, sql);
  auto pending = conn.start_pipeline(batch.statements);
  std::unique_ptr<AsyncRead> read(new AsyncRead);
  read->state_ = std::make_unique<State>(State{std::move(lease), std::move(batch), std::move(pending)});
  return read;
}

AsyncRead::~AsyncRead() = default;

int AsyncRead::socket() const noexcept { return state_->pending->socket(); }
std::uint64_t AsyncRead::connection_serial() const noexcept { return state_->lease->serial(); }
bool AsyncRead::wants_write() const noexcept { return state_->pending->wants_write(); }
bool AsyncRead::advance() { return state_->pending->advance(); }

std::unique_ptr<RowsView> AsyncRead::take() {
  auto rows = state_->pending->take(state_->batch.rows);
  state_->batch.ran(state_->lease->connection());
  state_->pending.reset();
  state_->lease.reset();
  return rows;
}

}  // namespace racetiming
