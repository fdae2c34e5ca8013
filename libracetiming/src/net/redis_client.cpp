#include "net/redis_client.hpp"

#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <boost/url/parse.hpp>
#include <charconv>

#include "racetiming/error.hpp"

namespace racetiming::net {

namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

RedisReply copy_reply(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.type = r.type == REDIS_REPLY_STRING ? RedisReply::Type::text
                 : r.type == REDIS_REPLY_STATUS ? RedisReply::Type::status
                                                : RedisReply::Type::error;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      out.elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(copy_reply(*r.element[i]));
      break;
    default:
      break;
  }
  return out;
}

// One command on one connection; RedisUnavailable when the connection failed (it must then be dropped).
RedisReply run(redisContext* c, std::span<const std::string_view> args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (auto a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (reply == nullptr) throw RedisUnavailable(c->errstr[0] ? c->errstr : "the Redis connection failed");
  RedisReply out = copy_reply(*reply);
  freeReplyObject(reply);
  return out;
}

}  // namespace

RedisEndpoint parse_redis_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "redis" || parsed->host().empty())
    throw Error(ErrorCode::invalid_parameter, "a Redis URL is redis://[:password@]host[:port][/db]", "redis");
  RedisEndpoint e;
  e.host = std::string(parsed->host_address());
  if (parsed->has_port()) e.port = parsed->port_number();
  if (parsed->has_password()) e.password = parsed->password();
  const std::string path = parsed->path();
  if (path.size() > 1) {
    const std::string_view db = std::string_view(path).substr(1);
    const auto [end, ec] = std::from_chars(db.data(), db.data() + db.size(), e.database);
    if (ec != std::errc() || end != db.data() + db.size() || e.database < 0)
      throw Error(ErrorCode::invalid_parameter, "a Redis URL's path is its database number (redis://host:6379/0)", "redis");
  }
  return e;
}

std::string script_sha1(std::string_view script) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(script.data(), script.size(), digest, &length, EVP_sha1(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

void RedisClient::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

RedisClient::RedisClient(RedisEndpoint endpoint, std::chrono::milliseconds timeout,
                         std::chrono::milliseconds rest_after_failure, std::function<void(const std::string&)> report_failure)
    : endpoint_(std::move(endpoint)), timeout_(timeout), rest_(rest_after_failure), report_failure_(std::move(report_failure)) {}

RedisClient::~RedisClient() = default;

RedisClient::Context RedisClient::connect() const {
  Context c(redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(timeout_)));
  if (!c) throw RedisUnavailable("out of memory connecting to Redis");
  if (c->err) throw RedisUnavailable(std::string("cannot connect to Redis: ") + c->errstr);
  redisSetTimeout(c.get(), to_timeval(timeout_));
  const auto expect_ok = [&](std::span<const std::string_view> args, const char* what) {
    if (run(c.get(), args).type == RedisReply::Type::error) throw RedisUnavailable(std::string("Redis refused ") + what);
  };
  if (!endpoint_.password.empty()) {
    const std::string_view auth[] = {"AUTH", endpoint_.password};
    expect_ok(auth, "the password");
  }
  if (endpoint_.database != 0) {
    const std::string db = std::to_string(endpoint_.database);
    const std::string_view select[] = {"SELECT", db};
    expect_ok(select, "the database number");
  }
  return c;
}

RedisReply RedisClient::command(std::span<const std::string_view> args) {
  using Clock = std::chrono::steady_clock;
  if (Clock::now().time_since_epoch().count() < resting_until_.load(std::memory_order_relaxed))
    throw RedisUnavailable("Redis failed a moment ago");
  try {
    return attempt(args);
  } catch (const RedisUnavailable& e) {
    resting_until_.store((Clock::now() + std::chrono::duration_cast<Clock::duration>(rest_)).time_since_epoch().count(),
                         std::memory_order_relaxed);
    if (report_failure_) report_failure_(e.what());
    throw;
  }
}

RedisReply RedisClient::attempt(std::span<const std::string_view> args) {
  Context c;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!c) c = connect();
  RedisReply reply = run(c.get(), args);  // a failed connection is dropped with c as this unwinds
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(c));
  return reply;
}

RedisReply RedisClient::eval(std::string_view script, std::string_view sha1_hex, std::span<const std::string_view> keys,
                             std::span<const std::string_view> args) {
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv{"EVALSHA", sha1_hex, key_count};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  RedisReply reply = command(argv);
  if (reply.type == RedisReply::Type::error && reply.text.starts_with("NOSCRIPT")) {
    argv[0] = "EVAL";
    argv[1] = script;
    reply = command(argv);
  }
  return reply;
}

}  // namespace racetiming::net
