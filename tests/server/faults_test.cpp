// The database goes away under load and comes back: while it is away every answer is 503 unavailable
// with Retry-After and nothing of the database in it, /readyz says not ready, and once it is back the
// daemon answers again by itself (the pool reopens broken connections when it next lends them).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "api_fixture.hpp"
#include "test_support.hpp"

using namespace racetiming;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(postgresql_restart_under_load) {
  auto pg = test::ThrowawayPostgres::own();
  const std::string url = pg->create_database();
  test::Daemon d(url, {.pool_size = 4, .acquire_timeout = std::chrono::milliseconds(500)});
  BOOST_REQUIRE(d.get("/api/v1/events?limit=1", d.key_a).status == 200u);

  std::atomic<bool> running{true};
  std::atomic<int> ok{0}, unavailable{0}, other{0}, leaky{0};
  std::mutex mutex;
  std::string sample;
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t)
    clients.emplace_back([&, t] {
      for (int i = 0; running; ++i) {
        // a new page each time: no kept answer can stand in for the database
        auto r = d.get("/api/v1/events?limit=" + std::to_string(1 + (i + t) % 40), d.key_a);
        if (r.status == 200u) {
          ++ok;
        } else if (r.status == 503u && test::code_of(r) == "unavailable" && r.headers["retry-after"] == "1") {
          ++unavailable;
          // every string of the problem but its request id (random hex: it may hold any digits)
          const auto problem = test::parse(r.body);
          std::string said;
          if (problem.IsObject())
            for (const auto& m : problem.GetObject())
              if (m.value.IsString() && std::string_view(m.name.GetString()) != "request_id") said += m.value.GetString();
          if (said.find(std::to_string(pg->port())) != std::string::npos || said.find("connection") != std::string::npos ||
              said.find("server") != std::string::npos)
            ++leaky;
        } else {
          ++other;
          std::lock_guard lock(mutex);
          sample = std::to_string(r.status) + " " + r.body;
        }
        std::this_thread::sleep_for(5ms);
      }
    });
  std::this_thread::sleep_for(300ms);
  pg->stop();
  std::this_thread::sleep_for(200ms);
  BOOST_TEST(test::http_get(d.port, "/readyz").status == 503u);
  std::this_thread::sleep_for(800ms);
  const int ok_before_restart = ok.load();
  pg->start();
  // back by itself: within a few seconds every request is answered again
  bool recovered = false;
  for (int i = 0; i < 100 && !recovered; ++i) {
    std::this_thread::sleep_for(100ms);
    recovered = d.get("/api/v1/events?limit=2", d.key_a).status == 200u;
  }
  BOOST_TEST(recovered);
  std::this_thread::sleep_for(500ms);
  const int ok_after_recovery = ok.load();
  std::this_thread::sleep_for(500ms);
  running = false;
  for (auto& c : clients) c.join();
  BOOST_TEST(test::http_get(d.port, "/readyz").status == 200u);
  BOOST_TEST(unavailable.load() > 0);
  BOOST_TEST(leaky.load() == 0);
  BOOST_TEST(other.load() == 0, "unexpected answer: " << sample);
  BOOST_TEST(ok_before_restart > 0);
  BOOST_TEST(ok.load() > ok_after_recovery);  // still answering after recovery
  BOOST_TEST_MESSAGE("answers: " << ok.load() << " ok, " << unavailable.load() << " unavailable");
}
