// The HTTP core against misbehaving clients: limits, smuggling shapes, slow clients, draining on stop.
#define BOOST_TEST_MODULE server
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "http/server.hpp"
#include "http_client.hpp"

using namespace std::chrono_literals;
using racetimingd::http::Request;
using racetimingd::http::Respond;
using racetimingd::http::Response;
using racetimingd::http::Server;
using racetimingd::http::ServerOptions;
using racetiming::test::http_get;
using racetiming::test::raw_exchange;

namespace {

// A server on a free port running on its own thread: /slow answers after 1.5 s from another thread,
// everything else echoes the body's size at once.
struct RunningServer {
  explicit RunningServer(ServerOptions o = {}) {
    o.port = 0;
    o.read_timeout = 1s;
    o.drain_timeout = 5s;
    server = std::make_unique<Server>(o, [this](Request r, Respond respond) {
      ++handled;
      if (r.target == "/slow") {
        std::thread([respond] {
          std::this_thread::sleep_for(1500ms);
          Response res;
          res.body = "slow done";
          respond(res);
        }).detach();
        return;
      }
      Response res;
      res.body = "size " + std::to_string(r.body.size());
      respond(res);
    });
    server->start();
    port = server->port();
    thread = std::thread([this] { server->run(); });
  }
  ~RunningServer() {
    server->stop();
    thread.join();
  }
  std::unique_ptr<Server> server;
  std::thread thread;
  unsigned short port = 0;
  std::atomic<int> handled{0};
};

bool starts_with_status(const std::string& response, unsigned status) {
  return response.rfind("HTTP/1.1 " + std::to_string(status), 0) == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(serves_and_keeps_alive) {
  RunningServer s;
  auto r = http_get(s.port, "/hello");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(r.body == "size 0");
  auto two = raw_exchange(s.port, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3s);
  BOOST_TEST(std::count(two.received.begin(), two.received.end(), '\n') > 4);
  BOOST_TEST(two.received.find("HTTP/1.1 200", 10) != std::string::npos);  // a second response on the same connection
  BOOST_TEST(two.closed_by_server);
}

// The wire form of a response: what every client reads.
BOOST_AUTO_TEST_CASE(response_heads_follow_http_1_1) {
  using racetimingd::http::Response;
  Response ok;
  ok.headers = {{"X-Request-ID", "abc"}, {"Link", "</x?cursor=y>; rel=\"next\""}};
  ok.body = "{}";
  BOOST_TEST(racetimingd::http::response_head(ok, false) ==
             "HTTP/1.1 200 OK\r\nServer: racetimingd\r\nContent-Type: application/json\r\nX-Request-ID: abc\r\n"
             "Link: </x?cursor=y>; rel=\"next\"\r\nContent-Length: 2\r\n\r\n");
  Response none;
  none.status = 204;
  none.content_type.clear();
  BOOST_TEST(racetimingd::http::response_head(none, true) ==
             "HTTP/1.1 204 No Content\r\nServer: racetimingd\r\nConnection: close\r\n\r\n");
  Response missing;
  missing.status = 404;
  BOOST_TEST(racetimingd::http::response_head(missing, false).starts_with("HTTP/1.1 404 Not Found\r\n"));
  BOOST_TEST(racetimingd::http::response_head(missing, false).ends_with("Content-Length: 0\r\n\r\n"));
}

BOOST_AUTO_TEST_CASE(oversize_header_gets_431) {
  RunningServer s;
  auto r = raw_exchange(s.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n", 3s);
  BOOST_TEST(starts_with_status(r.received, 431), r.received);
  BOOST_TEST(r.received.find("application/problem+json") != std::string::npos);
  BOOST_TEST(r.closed_by_server);
  BOOST_TEST(s.handled == 0);
}

BOOST_AUTO_TEST_CASE(oversize_body_gets_413_before_it_is_sent) {
  RunningServer s;
  // announce 10 MB and send none of it: the answer must come anyway, promptly
  auto r = raw_exchange(s.port, "POST /imports HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n", 3s);
  BOOST_TEST(starts_with_status(r.received, 413), r.received);
  BOOST_TEST(r.received.find("payload_too_large") != std::string::npos);
  BOOST_TEST(r.elapsed < 2500ms);
  BOOST_TEST(s.handled == 0);
  // a chunked body that grows past the limit is cut too
  ServerOptions small;
  small.body_limit = 100;
  RunningServer t(small);
  auto chunked = raw_exchange(t.port, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" +
                                          std::string(0x200, 'z') + "\r\n0\r\n\r\n", 3s);
  BOOST_TEST(starts_with_status(chunked.received, 413), chunked.received);
}

BOOST_AUTO_TEST_CASE(smuggling_shapes_get_400_and_close) {
  RunningServer s;
  for (const std::string& head :
       {std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        // a final coding other than chunked: read as body-less, the body would be the next request
        std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                    "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, identity\r\n\r\n"
                    "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"),
        std::string("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"),
        // which Host, key or partner would count?
        std::string("GET / HTTP/1.1\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: x\r\nX-API-Key: a\r\nX-API-Key: b\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: x\r\nx-timing-partner-id: 1\r\nX-Timing-Partner-ID: 2\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n")}) {
    auto r = raw_exchange(s.port, head, 3s);
    BOOST_TEST(starts_with_status(r.received, 400), head << " -> " << r.received);
    BOOST_TEST(r.received.find("smuggled") == std::string::npos);
    BOOST_TEST(r.received.find("HTTP/1.1 200") == std::string::npos, head << " -> " << r.received);
    BOOST_TEST(r.closed_by_server);
  }
  BOOST_TEST(s.handled == 0);
  // what the rules allow: chunked in any case, HTTP/1.0 without Host, one of each header
  for (const std::string& head :
       {std::string("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        std::string("GET / HTTP/1.0\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: a\r\nX-Timing-Partner-ID: 1\r\nContent-Length: 0\r\n\r\n")}) {
    auto r = raw_exchange(s.port, head, 3s);
    BOOST_TEST(starts_with_status(r.received, 200), head << " -> " << r.received);
  }
}

BOOST_AUTO_TEST_CASE(a_trickling_client_is_cut_while_others_are_served) {
  RunningServer s;
  std::thread slow([&] {
    // one byte every 300 ms: the 1 s read deadline cuts it long before the header is complete
    auto r = raw_exchange(s.port, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 6s, 1, 300ms);
    BOOST_TEST(r.closed_by_server);
    BOOST_TEST(r.received.empty());
    BOOST_TEST(r.elapsed < 3000ms);
  });
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 5; ++i) BOOST_TEST(http_get(s.port, "/hello").status == 200u);
  slow.join();
  BOOST_TEST(s.handled == 5);
}

BOOST_AUTO_TEST_CASE(stop_lets_a_slow_request_finish) {
  RunningServer s;
  std::string reply;
  std::thread client([&] { reply = raw_exchange(s.port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", 5s).received; });
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(s.server->in_flight() == 1u);
  const auto start = std::chrono::steady_clock::now();
  s.server->stop();
  s.thread.join();  // run() returns only after the slow request was answered
  BOOST_TEST((std::chrono::steady_clock::now() - start) >= 900ms);
  client.join();
  BOOST_TEST(starts_with_status(reply, 200), reply);
  BOOST_TEST(reply.find("slow done") != std::string::npos);
  // new connections are refused once stopping
  BOOST_CHECK_THROW(http_get(s.port, "/hello"), std::exception);
  s.thread = std::thread([] {});  // the fixture joins it again
}
