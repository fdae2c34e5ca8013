// The fastest finishers of a partner's latest event, through the Engine.
//   top_finishers sqlite:racetiming.db PARTNER_ID [N]
#include <cstdlib>
#include <iostream>

#include <racetiming/racetiming.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: top_finishers DB_URL PARTNER_ID [N]\n";
    return 2;
  }
  try {
    racetiming::Engine engine(argv[1], {.migrate = false});
    const auto partner = engine.tenant(std::atoll(argv[2]));
    const auto latest = partner.events({}, {.limit = 1});  // newest first
    if (latest.items.empty()) {
      std::cout << "no events\n";
      return 0;
    }
    const auto& event = latest.items[0];
    const auto race = partner.races({.event_id = event.event_id}, {.limit = 1}).items.at(0);
    const std::size_t n = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 10;
    std::cout << event.event_name << " " << event.event_date << ", " << race.race_name << "\n";
    for (const auto& r : partner.results({.race_id = race.race_id, .status = "finished"}, {.limit = n}).items)
      std::cout << *r.overall_place << ". " << r.first_name << " " << r.last_name << "  "
                << racetiming::sport::format_duration(*r.results_time_ms) << "\n";
  } catch (const racetiming::Error& e) {
    std::cerr << "top_finishers: " << e.what() << "\n";
    return 1;
  }
}
