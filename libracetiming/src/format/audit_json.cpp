#include "racetiming/format/audit_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace racetiming::format {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void int_or_null(Writer& w, std::string_view k, const std::optional<std::int64_t>& v) {
  key(w, k);
  if (v) w.Int64(*v); else w.Null();
}

}  // namespace

std::string audit_entries_json(const std::vector<audit::AuditEntry>& entries, bool more) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  key(w, "data");
  w.StartArray();
  for (const auto& e : entries) {
    w.StartObject();
    key(w, "audit_id");
    w.Int64(e.audit_id);
    key(w, "occurred_at");
    string(w, e.occurred_at);
    int_or_null(w, "user_id", e.user_id);
    int_or_null(w, "key_id", e.key_id);
    key(w, "method");
    string(w, e.method);
    key(w, "route");
    string(w, e.route);
    key(w, "status");
    w.Int(e.status);
    key(w, "request_id");
    string(w, e.request_id);
    key(w, "duration_ms");
    w.Double(e.duration_ms);
    key(w, "client_address");
    string(w, e.client_address);
    key(w, "hash");
    string(w, e.hash);
    w.EndObject();
  }
  w.EndArray();
  key(w, "next_before_id");
  if (more && !entries.empty()) w.Int64(entries.back().audit_id); else w.Null();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string chain_report_json(const audit::ChainReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  key(w, "rows");
  w.Int64(report.rows);
  key(w, "intact");
  w.Bool(report.intact());
  key(w, "findings");
  w.StartArray();
  for (const auto& f : report.findings) {
    w.StartObject();
    int_or_null(w, "partner_id", f.partner_id);
    key(w, "audit_id");
    w.Int64(f.audit_id);
    key(w, "problem");
    string(w, f.problem);
    key(w, "detail");
    string(w, f.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace racetiming::format
