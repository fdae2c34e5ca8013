#pragma once
// A read planned for a tenant but not yet run: its one statement, and what turns the rows (read in
// place) into the answer. Planning validates the request (Error(invalid_parameter)) before any connection is taken;
// finish may throw too (Error(not_found) for a get that found nothing).
#include <cstdint>
#include <functional>

#include "racetiming/detail/rows_view.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::service {

template <class Answer>
struct PlannedRead {
  std::int64_t partner_id = 0;
  Sql statement;
  // The rows are valid during the call only: an answer keeps what it needs.
  std::function<Answer(const RowsView&)> finish;

  // The same read, answering with f(answer).
  template <class F>
  auto then(F f) && -> PlannedRead<decltype(f(std::declval<Answer>()))> {
    return {partner_id, std::move(statement),
            [finish = std::move(finish), f = std::move(f)](const RowsView& rows) { return f(finish(rows)); }};
  }
};

// Runs a planned read in a read-only TenantSession: one round trip on PostgreSQL.
template <class Answer>
Answer run(Database& db, const PlannedRead<Answer>& read) {
  TenantSession session(db, read.partner_id);
  const ResultSet rows = session.query_and_commit(read.statement);
  return read.finish(ResultSetView(rows));
}

}  // namespace racetiming::service
