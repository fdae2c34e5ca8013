#include "racetiming/nl/engine.hpp"

#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "nl/llm_client.hpp"
#include "nl/rules.hpp"
#include "nl/summary.hpp"
#include "nl/templates.hpp"
#include "query/record_statements.hpp"
#include "racetiming/nl/sql_guard.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "text/utf8.hpp"

namespace racetiming::nl {
namespace {

using Clock = std::chrono::steady_clock;

Sql catalog_sql(Dialect d, std::int64_t partner) {
  const std::string_view tp = d == Dialect::postgresql ? "$1" : "?1";
  return {fmt::format("SELECT e.event_id, e.event_name, e.event_date, e.status, ra.race_id, ra.race_name, ra.distance_m, ra.placement_basis "
                      "FROM ct_events e LEFT JOIN ct_races ra ON ra.event_id = e.event_id AND ra.timing_partner_id = {0} "
                      "WHERE e.timing_partner_id = {0} ORDER BY e.event_date, e.event_id, ra.distance_m DESC",
                      tp),
          {Value{partner}}};
}

Catalog catalog_from(const ResultSet& rows) {
  Catalog c;
  for (const auto& row : rows.rows) {
    const auto id = as_int(row[0]).value_or(0);
    if (c.events.empty() || c.events.back().event_id != id)
      c.events.push_back({id, as_text(row[1]), as_text(row[2]).substr(0, 10), as_text(row[3]), {}});
    if (!is_null(row[4]))
      c.events.back().races.push_back({as_int(row[4]).value_or(0), as_text(row[5]), as_int(row[6]).value_or(0), as_text(row[7]) == "gun"});
  }
  return c;
}

// Placeholders written the other dialect's way: the guard reads PostgreSQL's grammar ($n), SQLite
// numbers its parameters ?n. Templates and guarded model SQL hold no other '?n' or '$n'.
std::string placeholders_as(std::string sql, char from, char to) {
  for (std::size_t i = 0; i + 1 < sql.size(); ++i)
    if (sql[i] == from && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) sql[i] = to;
  return sql;
}

std::string entities_json(const Plan& p) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto key = [&w](std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); };
  auto text = [&](std::string_view k, std::string_view v) {
    key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto number = [&](std::string_view k, std::int64_t v) {
    key(k);
    w.Int64(v);
  };
  w.StartObject();
  if (p.event) {
    key("event");
    w.StartObject();
    number("id", p.event->event_id);
    text("name", p.event->event_name);
    text("date", p.event->event_date);
    number("year", p.event->year());
    w.EndObject();
  } else if (!p.event_name.empty()) {
    text("event_name", p.event_name);
  }
  const CatalogRace* race = p.race;
  if (race) {
    key("race");
    w.StartObject();
    number("id", race->race_id);
    text("name", race->race_name);
    number("distance_m", race->distance_m);
    w.EndObject();
  }
  if (p.year && !p.event) number("year", *p.year);
  if (p.compare_years.size() >= 2) {
    key("years");
    w.StartArray();
    for (int y : p.compare_years) w.Int(y);
    w.EndArray();
  }
  if (p.min_time_ms) number("min_time_ms", *p.min_time_ms);
  if (p.max_time_ms) number("max_time_ms", *p.max_time_ms);
  if (p.gender) text("gender", std::string(1, *p.gender));
  if (p.min_age) number("min_age", *p.min_age);
  if (p.max_age) number("max_age", *p.max_age);
  if (p.division) text("division", *p.division);
  if (p.state) text("state", *p.state);
  if (p.city) text("city", *p.city);
  if (p.bib) text("bib", *p.bib);
  if (p.first_name) text("name", *p.first_name + " " + p.last_name.value_or(""));
  if (p.status) text("status", *p.status);
  if (p.month) number("month", *p.month);
  if (p.date_from) text("date_from", *p.date_from);
  if (p.date_to) text("date_to", *p.date_to);
  if (p.intent == Intent::top_finishers || p.intent == Intent::ranking_events) number("limit", p.limit);
  w.EndObject();
  return buffer.GetString();
}

// An LRU of answers with a time to live, keyed by partner, data version, question and context.
class AnswerCache {
 public:
  AnswerCache(std::size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

  std::optional<Answer> get(const std::string& key) {
    if (!capacity_) return std::nullopt;
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    if (Clock::now() - it->second->stored > ttl_) {
      order_.erase(it->second);
      index_.erase(it);
      return std::nullopt;
    }
    order_.splice(order_.begin(), order_, it->second);
    return it->second->answer;
  }

  void put(const std::string& key, const Answer& answer) {
    if (!capacity_) return;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      order_.erase(it->second);
      index_.erase(it);
    }
    order_.push_front({key, answer, Clock::now()});
    index_[key] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().key);
      order_.pop_back();
    }
  }

 private:
  struct Entry {
    std::string key;
    Answer answer;
    Clock::time_point stored;
  };
  std::size_t capacity_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::list<Entry> order_;
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

// What the model is told: the tables it may read, and how to scope them.
std::string model_prompt(bool postgresql) {
  std::string schema;
  for (const auto& [table, columns] : default_policy().tables) {
    schema += table + "(";
    bool first = true;
    for (const auto& c : columns) {
      schema += (first ? "" : ", ") + c;
      first = false;
    }
    schema += ")\n";
  }
  return fmt::format(
      "You write one {} SELECT statement that answers a race director's question about race results. "
      "Tables:\n{}Times are milliseconds (results_time_ms is chip time); is_final marks a finish reading; "
      "participant status is registered, started, finished, dnf, dns or dq. Every table you read must be "
      "filtered by its alias.timing_partner_id = $1 (the caller binds $1). Only SELECT; no other statement. "
      "Answer with the SQL only.",
      postgresql ? "PostgreSQL" : "SQLite-compatible", schema);
}

}  // namespace

Catalog load_catalog(Database& db, std::int64_t partner_id) {
  TenantSession session(db, partner_id);
  return catalog_from(session.query_and_commit(catalog_sql(db.dialect(), partner_id)));
}

struct NlEngine::Impl {
  Impl(Database& d, NlOptions o) : db(d), options(o), answers(o.cache_entries, o.cache_ttl) {}

  // The partner's catalog at a data version, shared by the requests that read it.
  std::shared_ptr<const Catalog> catalog(TenantSession& session, std::int64_t partner, std::int64_t version) {
    {
      std::lock_guard lock(mutex);
      auto it = catalogs.find(partner);
      if (it != catalogs.end() && it->second.first == version) return it->second.second;
    }
    auto loaded = std::make_shared<const Catalog>(catalog_from(session.query(catalog_sql(db.dialect(), partner))));
    std::lock_guard lock(mutex);
    catalogs[partner] = {version, loaded};
    return loaded;
  }

  // The fallback: the model's SQL, guarded, run in the same read-only session. Never cached.
  Answer ask_model(const TenantContext& ctx, const std::string& question, Refusal refusal, Clock::time_point start) {
    const bool pg = db.dialect() == Dialect::postgresql;
    const std::string sql = chat_completion_sql(*options.llm, model_prompt(pg), question);
    const std::vector<Value> params{Value{ctx.partner_id}};
    try {
      check_sql(sql, ctx.partner_id, params, policy);
    } catch (const Error& e) {
      throw NlUnsupported(fmt::format("the language model's SQL was refused: {}", e.what()), std::move(refusal.suggestions));
    }
    Answer a;
    a.question = question;
    a.intent = Intent::llm_query;
    a.engine = "llm";
    a.entities_json = "{}";
    a.template_name = "llm";
    a.sql = Sql{pg ? sql : placeholders_as(sql, '$', '?'), params, false};
    TenantSession session(db, ctx.partner_id, Access::read_only, options.statement_timeout);
    a.rows = session.query_and_commit(a.sql);
    a.summary = fmt::format("{} row{} from SQL written by the language model.", a.rows.rows.size(), a.rows.rows.size() == 1 ? "" : "s");
    a.execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return a;
  }

  Database& db;
  NlOptions options;
  AnswerCache answers;
  std::mutex mutex;
  std::map<std::int64_t, std::pair<std::int64_t, std::shared_ptr<const Catalog>>> catalogs;
  GuardPolicy policy = default_policy();
};

NlEngine::NlEngine(Database& db, NlOptions options) : impl_(std::make_unique<Impl>(db, options)) {}
NlEngine::~NlEngine() = default;

Answer NlEngine::ask(const TenantContext& ctx, std::string_view question, const AskContext& context) {
  const auto start = Clock::now();
  if (!text::is_utf8_text(question)) throw Error(ErrorCode::invalid_parameter, "the question is not UTF-8 text", "query");
  std::string trimmed(question);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  if (trimmed.find_first_not_of(" \t\r\n") == std::string::npos)
    throw NlUnsupported("the question is empty", suggestions({}, nullptr));

  Database& db = impl_->db;
  TenantSession session(db, ctx.partner_id, Access::read_only, impl_->options.statement_timeout);
  const auto version_rows = session.query(query::data_version(db.dialect(), ctx.partner_id));
  const std::int64_t version = version_rows.rows.empty() ? 0 : as_int(version_rows.rows[0][0]).value_or(0);
  std::string normal;
  for (const Token& t : tokenize(trimmed)) normal += t.original + ' ';
  const std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", ctx.partner_id, version, normal, context.today,
                                      context.event_name.value_or(""), context.year.value_or(0));
  if (auto hit = impl_->answers.get(key)) {
    session.commit();
    hit->cached = true;
    hit->question = std::string(question);
    hit->execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return *hit;
  }

  const auto catalog = impl_->catalog(session, ctx.partner_id, version);
  ParseOutcome parsed = parse_question(trimmed, *catalog, context);
  if (!parsed.plan && impl_->options.llm) {
    session.commit();  // no connection waits on the model: its SQL runs in a session of its own
    return impl_->ask_model(ctx, trimmed, std::move(parsed.refusal), start);
  }
  if (!parsed.plan) throw NlUnsupported(parsed.refusal.reason, std::move(parsed.refusal.suggestions));
  const Plan& plan = *parsed.plan;
  RenderedQuery rendered = render(plan, db.dialect(), ctx.partner_id);
  check_sql(placeholders_as(rendered.sql.text, '?', '$'), ctx.partner_id, rendered.sql.params, impl_->policy);

  Answer a;
  a.question = std::string(question);
  a.intent = plan.intent;
  a.entities_json = entities_json(plan);
  a.template_name = rendered.template_name;
  a.confidence = plan.confidence;
  a.rows = session.query_and_commit(rendered.sql);
  a.sql = std::move(rendered.sql);
  a.summary = summarize(plan, a.rows);
  impl_->answers.put(key, a);
  a.execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return a;
}

}  // namespace racetiming::nl
