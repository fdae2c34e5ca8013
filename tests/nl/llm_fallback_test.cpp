// The language-model fallback against a fake OpenAI-compatible endpoint (a small HTTP/1.1 server in a
// thread, answering each question with canned SQL): only questions the rules refuse reach it, what it is
// sent, that its SQL runs scoped to the asking partner only when sqlguard accepts it, and that an
// endpoint that fails (HTTP 500, not JSON, silence, closed port, no TLS) is Error(unavailable).
#ifndef BOOST_ASIO_NO_DEPRECATED
#define BOOST_ASIO_NO_DEPRECATED
#endif
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/admin/partners.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/nl/engine.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// What the fake endpoint was sent.
struct Received {
  std::string method, target, authorization, content_type, model, system, user;
  bool has_temperature_zero = false;
};

// How it answers a question.
struct Reply {
  unsigned status = 200;
  std::string body;
  bool stall = false;  // read the request, then say nothing until the client hangs up
};

std::string json_string(std::string_view s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return buffer.GetString();
}

// A chat completion whose first choice says `content`.
Reply completion(const std::string& content) {
  return {200,
          R"({"id":"chatcmpl-1","object":"chat.completion","model":"fake-model","choices":[{"index":0,"message":)"
          R"({"role":"assistant","content":)" + json_string(content) + R"(},"finish_reason":"stop"}]})"};
}
// As models write it: in a fence, with a semicolon.
Reply fenced(const std::string& sql) { return completion("Here you go:\n```sql\n" + sql + ";\n```\n"); }

class FakeModel {
 public:
  FakeModel() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeModel() {
    stopping_ = true;
    asio::io_context ioc;
    tcp::socket wake(ioc);
    beast::error_code ec;
    wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port()), ec);
    thread_.join();
  }
  FakeModel(const FakeModel&) = delete;
  FakeModel& operator=(const FakeModel&) = delete;

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::string url(std::string_view scheme = "http") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port()) + "/v1/chat/completions";
  }
  void on(const std::string& question, Reply reply) {
    std::lock_guard lock(mutex_);
    replies_[question] = std::move(reply);
  }
  std::size_t requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  Received last() const {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(ioc_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (stopping_) return;
      if (!ec) handle(socket);
    }
  }

  void handle(tcp::socket& socket) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) return;
    Received got;
    got.method = std::string(request.method_string());
    got.target = std::string(request.target());
    got.authorization = std::string(request[http::field::authorization]);
    got.content_type = std::string(request[http::field::content_type]);
    rapidjson::Document doc;
    doc.Parse(request.body().c_str());
    if (!doc.HasParseError() && doc.IsObject()) {
      if (doc.HasMember("model") && doc["model"].IsString()) got.model = doc["model"].GetString();
      got.has_temperature_zero = doc.HasMember("temperature") && doc["temperature"].IsNumber() && doc["temperature"].GetDouble() == 0;
      if (doc.HasMember("messages") && doc["messages"].IsArray())
        for (const auto& m : doc["messages"].GetArray()) {
          if (!m.IsObject() || !m.HasMember("role") || !m.HasMember("content") || !m["content"].IsString()) continue;
          const std::string role = m["role"].IsString() ? m["role"].GetString() : "";
          if (role == "system") got.system = m["content"].GetString();
          if (role == "user") got.user = m["content"].GetString();
        }
    }
    Reply reply{404, R"({"error":{"message":"no canned answer"}})"};
    {
      std::lock_guard lock(mutex_);
      ++requests_;
      last_ = got;
      if (auto it = replies_.find(got.user); it != replies_.end()) reply = it->second;
    }
    if (reply.stall) {
      char sink[256];
      while (!ec) socket.read_some(asio::buffer(sink), ec);
      return;
    }
    http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
    response.set(http::field::content_type, "application/json");
    response.body() = reply.body;
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(tcp::socket::shutdown_send, ec);
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::map<std::string, Reply> replies_;
  std::size_t requests_ = 0;
  Received last_;
};

// Questions the rule parser refuses (no_llm_configured_stays_unsupported checks each).
const std::string kTeams = "tell me something about the shoes of runners #1";
const std::string kPlain = "tell me something about the shoes of runners #2";
const std::string kDelete = "tell me something about the shoes of runners #3";
const std::string kTwoStatements = "tell me something about the shoes of runners #4";
const std::string kOtherPartner = "tell me something about the shoes of runners #5";
const std::string kOrTrue = "tell me something about the shoes of runners #6";
const std::string kCatalog = "tell me something about the shoes of runners #7";
const std::string kApiKeys = "tell me something about the shoes of runners #8";
const std::string kUnscoped = "tell me something about the shoes of runners #9";
const std::string kServerError = "what is the weather like at the shoes of runners #10";
const std::string kGarbage = "what is the weather like at the shoes of runners #11";
const std::string kSilent = "what is the weather like at the shoes of runners #12";
const std::string kNoContent = "what is the weather like at the shoes of runners #13";
const std::string kTooLarge = "what is the weather like at the shoes of runners #14";
const std::string kNoSql = "what is the weather like at the shoes of runners #15";
const std::string kUnknown = "a question it has no answer for, about the shoes of runners";
const std::string kAll[] = {kTeams,       kPlain,   kDelete,      kTwoStatements, kOtherPartner, kOrTrue,
                            kCatalog,     kApiKeys, kUnscoped,    kServerError,   kGarbage,      kSilent,
                            kNoContent,   kTooLarge, kNoSql,       kUnknown};

const std::string kTeamCount =
    "SELECT COUNT(*) AS n FROM ct_participants p WHERE p.timing_partner_id = $1 AND p.team IS NOT NULL";

// Two partners with the shared fixtures, and the fake endpoint with its canned answers; made once.
struct World {
  test::TempDir dir;
  Database db = Database::open(dir.sqlite_url());
  std::int64_t a = 0, b = 0;
  FakeModel fake;

  World() {
    db.migrate();
    a = admin::add_partner(db, "Big River Timing", "big-river");
    b = admin::add_partner(db, "Mid-Hudson Timing", "mid-hudson");
    ingest::import_interchange_csv(db, a, test::read_file(test::shared_dir() / "fixtures" / "big-river.csv"));
    ingest::import_interchange_csv(db, b, test::read_file(test::shared_dir() / "fixtures" / "mid-hudson.csv"));
    fake.on(kTeams, fenced(kTeamCount));
    fake.on(kPlain, completion("  \n" + kTeamCount + " ;\n\n"));
    fake.on(kDelete, fenced("DELETE FROM ct_results WHERE timing_partner_id = $1"));
    fake.on(kTwoStatements, fenced("SELECT 1; DROP TABLE ct_results"));
    fake.on(kOtherPartner,
            fenced("SELECT COUNT(*) AS n FROM ct_participants p WHERE p.timing_partner_id = " + std::to_string(b)));
    fake.on(kOrTrue, fenced("SELECT COUNT(*) AS n FROM ct_participants p WHERE p.timing_partner_id = $1 OR 1=1"));
    fake.on(kCatalog, fenced("SELECT relname FROM pg_catalog.pg_class"));
    fake.on(kApiKeys, fenced("SELECT k.prefix, k.secret_hash FROM api_keys k WHERE k.timing_partner_id = $1"));
    fake.on(kUnscoped, fenced("SELECT COUNT(*) AS n FROM ct_results r"));
    fake.on(kServerError, {500, R"({"error":{"message":"overloaded"}})"});
    fake.on(kGarbage, {200, "<html>not json"});
    fake.on(kSilent, {200, "", true});
    fake.on(kNoContent, {200, R"({"choices":[{"index":0,"message":{"role":"assistant"}}]})"});
    fake.on(kTooLarge, completion("SELECT 1 AS n " + std::string(2 << 20, ' ')));
    fake.on(kNoSql, completion("```sql\n\n```"));
  }

  nl::LlmFallback llm(std::string url = {}) const { return {url.empty() ? fake.url() : url, "fake-model", "secret"}; }

  std::int64_t count(std::int64_t partner, const std::string& sql) {
    TenantSession session(db, partner);
    return as_int(session.query({sql, {Value{partner}}}).rows.at(0).at(0)).value_or(-1);
  }
  std::int64_t all_results() {
    AdminSession session(db);
    return as_int(session.query({"SELECT COUNT(*) FROM ct_results", {}}).rows.at(0).at(0)).value_or(-1);
  }
};

World& world() {
  static World w;
  return w;
}

TenantContext as_partner(std::int64_t id) {
  TenantContext ctx;
  ctx.partner_id = id;
  return ctx;
}

struct Thrown {
  bool unsupported = false;
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

// What ask throws for the question; a failure when it answers.
Thrown thrown_by(nl::NlEngine& engine, const std::string& question) {
  try {
    const auto a = engine.ask(as_partner(world().a), question);
    BOOST_ERROR("answered " << question << " with " << a.sql.text);
  } catch (const nl::NlUnsupported& e) {
    return {true, e.code(), e.what()};
  } catch (const Error& e) {
    return {false, e.code(), e.what()};
  }
  return {};
}

bool contains(const std::string& text, std::string_view words) { return text.find(words) != std::string::npos; }

// The model's SQL for the question is refused by sqlguard: NlUnsupported saying so, and nothing ran.
void refused(const std::string& question, std::string_view reason = {}) {
  auto& w = world();
  nl::NlEngine engine(w.db, {.llm = w.llm()});
  const auto before = w.fake.requests();
  const Thrown t = thrown_by(engine, question);
  BOOST_TEST_MESSAGE(question << ": " << t.message);
  BOOST_TEST(w.fake.requests() == before + 1);
  BOOST_TEST(t.unsupported, question << ": " << t.message);
  BOOST_TEST(t.code == ErrorCode::nl_unsupported);
  BOOST_TEST(contains(t.message, "refused"), t.message);
  BOOST_TEST(contains(t.message, reason), t.message << "\n  expected: " << reason);
}

// The endpoint fails: Error(unavailable) from the client, not a refusal.
void unavailable(nl::NlEngine& engine, const std::string& question, std::string_view words) {
  const Thrown t = thrown_by(engine, question);
  BOOST_TEST_MESSAGE(question << ": " << t.message);
  BOOST_TEST(!t.unsupported, question << ": " << t.message);
  BOOST_TEST(t.code == ErrorCode::unavailable, question << ": " << t.message);
  BOOST_TEST(contains(t.message, "language model: "), t.message);
  BOOST_TEST(contains(t.message, words), t.message << "\n  expected: " << words);
  BOOST_TEST(!contains(t.message, "secret"), t.message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(llm_fallback)

BOOST_AUTO_TEST_CASE(no_llm_configured_stays_unsupported) {
  auto& w = world();
  nl::NlEngine engine(w.db);
  const auto before = w.fake.requests();
  for (const auto& q : kAll) {
    const Thrown t = thrown_by(engine, q);
    BOOST_TEST(t.unsupported, q << ": " << t.message);
  }
  BOOST_TEST(w.fake.requests() == before);
}

BOOST_AUTO_TEST_CASE(rule_answers_never_reach_the_model) {
  auto& w = world();
  nl::NlEngine engine(w.db, {.llm = w.llm()});
  const auto before = w.fake.requests();
  const auto a = engine.ask(as_partner(w.a), "Who won the Riverfront 10K?");
  BOOST_TEST(a.engine == "rules");
  BOOST_TEST(!a.rows.rows.empty());
  BOOST_TEST(w.fake.requests() == before);
}

BOOST_AUTO_TEST_CASE(scoped_sql_answers_for_the_asking_partner) {
  auto& w = world();
  const std::string mine = "SELECT COUNT(*) FROM ct_participants WHERE timing_partner_id = ?1 AND team IS NOT NULL";
  const auto a_count = w.count(w.a, mine), b_count = w.count(w.b, mine);
  BOOST_TEST_REQUIRE(a_count > 0);
  BOOST_TEST_REQUIRE(b_count > 0);
  BOOST_TEST_REQUIRE(a_count != b_count);

  nl::NlEngine engine(w.db, {.llm = w.llm()});
  const auto before = w.fake.requests();
  for (const auto& q : {kTeams, kPlain}) {  // fenced with a semicolon; bare with space around
    const auto a = engine.ask(as_partner(w.a), q);
    BOOST_TEST(a.engine == "llm");
    BOOST_TEST((a.intent == nl::Intent::llm_query));
    BOOST_TEST(!a.cached);
    BOOST_TEST(a.question == q);
    BOOST_TEST(a.sql.text == "SELECT COUNT(*) AS n FROM ct_participants p WHERE p.timing_partner_id = ?1 AND p.team IS NOT NULL");
    BOOST_TEST_REQUIRE(a.sql.params.size() == 1u);
    BOOST_TEST(as_int(a.sql.params[0]) == std::optional<std::int64_t>(w.a));
    BOOST_TEST_REQUIRE(a.rows.rows.size() == 1u);
    BOOST_TEST(a.rows.columns.at(0) == "n");
    BOOST_TEST(as_int(a.rows.rows[0][0]) == std::optional<std::int64_t>(a_count));
  }
  // Partner B asking the same question is answered from B's rows.
  const auto b = engine.ask(as_partner(w.b), kTeams);
  BOOST_TEST(as_int(b.rows.rows.at(0).at(0)) == std::optional<std::int64_t>(b_count));
  // Not cached: asked again, the model is asked again.
  const auto again = engine.ask(as_partner(w.a), kTeams);
  BOOST_TEST(!again.cached);
  BOOST_TEST(w.fake.requests() == before + 4);
}

BOOST_AUTO_TEST_CASE(what_the_endpoint_is_sent) {
  auto& w = world();
  nl::NlEngine engine(w.db, {.llm = w.llm()});
  engine.ask(as_partner(w.a), kTeams);
  const Received got = w.fake.last();
  BOOST_TEST(got.method == "POST");
  BOOST_TEST(got.target == "/v1/chat/completions");
  BOOST_TEST(got.content_type == "application/json");
  BOOST_TEST(got.authorization == "Bearer secret");
  BOOST_TEST(got.model == "fake-model");
  BOOST_TEST(got.has_temperature_zero);
  BOOST_TEST(got.user == kTeams);
  BOOST_TEST(contains(got.system, "timing_partner_id = $1"), got.system);
  BOOST_TEST(contains(got.system, "ct_results("), got.system);

  // No key, no Authorization header.
  auto keyless = w.llm();
  keyless.api_key.clear();
  nl::NlEngine anonymous(w.db, {.llm = keyless});
  anonymous.ask(as_partner(w.a), kTeams);
  BOOST_TEST(w.fake.last().authorization.empty());
}

BOOST_AUTO_TEST_CASE(data_modifying_sql_is_refused) {
  auto& w = world();
  const auto results = w.all_results();
  BOOST_TEST_REQUIRE(results > 0);
  refused(kDelete);
  BOOST_TEST(w.all_results() == results);
}

BOOST_AUTO_TEST_CASE(two_statements_are_refused) {
  auto& w = world();
  const auto results = w.all_results();
  refused(kTwoStatements);
  BOOST_TEST(w.all_results() == results);
}

BOOST_AUTO_TEST_CASE(another_partner_or_no_partner_is_refused) {
  refused(kOtherPartner);
  refused(kOrTrue);
  refused(kUnscoped);
}

BOOST_AUTO_TEST_CASE(catalogs_and_credentials_are_refused) {
  refused(kCatalog, "pg_catalog");
  refused(kApiKeys, "api_keys");
}

BOOST_AUTO_TEST_CASE(a_failing_endpoint_is_unavailable) {
  auto& w = world();
  nl::NlEngine engine(w.db, {.llm = w.llm()});
  unavailable(engine, kServerError, "HTTP 500");
  unavailable(engine, kGarbage, "not JSON");
  unavailable(engine, kNoContent, "no content");
  unavailable(engine, kTooLarge, "larger than 1 MiB");
  unavailable(engine, kNoSql, "no SQL");
  unavailable(engine, kUnknown, "HTTP 404");

  auto quick = w.llm();
  quick.timeout = std::chrono::milliseconds{300};
  nl::NlEngine impatient(w.db, {.llm = quick});
  const auto start = std::chrono::steady_clock::now();
  unavailable(impatient, kSilent, "no answer within 300 ms");
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds{5}));
}

BOOST_AUTO_TEST_CASE(an_unreachable_endpoint_is_unavailable) {
  auto& w = world();
  unsigned short closed = 0;
  {
    asio::io_context ioc;
    tcp::acceptor probe(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    closed = probe.local_endpoint().port();
  }
  nl::NlEngine refused_port(w.db, {.llm = w.llm("http://127.0.0.1:" + std::to_string(closed) + "/v1/chat/completions")});
  unavailable(refused_port, kTeams, "connection refused");

  // TLS asked of a server that speaks plain HTTP: the handshake fails.
  nl::NlEngine tls(w.db, {.llm = w.llm(w.fake.url("https"))});
  unavailable(tls, kTeams, "TLS handshake");

  nl::NlEngine not_http(w.db, {.llm = w.llm("ftp://127.0.0.1/v1")});
  unavailable(not_http, kTeams, "http:// or https://");
  nl::NlEngine not_a_url(w.db, {.llm = w.llm("127.0.0.1:8080 /v1")});
  unavailable(not_a_url, kTeams, "not a URL");
}

BOOST_AUTO_TEST_SUITE_END()
