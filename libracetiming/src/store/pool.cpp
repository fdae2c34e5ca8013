#include "store/pool.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "racetiming/error.hpp"

namespace racetiming::store {
std::unique_ptr<Connection> Pool::wrap(soci::session& session) const {
  auto conn = dialect_ == Dialect::postgresql ? make_postgresql_connection(session) : make_sqlite_connection(session);
  conn->set_transaction_pooled(transaction_pooled_);
  return conn;
}

Pool::Pool(Dialect dialect, std::string connect_string, std::size_t size, std::chrono::milliseconds acquire_timeout,
           bool transaction_pooled)
    : dialect_(dialect),
      connect_string_(std::move(connect_string)),
      transaction_pooled_(transaction_pooled),
      acquire_timeout_(acquire_timeout),
      pool_(size == 0 ? 1 : size),
      slots_(size == 0 ? 1 : size) {
  const soci::backend_factory& factory =
      dialect == Dialect::postgresql ? *soci::factory_postgresql() : *soci::factory_sqlite3();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    try {
      pool_.at(i).open(factory, connect_string_);
    } catch (const std::exception& e) {
      throw Error(ErrorCode::unavailable, std::string("cannot open database: ") + e.what());
    }
    slots_[i].connection = wrap(pool_.at(i));
    slots_[i].serial = ++last_serial_;
  }
}

Pool::~Pool() = default;

void Pool::reopen(std::size_t pos) {
  try {
    pool_.at(pos).reconnect();
  } catch (const std::exception& e) {
    throw Error(ErrorCode::unavailable, std::string("cannot reconnect to database: ") + e.what());
  }
  slots_[pos].connection = wrap(pool_.at(pos));
  slots_[pos].serial = ++last_serial_;
}

Lease::Lease(Pool& pool) : pool_(pool) {
  if (!pool_.pool_.try_lease(pos_, static_cast<int>(pool_.acquire_timeout_.count())))
    throw Error(ErrorCode::unavailable, "no database connection free");
  ++pool_.in_use_;
  if (!pool_.slots_[pos_].connection->healthy()) {
    try {
      pool_.reopen(pos_);
    } catch (...) {
      --pool_.in_use_;
      pool_.pool_.give_back(pos_);
      throw;
    }
  }
}

std::unique_ptr<Lease> Lease::try_acquire(Pool& pool) {
  std::size_t pos = 0;
  if (!pool.pool_.try_lease(pos, 0)) return nullptr;
  if (!pool.slots_[pos].connection->healthy()) {
    pool.pool_.give_back(pos);
    return nullptr;
  }
  ++pool.in_use_;
  return std::unique_ptr<Lease>(new Lease(pool, pos));
}

Lease::~Lease() {
  --pool_.in_use_;
  pool_.pool_.give_back(pos_);
}

}  // namespace racetiming::store
