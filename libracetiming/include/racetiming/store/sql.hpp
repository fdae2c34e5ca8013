#pragma once
// A statement ready for the store: text with placeholders in the dialect's form and the values to bind.
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/store/value.hpp"

namespace racetiming {

enum class Dialect { sqlite, postgresql };

struct Sql {
  std::string text;           // placeholders: $1, $2 ... on PostgreSQL; ?1, ?2 ... on SQLite
  std::vector<Value> params;  // params[0] binds to placeholder 1
  // Builders' statements are few and run often: PostgreSQL prepares each once per connection. A
  // statement whose best plan depends on its values (an NL template over one race of thousands, or of
  // fifty) sets this false, so it is planned for the values it runs with.
  bool reuse_plan = true;
};

// The current time as an SQL expression of the dialect (timestamptz on PostgreSQL, ISO text on SQLite).
constexpr std::string_view now_expression(Dialect dialect) {
  return dialect == Dialect::postgresql ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
}

// A timestamp column as ISO 8601 UTC text ("2026-12-04T22:43:44.383Z") on both dialects: SQLite
// stores that text already, PostgreSQL formats its timestamptz.
std::string utc_text_expression(Dialect dialect, std::string_view column);

// Appends SQL text and binds values, numbering placeholders for its dialect. Builders and templates
// use it so that no user value ever enters the SQL text.
class SqlWriter {
 public:
  explicit SqlWriter(Dialect dialect) : dialect_(dialect) {}

  SqlWriter& operator<<(std::string_view text) {
    sql_.text.append(text);
    return *this;
  }
  // Appends a placeholder bound to value.
  SqlWriter& bind(Value value);
  Dialect dialect() const noexcept { return dialect_; }
  Sql take() { return std::move(sql_); }

 private:
  Dialect dialect_;
  Sql sql_;
};

}  // namespace racetiming
