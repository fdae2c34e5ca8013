// A tiny command line around Engine::ask: the answer's sentence and rows, or why there is none.
//   ask DB_URL PARTNER_ID "How many runners finished the Boston Marathon under 3 hours?"
#include <cstdlib>
#include <iostream>
#include <string>

#include <racetiming/racetiming.hpp>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: ask DB_URL PARTNER_ID QUESTION...\n";
    return 2;
  }
  std::string question;
  for (int i = 3; i < argc; ++i) {
    if (i > 3) question += ' ';
    question += argv[i];
  }
  try {
    racetiming::Engine engine(argv[1], {.migrate = false});
    const auto answer = engine.tenant(std::atoll(argv[2])).ask(question);
    if (!answer) {
      std::cerr << answer.error().reason << "\n";
      for (const auto& s : answer.error().suggestions) std::cerr << "  try: " << s << "\n";
      return 3;
    }
    std::cout << answer->summary << "\n\n" << racetiming::format::rows_csv(answer->rows);
  } catch (const racetiming::Error& e) {
    std::cerr << "ask: " << e.what() << "\n";
    return 1;
  }
}
