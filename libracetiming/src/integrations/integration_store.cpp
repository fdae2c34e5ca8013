#include "integrations/integration_store.hpp"

#include <algorithm>

#include <boost/url/parse.hpp>
#include <fmt/format.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::integrations::detail {
namespace {

// The credential fields each provider takes; a stored set must be one of these forms.
std::vector<std::vector<std::string>> credential_forms(Provider provider) {
  switch (provider) {
    case Provider::runsignup: return {{"api_key", "api_secret"}, {"access_token"}};
    // ChronoTrack takes the SHA-1 of the password: given a password, only that hash is kept
    case Provider::chronotrack: return {{"client_id", "user_id", "user_pass"}, {"access_token"}};
    case Provider::raceroster: return {{"access_token"}};  // public results need none
  }
  return {};
}

std::string sha1_hex(std::string_view text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string out;
  for (unsigned char b : digest) out += fmt::format("{:02x}", b);
  return out;
}

std::map<std::string, std::string> checked_credentials(Provider provider, std::map<std::string, std::string> fields) {
  if (provider == Provider::chronotrack) {
    if (auto pw = fields.find("password"); pw != fields.end()) {
      fields["user_pass"] = sha1_hex(pw->second);
      fields.erase(pw);
    }
  }
  std::vector<std::string> names;
  for (const auto& [k, v] : fields) {
    if (v.empty()) throw Error(ErrorCode::invalid_parameter, fmt::format("credentials: {} is empty", k), "credentials");
    names.push_back(k);
  }
  std::vector<std::string> accepted;
  for (auto form : credential_forms(provider)) {
    std::sort(form.begin(), form.end());
    if (form == names) return fields;
    accepted.push_back(fmt::format("{}", fmt::join(form, " + ")));
  }
  if (provider == Provider::chronotrack) accepted.push_back("client_id + user_id + password");
  throw Error(ErrorCode::invalid_parameter,
              fmt::format("credentials for {} are one of: {}", to_string(provider), fmt::join(accepted, "; ")), "credentials");
}

std::string settings_json(const IntegrationInput& input) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("event_ids");
  w.StartArray();
  for (const auto& id : input.event_ids) w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

std::string select_integrations(Dialect d) {
  return fmt::format("SELECT provider, base_url, credentials, settings, enabled, watermark, {}, {} FROM integrations ",
                     utc_text_expression(d, "created_at"), utc_text_expression(d, "updated_at"));
}

Integration integration_of(const std::vector<Value>& row) {
  Integration i;
  i.provider = parse_provider(as_text(row[0]));
  i.base_url = as_text(row[1]);
  // the names of the fields are not secret; the values never leave the store
  if (!is_null(row[2])) {
    const std::string stored = as_text(row[2]);
    if (auto bar = stored.find('|'); bar != std::string::npos) {
      std::string names = stored.substr(0, bar);
      for (std::size_t start = 0; start <= names.size();) {
        const auto comma = std::min(names.find(',', start), names.size());
        if (comma > start) i.credential_fields.push_back(names.substr(start, comma - start));
        start = comma + 1;
      }
    }
  }
  rapidjson::Document settings;
  const std::string text = as_text(row[3]);
  settings.Parse(text.data(), text.size());
  if (!settings.HasParseError() && settings.IsObject() && settings.HasMember("event_ids") && settings["event_ids"].IsArray())
    for (const auto& id : settings["event_ids"].GetArray())
      if (id.IsString()) i.event_ids.push_back(id.GetString());
  i.enabled = as_int(row[4]).value_or(1) != 0;  // both stores give booleans as 0 or 1
  if (!is_null(row[5])) i.watermark = as_int(row[5]);
  i.created_at = as_text(row[6]);
  i.updated_at = as_text(row[7]);
  return i;
}

void check_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme_id() != boost::urls::scheme::http && parsed->scheme_id() != boost::urls::scheme::https) ||
      parsed->encoded_host().empty())
    throw Error(ErrorCode::invalid_parameter, "base_url must be an http:// or https:// URL", "base_url");
  if (parsed->has_userinfo() || parsed->has_query())
    throw Error(ErrorCode::invalid_parameter, "base_url carries no user, password or query: credentials go in credentials", "base_url");
}

// The stored column: the field names (not secret), then the sealed values.
std::string stored_credentials(const std::map<std::string, std::string>& fields, const CredentialCipher& cipher) {
  std::string names;
  for (const auto& [k, v] : fields) names += (names.empty() ? "" : ",") + k;
  return names + "|" + cipher.seal(fields);
}

}  // namespace

std::vector<Integration> list_integrations(TenantSession& session) {
  SqlWriter w(session.dialect());
  w << select_integrations(session.dialect()) << "WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " ORDER BY provider";
  std::vector<Integration> out;
  for (const auto& row : session.query(w.take()).rows) out.push_back(integration_of(row));
  return out;
}

std::optional<Integration> find_integration(TenantSession& session, Provider provider) {
  SqlWriter w(session.dialect());
  w << select_integrations(session.dialect()) << "WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND provider = ";
  w.bind(std::string(to_string(provider)));
  const auto rows = session.query(w.take()).rows;
  if (rows.empty()) return std::nullopt;
  return integration_of(rows.front());
}

Integration put_integration(TenantSession& session, Provider provider, const IntegrationInput& input, const CredentialCipher& cipher) {
  check_url(input.base_url);
  for (const auto& id : input.event_ids)
    if (id.empty() || id.size() > 100 || id.find_first_of("/?#% ") != std::string::npos)
      throw Error(ErrorCode::invalid_parameter, "event_ids: each is a provider's id or code (no spaces, slashes or ?#%)", "event_ids");
  Value credentials;
  if (!input.credentials.empty()) credentials = stored_credentials(checked_credentials(provider, input.credentials), cipher);
  const Dialect d = session.dialect();
  SqlWriter w(d);
  w << "INSERT INTO integrations (timing_partner_id, provider, base_url, credentials, settings, enabled) VALUES (";
  w.bind(session.partner_id()) << ", ";
  w.bind(std::string(to_string(provider))) << ", ";
  w.bind(input.base_url) << ", ";
  w.bind(credentials) << ", ";
  w.bind(settings_json(input)) << ", " << (input.enabled ? "true" : "false")
    << ") ON CONFLICT (timing_partner_id, provider) DO UPDATE SET base_url = excluded.base_url, "
       "credentials = COALESCE(excluded.credentials, integrations.credentials), settings = excluded.settings, "
       "enabled = excluded.enabled, updated_at = "
    << now_expression(d)
    // a new place or a new list of events starts over: changes since the last run would miss the
    // older results of an event added to the list
    << ", watermark = CASE WHEN integrations.base_url = excluded.base_url AND integrations.settings = excluded.settings "
       "THEN integrations.watermark END";
  session.execute(w.take());
  return *find_integration(session, provider);
}

void remove_integration(TenantSession& session, Provider provider) {
  SqlWriter w(session.dialect());
  w << "DELETE FROM integrations WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND provider = ";
  w.bind(std::string(to_string(provider)));
  if (session.execute(w.take()) == 0)
    throw Error(ErrorCode::not_found, fmt::format("no {} integration", to_string(provider)), "provider");
}

std::map<std::string, std::string> integration_credentials(TenantSession& session, Provider provider, const CredentialCipher& cipher) {
  SqlWriter w(session.dialect());
  w << "SELECT credentials FROM integrations WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND provider = ";
  w.bind(std::string(to_string(provider)));
  const auto rows = session.query(w.take()).rows;
  if (rows.empty() || is_null(rows.front().front())) return {};
  const std::string stored = as_text(rows.front().front());
  const auto bar = stored.find('|');
  return cipher.open(bar == std::string::npos ? stored : std::string_view(stored).substr(bar + 1));
}

void set_watermark(TenantSession& session, Provider provider, std::int64_t unix_seconds) {
  SqlWriter w(session.dialect());
  w << "UPDATE integrations SET watermark = ";
  w.bind(unix_seconds) << " WHERE timing_partner_id = ";
  w.bind(session.partner_id()) << " AND provider = ";
  w.bind(std::string(to_string(provider)));
  session.execute(w.take());
}

}  // namespace racetiming::integrations::detail
