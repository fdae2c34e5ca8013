#include "app/chat_routes.hpp"

#include <ctime>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace racetimingd::app {
namespace {

namespace rt = racetiming;
using racetiming::Error;
using racetiming::ErrorCode;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The models a partner picks from: the same engine, with or without the SQL in the reply.
struct Model {
  const char* id;
  bool show_sql;
};
constexpr Model kModels[] = {{"racetiming", false}, {"racetiming-sql", true}};
constexpr std::int64_t kModelsCreated = 1764547200;  // 2025-12-01, when these models were first served

const Model& model_named(std::string_view id) {
  for (const auto& m : kModels)
    if (id == m.id) return m;
  throw Error(ErrorCode::not_found, fmt::format("the model '{}' does not exist (racetiming or racetiming-sql)", id), "model");
}

void text(Writer& w, std::string_view v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }

void write_model(Writer& w, const Model& m) {
  w.StartObject();
  w.Key("id");
  w.String(m.id);
  w.Key("object");
  w.String("model");
  w.Key("created");
  w.Int64(kModelsCreated);
  w.Key("owned_by");
  w.String("racetiming");
  w.EndObject();
}

http::Response json(const rapidjson::StringBuffer& buffer) {
  http::Response r;
  r.body.assign(buffer.GetString(), buffer.GetSize());
  return r;
}

struct ChatRequest {
  const Model* model = nullptr;
  std::vector<rt::chat::Message> messages;
  bool stream = false;
  bool stream_usage = false;  // stream_options.include_usage
};

Error bad(std::string message, std::string parameter) {
  return Error(ErrorCode::invalid_parameter, std::move(message), std::move(parameter));
}

// A message's text: a string, or an array of parts of which only text parts are taken (an image is
// refused: nothing here reads pictures).
std::string message_text(const rapidjson::Value& content) {
  if (content.IsNull()) return {};
  if (content.IsString()) return {content.GetString(), content.GetStringLength()};
  if (!content.IsArray()) throw bad("a message's content must be a string or an array of parts", "messages");
  std::string out;
  for (const auto& part : content.GetArray()) {
    const auto type = part.IsObject() ? part.FindMember("type") : part.MemberEnd();
    if (!part.IsObject() || type == part.MemberEnd() || !type->value.IsString())
      throw bad("a content part must be an object with a type", "messages");
    const std::string_view kind(type->value.GetString(), type->value.GetStringLength());
    if (kind != "text") throw bad(fmt::format("content of type '{}' is not supported: only text", kind), "messages");
    const auto t = part.FindMember("text");
    if (t == part.MemberEnd() || !t->value.IsString()) throw bad("a text part needs its text", "messages");
    if (!out.empty()) out += '\n';
    out.append(t->value.GetString(), t->value.GetStringLength());
  }
  return out;
}

// OpenAI's request body; fields it has that this API does not use are ignored, as its clients send many.
ChatRequest read_chat_request(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str(), body.size());
  if (d.HasParseError() || !d.IsObject()) throw bad("the body must be a JSON object with \"model\" and \"messages\"", "body");
  ChatRequest r;
  const auto model = d.FindMember("model");
  if (model == d.MemberEnd() || !model->value.IsString()) throw bad("model is required", "model");
  r.model = &model_named({model->value.GetString(), model->value.GetStringLength()});
  if (auto n = d.FindMember("n"); n != d.MemberEnd() && !n->value.IsNull() && !(n->value.IsInt() && n->value.GetInt() == 1))
    throw bad("n must be 1: there is one answer to a question", "n");
  for (const char* name : {"tools", "functions"})
    if (auto t = d.FindMember(name); t != d.MemberEnd() && !t->value.IsNull() && !(t->value.IsArray() && t->value.Empty()))
      throw bad(fmt::format("{} are not supported: the questions are answered here, not by calling tools", name), name);
  if (auto s = d.FindMember("stream"); s != d.MemberEnd() && !s->value.IsNull()) {
    if (!s->value.IsBool()) throw bad("stream must be true or false", "stream");
    r.stream = s->value.GetBool();
  }
  if (auto o = d.FindMember("stream_options"); o != d.MemberEnd() && o->value.IsObject())
    if (auto u = o->value.FindMember("include_usage"); u != o->value.MemberEnd() && u->value.IsBool()) r.stream_usage = u->value.GetBool();
  const auto messages = d.FindMember("messages");
  if (messages == d.MemberEnd() || !messages->value.IsArray() || messages->value.Empty())
    throw bad("messages must be a non-empty array", "messages");
  for (const auto& m : messages->value.GetArray()) {
    const auto role = m.IsObject() ? m.FindMember("role") : m.MemberEnd();
    if (!m.IsObject() || role == m.MemberEnd() || !role->value.IsString()) throw bad("every message needs a role", "messages");
    const std::string_view name(role->value.GetString(), role->value.GetStringLength());
    const auto parsed = rt::chat::role_from(name);
    if (!parsed) continue;  // tool and function results belong to tools, refused above
    const auto content = m.FindMember("content");
    r.messages.push_back({*parsed, content == m.MemberEnd() ? std::string() : message_text(content->value)});
  }
  return r;
}

// The fields every completion object and chunk starts with.
void head(Writer& w, const std::string& id, const char* object, std::int64_t created, const Model& model) {
  w.Key("id");
  text(w, id);
  w.Key("object");
  w.String(object);
  w.Key("created");
  w.Int64(created);
  w.Key("model");
  w.String(model.id);
  w.Key("system_fingerprint");
  w.Null();
}

void usage(Writer& w, const rt::chat::Usage& u) {
  w.Key("usage");
  w.StartObject();
  w.Key("prompt_tokens");  // words, not a model's tokens (docs/openwebui.md)
  w.Uint64(u.prompt_words);
  w.Key("completion_tokens");
  w.Uint64(u.reply_words);
  w.Key("total_tokens");
  w.Uint64(u.prompt_words + u.reply_words);
  w.EndObject();
}

http::Response completion(const std::string& id, std::int64_t created, const Model& model, const rt::chat::Reply& reply) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  head(w, id, "chat.completion", created, model);
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("message");
  w.StartObject();
  w.Key("role");
  w.String("assistant");
  w.Key("content");
  text(w, reply.content);
  w.Key("refusal");
  w.Null();
  w.EndObject();
  w.Key("logprobs");
  w.Null();
  w.Key("finish_reason");
  w.String("stop");
  w.EndObject();
  w.EndArray();
  usage(w, reply.usage);
  w.EndObject();
  return json(buffer);
}

// One SSE event of a chunk: choices holds the delta (role and/or content) or the finish.
void chunk(std::string& out, const std::string& id, std::int64_t created, const Model& model, const char* role,
           std::optional<std::string_view> content, const char* finish, const rt::chat::Usage* with_usage) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  head(w, id, "chat.completion.chunk", created, model);
  w.Key("choices");
  w.StartArray();
  if (!with_usage) {
    w.StartObject();
    w.Key("index");
    w.Int(0);
    w.Key("delta");
    w.StartObject();
    if (role) {
      w.Key("role");
      w.String(role);
    }
    if (content) {
      w.Key("content");
      text(w, *content);
    }
    w.EndObject();
    w.Key("logprobs");
    w.Null();
    w.Key("finish_reason");
    if (finish) w.String(finish);
    else w.Null();
    w.EndObject();
  }
  w.EndArray();
  if (with_usage) usage(w, *with_usage);
  w.EndObject();
  out += "data: ";
  out.append(buffer.GetString(), buffer.GetSize());
  out += "\n\n";
}

// The reply as Server-Sent Events in OpenAI's chunk format: the role, the content a line at a time, the
// finish, the usage when asked for, then [DONE]. The answer is whole before the first chunk (a
// question is one query, not a stream of tokens), so the events travel in one response body.
http::Response stream(const std::string& id, std::int64_t created, const Model& model, const rt::chat::Reply& reply,
                      bool with_usage) {
  std::string out;
  chunk(out, id, created, model, "assistant", std::string_view(), nullptr, nullptr);
  std::string_view rest = reply.content;
  while (!rest.empty()) {
    const auto line_end = rest.find('\n');
    const std::size_t n = line_end == std::string_view::npos ? rest.size() : line_end + 1;
    chunk(out, id, created, model, nullptr, rest.substr(0, n), nullptr, nullptr);
    rest.remove_prefix(n);
  }
  chunk(out, id, created, model, nullptr, std::nullopt, "stop", nullptr);
  if (with_usage) chunk(out, id, created, model, nullptr, std::nullopt, nullptr, &reply.usage);
  out += "data: [DONE]\n\n";
  http::Response r;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.body = std::move(out);
  return r;
}

}  // namespace

void add_chat_routes(Router& router) {
  router.add({.method = "GET", .pattern = "/v1/models", .permission = "run:nl-query",
              .summary = "The chat models (OpenAI's list shape): racetiming, and racetiming-sql that also shows the SQL",
              .handler = [](const Call&) {
                rapidjson::StringBuffer buffer;
                Writer w(buffer);
                w.StartObject();
                w.Key("object");
                w.String("list");
                w.Key("data");
                w.StartArray();
                for (const auto& m : kModels) write_model(w, m);
                w.EndArray();
                w.EndObject();
                return json(buffer);
              },
              .tag = "chat", .response = "ChatModelList", .openai_errors = true});
  router.add({.method = "GET", .pattern = "/v1/models/{model}", .permission = "run:nl-query",
              .summary = "One chat model",
              .handler = [](const Call& c) {
                rapidjson::StringBuffer buffer;
                Writer w(buffer);
                write_model(w, model_named(c.path_params.at("model")));
                return json(buffer);
              },
              .tag = "chat", .response = "ChatModel", .openai_errors = true});
  router.add({.method = "POST", .pattern = "/v1/chat/completions", .permission = "run:nl-query",
              .summary = "Answer the last user message of a chat (OpenAI's chat completions; stream for Server-Sent Events)",
              .handler = [](const Call& c) {
                const auto request = read_chat_request(c.request.body);
                const auto reply = c.partner().chat(request.messages, {.show_sql = request.model->show_sql});
                const std::string id = "chatcmpl-" + c.request_id;
                const std::int64_t created = std::time(nullptr);
                return request.stream ? stream(id, created, *request.model, reply, request.stream_usage)
                                      : completion(id, created, *request.model, reply);
              },
              .tag = "chat", .body = "ChatCompletionRequest", .response = "ChatCompletion", .openai_errors = true,
              .rate_class = "nl-query"});
}

}  // namespace racetimingd::app
