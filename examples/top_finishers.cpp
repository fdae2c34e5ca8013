// Embedding libracetiming: open a database, scope a read-only session to one partner, and print the
// fastest finishers of its latest event's first race.
//   top_finishers sqlite:racetiming.db 1 [N]
#include <cstdlib>
#include <iostream>

#include <racetiming/error.hpp>
#include <racetiming/query/events_query.hpp>
#include <racetiming/query/races_query.hpp>
#include <racetiming/query/results_query.hpp>
#include <racetiming/sport/durations.hpp>
#include <racetiming/store/tenant_session.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: top_finishers DB_URL PARTNER_ID [N]\n";
    return 2;
  }
  try {
    auto db = racetiming::Database::open(argv[1]);
    racetiming::TenantSession session(db, std::atoll(argv[2]));
    const auto partner = session.partner_id();
    const auto dialect = session.dialect();

    racetiming::EventsQuery events(partner, dialect);  // newest first by default
    auto latest = session.query(events.list({}, {1, "", ""}));
    if (latest.rows.empty()) {
      std::cout << "no events\n";
      return 0;
    }
    const auto event_id = *racetiming::as_int(latest.at(0, "event_id"));
    racetiming::RacesQuery races(partner, dialect);
    auto race = session.query(races.list({event_id}, {1, "", ""}));
    const auto race_id = *racetiming::as_int(race.at(0, "race_id"));

    racetiming::ResultsQuery results(partner, dialect);
    racetiming::PageRequest page{argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 10, "", ""};
    auto top = results.page(session.query(results.list({.race_id = race_id, .status = "finished"}, page)), page);
    std::cout << racetiming::as_text(latest.at(0, "event_name")) << " " << racetiming::as_text(latest.at(0, "event_date"))
              << ", " << racetiming::as_text(race.at(0, "race_name")) << "\n";
    for (std::size_t i = 0; i < top.rows.rows.size(); ++i)
      std::cout << racetiming::as_text(top.rows.at(i, "overall_place")) << ". "
                << racetiming::as_text(top.rows.at(i, "first_name")) << " "
                << racetiming::as_text(top.rows.at(i, "last_name")) << "  "
                << racetiming::sport::format_duration(*racetiming::as_int(top.rows.at(i, "results_time_ms"))) << "\n";
  } catch (const racetiming::Error& e) {
    std::cerr << "top_finishers: " << e.what() << "\n";
    return 1;
  }
}
