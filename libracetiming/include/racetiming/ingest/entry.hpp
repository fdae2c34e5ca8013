#pragma once
// One entry (one person in one race) as every import source delivers it: the interchange CSV, the vendor
// adapters and the demo generator all produce these, and one loader writes them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace racetiming::ingest {

struct Split {
  std::string name;  // e.g. "5K", "HALF"
  std::int32_t distance_m = 0;
  std::int64_t time_ms = 0;
};

struct Entry {
  std::string event_name, event_date;  // date as YYYY-MM-DD
  std::string event_city, event_state, event_country;
  std::string event_external_id;  // empty: name + date
  std::string race_name;
  std::int32_t race_distance_m = 0;
  std::string race_external_id;  // empty: event + race name
  std::string bib, first_name, last_name;
  std::string external_id;  // the entry's id in its source (a provider's registration): a renamed bib keeps
                            // its entry; empty: race + bib
  char gender = 'X';  // M, F or X
  int age = 0;        // 0: unknown
  std::string city, state, country, team;
  std::string status;  // finished, dnf, dns or dq
  std::optional<std::int64_t> chip_time_ms, gun_time_ms;
  std::vector<Split> splits;
  std::size_t line = 0;  // where it came from, for error messages (0: not from a file)
};

// A row that failed validation, by line number (the header is line 1).
struct RowError {
  std::size_t line = 0;
  std::string column;
  std::string message;
};

}  // namespace racetiming::ingest
