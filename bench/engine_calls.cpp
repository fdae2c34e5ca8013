// The Engine's calls from C++: the baseline bench/python_overhead compares the Python module's calls
// with. Each call runs ITERATIONS times in a loop, five times over; prints "<call> <µs per call>" of the
// fastest loop, in the thread's CPU time: on this shared machine wall time moves by half with the
// neighbours, CPU time far less (the calls never wait: SQLite runs in the calling thread).
//   engine_calls DB_URL PARTNER_ID RACE_ID [ITERATIONS]
#include <algorithm>
#include <ctime>
#include <cstdlib>
#include <iostream>

#include "racetiming/racetiming.hpp"

namespace {

double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

template <class F>
double us_per_call(int iterations, F f) {
  for (int i = 0; i < iterations / 10; ++i) f();  // warm caches and the connections' prepared statements
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {
    const double start = thread_cpu_us();
    for (int i = 0; i < iterations; ++i) f();
    best = std::min(best, (thread_cpu_us() - start) / iterations);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: engine_calls DB_URL PARTNER_ID RACE_ID [ITERATIONS]\n";
    return 2;
  }
  const int n = argc > 4 ? std::atoi(argv[4]) : 2000;
  racetiming::Engine engine(argv[1], {.migrate = false});
  const auto tenant = engine.tenant(std::atoll(argv[2]));
  const std::int64_t race = std::atoll(argv[3]);
  const racetiming::nl::AskContext today{.today = "2026-11-25"};
  std::cout << "ask " << us_per_call(n, [&] { return tenant.ask("How many DNFs were there in the Boston Marathon?", today); }) << "\n";
  std::cout << "results_10 " << us_per_call(n, [&] { return tenant.results({.race_id = race}, {.limit = 10}); }) << "\n";
  std::cout << "results_50 " << us_per_call(n, [&] { return tenant.results({.race_id = race}, {.limit = 50}); }) << "\n";
}
