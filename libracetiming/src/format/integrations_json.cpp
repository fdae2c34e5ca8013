#include "racetiming/format/integrations_json.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/error.hpp"

namespace racetiming::format {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void text_or_null(Writer& w, std::string_view k, const std::string& v) {
  key(w, k);
  if (v.empty()) w.Null(); else string(w, v);
}

void write(Writer& w, const integrations::Integration& i) {
  w.StartObject();
  key(w, "provider");
  string(w, integrations::to_string(i.provider));
  key(w, "base_url");
  string(w, i.base_url);
  key(w, "credential_fields");
  w.StartArray();
  for (const auto& f : i.credential_fields) string(w, f);
  w.EndArray();
  key(w, "event_ids");
  w.StartArray();
  for (const auto& id : i.event_ids) string(w, id);
  w.EndArray();
  key(w, "enabled");
  w.Bool(i.enabled);
  key(w, "watermark");
  if (i.watermark) w.Int64(*i.watermark); else w.Null();
  text_or_null(w, "created_at", i.created_at);
  text_or_null(w, "updated_at", i.updated_at);
  w.EndObject();
}

void write(Writer& w, const ingest::SyncRun& r) {
  w.StartObject();
  key(w, "sync_run_id");
  w.Int64(r.sync_run_id);
  text_or_null(w, "provider", r.provider);
  text_or_null(w, "source", r.source);
  text_or_null(w, "mode", r.mode);
  text_or_null(w, "status", r.status);
  text_or_null(w, "started_at", r.started_at);
  text_or_null(w, "finished_at", r.finished_at);
  const std::pair<const char*, std::int64_t> counts[] = {{"races_total", r.races_total}, {"races_done", r.races_done},
                                                         {"read", r.read},           {"created", r.created},
                                                         {"updated", r.updated},     {"removed", r.removed},
                                                         {"skipped", r.skipped},     {"failed", r.failed}};
  for (const auto& [k, v] : counts) {
    key(w, k);
    w.Int64(v);
  }
  text_or_null(w, "error", r.error);
  w.EndObject();
}

template <class T>
std::string one(const T& value) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write(w, value);
  return buffer.GetString();
}

template <class T>
std::string list(const std::vector<T>& values) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  key(w, "data");
  w.StartArray();
  for (const auto& v : values) write(w, v);
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

std::string integration_json(const integrations::Integration& i) { return one(i); }
std::string integrations_json(const std::vector<integrations::Integration>& v) { return list(v); }
std::string sync_run_json(const ingest::SyncRun& r) { return one(r); }
std::string sync_runs_json(const std::vector<ingest::SyncRun>& v) { return list(v); }

integrations::IntegrationInput integration_input_from_json(std::string_view body) {
  auto bad = [](const char* member, std::string_view why) {
    return Error(ErrorCode::invalid_parameter, fmt::format("{} {}", member, why), member);
  };
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) throw Error(ErrorCode::invalid_parameter, "the body must be a JSON object", "body");
  integrations::IntegrationInput input;
  for (const auto& m : doc.GetObject()) {
    const std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "base_url") {
      if (!m.value.IsString()) throw bad("base_url", "must be a string");
      input.base_url = m.value.GetString();
    } else if (name == "credentials") {
      if (m.value.IsNull()) continue;
      if (!m.value.IsObject()) throw bad("credentials", "must be an object of strings");
      for (const auto& c : m.value.GetObject()) {
        if (!c.value.IsString()) throw bad("credentials", "must be an object of strings");
        input.credentials[c.name.GetString()] = c.value.GetString();
      }
    } else if (name == "event_ids") {
      if (!m.value.IsArray()) throw bad("event_ids", "must be an array of strings");
      for (const auto& id : m.value.GetArray()) {
        if (id.IsString()) input.event_ids.emplace_back(id.GetString());
        else if (id.IsInt64()) input.event_ids.push_back(std::to_string(id.GetInt64()));
        else throw bad("event_ids", "must be an array of strings");
      }
    } else if (name == "enabled") {
      if (!m.value.IsBool()) throw bad("enabled", "must be true or false");
      input.enabled = m.value.GetBool();
    } else {
      throw Error(ErrorCode::invalid_parameter,
                  fmt::format("unknown member '{}' (base_url, credentials, event_ids, enabled)", name.substr(0, 64)), "body");
    }
  }
  if (input.base_url.empty()) throw bad("base_url", "is required");
  return input;
}

}  // namespace racetiming::format
