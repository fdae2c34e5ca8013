// Embedding racetiming in an application: open (or create) an SQLite file, import a results CSV for a
// partner, and ask questions about it.
//   embed racetiming.db results.csv ["a question" ...]
#include <iostream>
#include <string>
#include <vector>

#include <racetiming/racetiming.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: embed DB_FILE CSV_FILE [QUESTION ...]\n";
    return 2;
  }
  std::vector<std::string> questions(argv + 3, argv + argc);
  if (questions.empty())
    questions = {"How many runners finished our races in 2023?", "Who won the Boston Marathon?",
                 "What was the average finish time at the Boston Marathon?"};
  try {
    racetiming::Engine engine(std::string("sqlite:") + argv[1]);  // creates the schema on first use
    const auto existing = engine.find_partner(std::string("embedded"));
    const auto partner = engine.tenant(existing ? existing->timing_partner_id : engine.add_partner("Embedded Timing", "embedded"));

    const auto report = partner.import_file(argv[2]);
    std::cout << "imported " << report.rows_read << " rows: " << report.created << " new, " << report.updated
              << " changed, " << report.unchanged << " unchanged\n";

    for (const auto& question : questions) {
      std::cout << "\nQ: " << question << "\n";
      const auto answer = partner.ask(question);
      if (!answer) {
        std::cout << "not answered: " << answer.error().reason << "\n";
        for (const auto& s : answer.error().suggestions) std::cout << "  try: " << s << "\n";
        continue;
      }
      std::cout << "A: " << answer->summary << "\n   (" << answer->interpretation << ")\n";
    }
  } catch (const racetiming::Error& e) {
    std::cerr << "embed: " << e.what() << "\n";
    return 1;
  }
}
