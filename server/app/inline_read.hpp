#pragma once
// Runs a read that never blocks (racetiming::AsyncRead) on an I/O thread: the database socket is waited
// on by the same reactor that serves the HTTP connections, so no worker thread is woken and the thread
// serves other connections while the database works.
#include <exception>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "racetiming/detail/async_read.hpp"

namespace racetimingd::app {

// `done` runs once, on `executor`: with the rows (read in place), or with the exception the read failed with.
using InlineReadDone = std::function<void(std::exception_ptr error, std::unique_ptr<racetiming::RowsView> rows)>;
void run_inline(const boost::asio::any_io_executor& executor, std::unique_ptr<racetiming::AsyncRead> read,
                InlineReadDone done);

}  // namespace racetimingd::app
