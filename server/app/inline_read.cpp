#include "app/inline_read.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/query.hpp>

#include "racetiming/error.hpp"

namespace racetimingd::app {
namespace {

namespace net = boost::asio;
using racetiming::Error;
using racetiming::ErrorCode;
using Descriptor = net::posix::stream_descriptor;

// The database connections' sockets, each registered with the reactor once and kept between reads: a
// wait then costs one re-arm, not a registration, a mode change and a removal. What is registered is
// a duplicate of libpq's descriptor, ours to close: when libpq closes its own (a lost connection), the
// number we watch can never come to name someone else's socket. A service of the io_context, so the
// sockets go before the reactor they are registered with.
class DatabaseSockets : public net::execution_context::service {
 public:
  static inline net::execution_context::id id;
  explicit DatabaseSockets(net::execution_context& context) : service(context) {}

  // Connection `serial`'s socket (libpq's descriptor `fd`), registered on first use.
  std::shared_ptr<Descriptor> socket(const net::any_io_executor& executor, std::uint64_t serial, int fd) {
    std::lock_guard lock(mutex_);
    if (auto it = sockets_.find(serial); it != sockets_.end()) return it->second;
    // Reopened connections leave their old serials behind: past a bound, forget every socket no read is
    // using (those of live connections are registered again on their next read).
    if (sockets_.size() >= kMaxSockets) std::erase_if(sockets_, [](const auto& entry) { return entry.second.use_count() == 1; });
    const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) throw Error(ErrorCode::unavailable, std::string("cannot watch the database socket: ") + std::strerror(errno));
    auto watched = std::make_shared<Descriptor>(executor);
    boost::system::error_code ec;
    watched->assign(own, ec);
    if (ec) {
      ::close(own);
      throw Error(ErrorCode::unavailable, "cannot watch the database socket: " + ec.message());
    }
    sockets_.emplace(serial, watched);
    return watched;
  }

 private:
  static constexpr std::size_t kMaxSockets = 64;
  void shutdown() override {
    std::lock_guard lock(mutex_);
    sockets_.clear();
  }
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::shared_ptr<Descriptor>> sockets_;
};

class InlineRead : public std::enable_shared_from_this<InlineRead> {
 public:
  InlineRead(const net::any_io_executor& executor, std::unique_ptr<racetiming::AsyncRead> read, InlineReadDone done)
      : read_(std::move(read)), executor_(executor), done_(std::move(done)) {}

  void start() {
    try {
      auto& sockets = net::use_service<DatabaseSockets>(net::query(executor_, net::execution::context));
      socket_ = sockets.socket(executor_, read_->connection_serial(), read_->socket());
    } catch (...) {
      return fail(std::current_exception());
    }
    wait();
  }

 private:
  void wait() {
    socket_->async_wait(read_->wants_write() ? Descriptor::wait_write : Descriptor::wait_read,
                        net::bind_executor(executor_, [self = shared_from_this()](boost::system::error_code ec) { self->ready(ec); }));
  }

  void ready(boost::system::error_code ec) {
    if (ec) return fail(std::make_exception_ptr(Error(ErrorCode::unavailable, "waiting on the database failed: " + ec.message())));
    std::unique_ptr<racetiming::RowsView> rows;
    try {
      if (!read_->advance()) return wait();
      rows = read_->take();
    } catch (...) {
      return fail(std::current_exception());
    }
    done_(nullptr, std::move(rows));
  }

  void fail(std::exception_ptr error) { done_(std::move(error), nullptr); }

  std::unique_ptr<racetiming::AsyncRead> read_;  // abandoned unfinished (the server stopped): its connection is reopened
  net::any_io_executor executor_;                // the HTTP connection's: every step runs there
  std::shared_ptr<Descriptor> socket_;
  InlineReadDone done_;
};

}  // namespace

void run_inline(const net::any_io_executor& executor, std::unique_ptr<racetiming::AsyncRead> read, InlineReadDone done) {
  std::make_shared<InlineRead>(executor, std::move(read), std::move(done))->start();
}

}  // namespace racetimingd::app
