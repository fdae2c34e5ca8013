// Prints the SQL the daemon runs for a list route, with its parameters written in, so that pgbench can
// run exactly the same statement raw:  print_sql results PARTNER RACE_ID | print_sql events PARTNER
#include <iostream>
#include <string>

#include "racetiming/query/events_query.hpp"
#include "racetiming/query/results_query.hpp"

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string what = argv[1];
  const std::int64_t partner = std::stoll(argv[2]);
  racetiming::PageRequest page{50, "", ""};
  racetiming::Sql sql = what == "results"
                            ? racetiming::ResultsQuery(partner, racetiming::Dialect::postgresql)
                                  .list({.race_id = std::stoll(argv[3])}, page)
                            : racetiming::EventsQuery(partner, racetiming::Dialect::postgresql).list({}, page);
  // substitute from the highest placeholder down, so that $1 does not eat the front of $10
  for (std::size_t i = sql.params.size(); i >= 1; --i) {
    std::string placeholder = "$";  // appended, not "$" + ...: GCC 12 -O3 -Wrestrict false positive (bug 105329)
    placeholder += std::to_string(i);
    const auto& v = sql.params[i - 1];
    const bool text = std::holds_alternative<std::string>(v);
    std::string literal = text ? "'" : "";
    literal += racetiming::as_text(v);
    if (text) literal += '\'';
    for (auto pos = sql.text.find(placeholder); pos != std::string::npos; pos = sql.text.find(placeholder, pos))
      sql.text.replace(pos, placeholder.size(), literal);
  }
  std::cout << sql.text << ";\n";
}
