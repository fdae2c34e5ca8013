// A timing partner's application on the installed library: keeps its results in an SQLite file, loads
// a day's results, and prints its events and one answer.
//   partner_app DB_URL CSV_FILE
#include <iostream>

#include <racetiming/racetiming.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: partner_app DB_URL CSV_FILE\n";
    return 2;
  }
  try {
    racetiming::Engine engine(argv[1]);
    const auto known = engine.find_partner(std::string("partner-app"));
    const auto us = engine.tenant(known ? known->timing_partner_id : engine.add_partner("Partner App Timing", "partner-app"));
    const auto report = us.import_file(argv[2]);
    std::cout << "entries: " << report.created + report.updated + report.unchanged << "\n";
    for (const auto& e : us.events({}, {.limit = 100}).items) std::cout << e.event_date << " " << e.event_name << "\n";
    const auto answer = us.ask("How many runners finished our races in 2024?");
    std::cout << (answer ? answer->summary : "not answered: " + answer.error().reason) << "\n";
  } catch (const racetiming::Error& e) {
    std::cerr << "partner_app: " << e.what() << " (" << racetiming::to_string(e.code()) << ")\n";
    return 1;
  }
}
