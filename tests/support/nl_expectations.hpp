#pragma once
// The answer comparisons of shared/nl/README.md (count, time, median, names, mapping, refuse, ...), for
// every test that asks questions: the HTTP examples and the demo questions alike.
#include <filesystem>
#include <string>
#include <vector>

namespace racetiming::test {

struct QuestionCase {
  std::string partner, question, intent, expected;  // expected: {"kind": ..., "value": ...}
};

std::vector<QuestionCase> read_question_tsv(const std::filesystem::path& path);

// "" when an answer (HTTP status and body: the answer JSON, or a problem) passes the case, else why not.
std::string check_answer(const QuestionCase& c, unsigned status, const std::string& body);

}  // namespace racetiming::test
