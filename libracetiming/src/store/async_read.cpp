#include "racetiming/store/async_read.hpp"

#include <chrono>

#include "racetiming/error.hpp"
#include "store/pool.hpp"
#include "store/session_settings.hpp"

namespace racetiming {

struct AsyncRead::State {
  std::unique_ptr<store::Lease> lease;
  store::SessionState settings;
  std::size_t rows = 0;  // which of the pipeline's results are the statement's
  std::unique_ptr<store::PendingPipeline> pending;
};

std::unique_ptr<AsyncRead> AsyncRead::try_start(Database& db, std::int64_t partner_id, const Sql& sql) {
  if (partner_id <= 0) throw Error(ErrorCode::invalid_parameter, "partner id must be positive", "partner_id");
  if (db.dialect() != Dialect::postgresql) return nullptr;
  auto lease = store::Lease::try_acquire(db.pool());
  if (!lease) return nullptr;
  store::Connection& conn = lease->connection();
  auto settings = store::tenant_settings(partner_id, true, std::chrono::milliseconds{0});
  auto batch = store::read_batch(conn.session_state(), settings, sql);
  auto pending = conn.start_pipeline(batch.statements);
  std::unique_ptr<AsyncRead> read(new AsyncRead);
  read->state_ = std::make_unique<State>(State{std::move(lease), settings, batch.rows, std::move(pending)});
  return read;
}

// The pending pipeline goes before the lease: an abandoned one marks the connection before it is given back.
AsyncRead::~AsyncRead() {
  if (state_) state_->pending.reset();
}

int AsyncRead::socket() const noexcept { return state_->pending->socket(); }
bool AsyncRead::wants_write() const noexcept { return state_->pending->wants_write(); }
bool AsyncRead::advance() { return state_->pending->advance(); }

ResultSet AsyncRead::take() {
  auto results = state_->pending->take();
  state_->lease->connection().session_state() = state_->settings;
  ResultSet rows = std::move(results.at(state_->rows));
  state_->pending.reset();
  state_->lease.reset();
  return rows;
}

}  // namespace racetiming
