#include "app/inline_read.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>

#include "racetiming/error.hpp"

namespace racetimingd::app {
namespace {

namespace net = boost::asio;
using racetiming::Error;
using racetiming::ErrorCode;

class InlineRead : public std::enable_shared_from_this<InlineRead> {
 public:
  InlineRead(const net::any_io_executor& executor, std::unique_ptr<racetiming::AsyncRead> read, InlineReadDone done)
      : read_(std::move(read)), socket_(executor), done_(std::move(done)) {}
  // Abandoned (the server stopped first): the descriptor is let go before the read, which marks its
  // connection for reopening.
  ~InlineRead() { let_go(); }

  void start() {
    boost::system::error_code ec;
    socket_.assign(read_->socket(), ec);
    if (ec) return fail(std::make_exception_ptr(Error(ErrorCode::unavailable, "cannot wait on the database: " + ec.message())));
    wait();
  }

 private:
  void wait() {
    socket_.async_wait(read_->wants_write() ? net::posix::descriptor_base::wait_write : net::posix::descriptor_base::wait_read,
                       [self = shared_from_this()](boost::system::error_code ec) { self->ready(ec); });
  }

  void ready(boost::system::error_code ec) {
    if (ec) return fail(std::make_exception_ptr(Error(ErrorCode::unavailable, "waiting on the database failed: " + ec.message())));
    racetiming::ResultSet rows;
    try {
      if (!read_->advance()) return wait();
      let_go();  // before take() hands the connection back to the pool
      rows = read_->take();
    } catch (...) {
      return fail(std::current_exception());
    }
    done_(nullptr, std::move(rows));
  }

  void fail(std::exception_ptr error) {
    let_go();
    done_(std::move(error), {});
  }

  // The socket is the connection's: stop watching it, never close it.
  void let_go() noexcept {
    if (socket_.is_open()) socket_.release();
  }

  std::unique_ptr<racetiming::AsyncRead> read_;
  net::posix::stream_descriptor socket_;
  InlineReadDone done_;
};

}  // namespace

void run_inline(const net::any_io_executor& executor, std::unique_ptr<racetiming::AsyncRead> read, InlineReadDone done) {
  std::make_shared<InlineRead>(executor, std::move(read), std::move(done))->start();
}

}  // namespace racetimingd::app
