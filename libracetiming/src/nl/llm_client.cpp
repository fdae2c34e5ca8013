// The language-model fallback's one HTTP call: an OpenAI-compatible chat completion, plain or TLS, over
// the library's one HTTP client. Nothing here logs, and no message carries the request, the URL's
// credentials or the API key.
#include "nl/llm_client.hpp"

#include <cctype>
#include <chrono>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "net/http_client.hpp"
#include "racetiming/error.hpp"

namespace racetiming::nl {
namespace {

[[noreturn]] void fail(std::string_view what) {
  throw Error(ErrorCode::unavailable, fmt::format("language model: {}", what));
}

std::string request_body(const LlmFallback& config, std::string_view system_prompt, std::string_view question) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto string = [&w](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  auto message = [&](std::string_view role, std::string_view content) {
    w.StartObject();
    w.Key("role");
    string(role);
    w.Key("content");
    string(content);
    w.EndObject();
  };
  w.StartObject();
  w.Key("model");
  string(config.model);
  w.Key("messages");
  w.StartArray();
  message("system", system_prompt);
  message("user", question);
  w.EndArray();
  w.Key("temperature");
  w.Int(0);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

// The SQL in a model's message: the first ``` fenced block when there is one (its language tag dropped),
// else the whole text; surrounding space and one trailing semicolon removed.
std::string sql_from(std::string_view content) {
  std::string_view sql = content;
  if (const auto open = content.find("```"); open != std::string_view::npos) {
    sql = content.substr(open + 3);
    if (const auto close = sql.find("```"); close != std::string_view::npos) sql = sql.substr(0, close);
    if (const auto line_end = sql.find('\n'); line_end != std::string_view::npos) {
      sql = sql.substr(line_end + 1);  // the opening line holds at most a language tag
    } else if (sql.size() > 4 && (sql.substr(0, 3) == "sql" || sql.substr(0, 3) == "SQL") && std::isspace(static_cast<unsigned char>(sql[3]))) {
      sql = sql.substr(4);  // ```sql SELECT ...``` on one line
    }
  }
  sql = trim(sql);
  if (!sql.empty() && sql.back() == ';') sql = trim(sql.substr(0, sql.size() - 1));
  return std::string(sql);
}

std::string content_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) fail("the answer is not JSON");
  if (!doc.IsObject()) fail("the answer is not a chat completion");
  const auto choices = doc.FindMember("choices");
  if (choices == doc.MemberEnd() || !choices->value.IsArray() || choices->value.Empty())
    fail("the answer has no choices");
  const auto& first = choices->value[0];
  if (!first.IsObject()) fail("the answer has no message");
  const auto message = first.FindMember("message");
  if (message == first.MemberEnd() || !message->value.IsObject()) fail("the answer has no message");
  const auto content = message->value.FindMember("content");
  if (content == message->value.MemberEnd() || !content->value.IsString()) fail("the answer has no content");
  return {content->value.GetString(), content->value.GetStringLength()};
}

}  // namespace

std::string chat_completion_sql(const LlmFallback& config, std::string_view system_prompt, std::string_view question) {
  net::HttpRequest request{"POST", config.url, {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
                           request_body(config, system_prompt, question)};
  if (!config.api_key.empty()) request.headers.emplace_back("Authorization", "Bearer " + config.api_key);
  // one deadline for the whole call, as the option promises
  const auto timeout = config.timeout.count() > 0 ? config.timeout : std::chrono::milliseconds{15000};
  net::HttpResponse response;
  try {
    response = net::send(request, {.connect_timeout = timeout, .read_timeout = timeout, .body_limit = 1024 * 1024});
  } catch (const Error& e) {
    fail(e.what());
  } catch (const net::TransportError& e) {
    if (e.kind() == net::TransportFailure::timeout) fail(fmt::format("no answer within {} ms", timeout.count()));
    fail(e.what());
  }
  if (response.status != 200) fail(fmt::format("the endpoint answered HTTP {}", response.status));
  std::string sql = sql_from(content_of(response.body));
  if (sql.empty()) fail("the answer holds no SQL");
  return sql;
}

}  // namespace racetiming::nl
