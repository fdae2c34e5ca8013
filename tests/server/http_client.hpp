#pragma once
// Test-side HTTP: a well-behaved client (Beast) and a raw socket for requests no client library sends.
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace racetiming::test {

struct HttpReply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::multiset<std::string> header_names;      // lower-case, once per field received: a repeated field counts twice
  std::string body;
};

// One request on a fresh connection.
HttpReply http_request(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {}, const std::string& body = {});
inline HttpReply http_get(unsigned short port, const std::string& target,
                          const std::map<std::string, std::string>& headers = {}) {
  return http_request(port, "GET", target, headers);
}

// Raw bytes over TCP: connects, sends `bytes` (in pieces with `pause` between them when `piece` > 0),
// then reads until the server closes or `timeout` passes. Returns what was read.
struct RawResult {
  std::string received;
  bool closed_by_server = false;
  std::chrono::milliseconds elapsed{0};
};
RawResult raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout,
                       std::size_t piece = 0, std::chrono::milliseconds pause = std::chrono::milliseconds(0));

}  // namespace racetiming::test
