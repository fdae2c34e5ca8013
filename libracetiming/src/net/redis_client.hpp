#pragma once
// Internal: a small pool of synchronous Redis connections (hiredis), shared by the rate limiter and the
// response cache. Each command takes a connection from the pool and gives it back; a connection that
// failed is dropped, and the next command connects afresh, so a restarted Redis is picked up by itself.
// After a failure the client rests for a while (commands fail at once, without a connect timeout each)
// and reports the cause once.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace racetiming::net {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int database = 0;
};

// redis://[:password@]host[:port][/db]; Error(invalid_parameter) otherwise.
RedisEndpoint parse_redis_url(std::string_view url);

// A reply, copied out of hiredis's. An error reply is `error` with its text in `text`.
struct RedisReply {
  enum class Type { nil, integer, text, status, error, array } type = Type::nil;
  long long integer = 0;
  std::string text;
  std::vector<RedisReply> elements;
};

// Redis could not be reached or broke off mid-command (not an error reply: those are values).
class RedisUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RedisClient {
 public:
  RedisClient(RedisEndpoint endpoint, std::chrono::milliseconds timeout, std::chrono::milliseconds rest_after_failure,
              std::function<void(const std::string& cause)> report_failure);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command; RedisUnavailable when Redis cannot answer, or failed a moment ago.
  RedisReply command(std::span<const std::string_view> args);
  // EVALSHA of the script's SHA-1, loading the script (EVAL) when Redis does not know it yet.
  RedisReply eval(std::string_view script, std::string_view sha1_hex, std::span<const std::string_view> keys,
                  std::span<const std::string_view> args);

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  using Context = std::unique_ptr<redisContext, ContextDeleter>;
  Context connect() const;
  RedisReply attempt(std::span<const std::string_view> args);

  RedisEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds rest_;
  std::function<void(const std::string&)> report_failure_;
  std::atomic<std::chrono::steady_clock::rep> resting_until_{0};
  std::mutex mutex_;
  std::vector<Context> idle_;
};

// Hex SHA-1 of a script: what EVALSHA names it by.
std::string script_sha1(std::string_view script);

}  // namespace racetiming::net
