#include "racetiming/nl/engine.hpp"

#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "nl/llm_client.hpp"
#include "nl/rules.hpp"
#include "nl/summary.hpp"
#include "nl/render.hpp"
#include "query/record_statements.hpp"
#include "store/lru_cache.hpp"
#include "nl/sql_guard.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "text/utf8.hpp"

namespace racetiming::nl {
namespace {

using Clock = std::chrono::steady_clock;

Sql catalog_sql(Dialect d, std::int64_t partner) {
  const std::string_view tp = d == Dialect::postgresql ? "$1" : "?1";
  return {fmt::format("SELECT e.event_id, e.event_name, e.event_date, e.status, ra.race_id, ra.race_name, ra.distance_m, ra.placement_basis, "
                      "e.city, e.state "
                      "FROM ct_events e LEFT JOIN ct_races ra ON ra.event_id = e.event_id AND ra.timing_partner_id = {0} "
                      "WHERE e.timing_partner_id = {0} ORDER BY e.event_date, e.event_id, ra.distance_m DESC",
                      tp),
          {Value{partner}}};
}

// The team names a partner's entries carry: the parser reads them as names, never as cities.
Sql teams_sql(Dialect d, std::int64_t partner) {
  const std::string_view tp = d == Dialect::postgresql ? "$1" : "?1";
  return {fmt::format("SELECT DISTINCT p.team FROM ct_participants p WHERE p.timing_partner_id = {} AND p.team <> '' ORDER BY p.team", tp),
          {Value{partner}}};
}

// The partner's own names for its events (nl/event_aliases.hpp).
Sql aliases_sql(Dialect d, std::int64_t partner) {
  const std::string_view tp = d == Dialect::postgresql ? "$1" : "?1";
  return {fmt::format("SELECT alias, event_name FROM ct_event_aliases WHERE timing_partner_id = {} ORDER BY alias_key", tp),
          {Value{partner}}};
}

Catalog catalog_from(const ResultSet& rows, const ResultSet& teams, const ResultSet& aliases) {
  Catalog c;
  for (const auto& row : aliases.rows) c.aliases.push_back({as_text(row[0]), as_text(row[1])});
  // longest first: "the Big Trot" before "the Trot"
  std::stable_sort(c.aliases.begin(), c.aliases.end(), [](const EventAlias& a, const EventAlias& b) { return a.alias.size() > b.alias.size(); });
  for (const auto& row : teams.rows) c.teams.push_back(as_text(row[0]));
  // longest names first: "Hudson Valley Striders" before "Hudson"
  std::stable_sort(c.teams.begin(), c.teams.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& row : rows.rows) {
    const auto id = as_int(row[0]).value_or(0);
    if (c.events.empty() || c.events.back().event_id != id)
      c.events.push_back({id, as_text(row[1]), as_text(row[2]).substr(0, 10), as_text(row[3]), {}, as_text(row[8]), as_text(row[9])});
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
  auto filters = [&](const Filters& f) {
    if (f.min_time_ms) number("min_time_ms", *f.min_time_ms);
    if (f.max_time_ms) number("max_time_ms", *f.max_time_ms);
    if (f.min_pace_ms) number("min_pace_ms_per_km", *f.min_pace_ms);
    if (f.max_pace_ms) number("max_pace_ms_per_km", *f.max_pace_ms);
    if (f.gender) text("gender", std::string(1, *f.gender));
    if (f.min_age) number("min_age", *f.min_age);
    if (f.max_age) number("max_age", *f.max_age);
    if (f.division) text("division", *f.division);
    if (f.state) text("state", *f.state);
    if (f.city) text("city", *f.city);
    if (f.team) text("team", *f.team);
    if (f.max_place) number("max_place", *f.max_place);
    if (f.bib) text("bib", *f.bib);
    if (f.first_name) text("name", *f.first_name + " " + f.last_name.value_or(""));
    if (f.status) text("status", *f.status);
  };
  filters(p.who);
  if (p.month) number("month", *p.month);
  if (p.date_from) text("date_from", *p.date_from);
  if (p.date_to) text("date_to", *p.date_to);
  if (p.event_state) text("event_state", *p.event_state);
  if (p.measure == Measure::top || p.rank_groups) number("limit", p.limit);
  text("measure", to_string(p.measure));
  text("population", to_string(p.population));
  if (p.field != Field::none) text("field", to_string(p.field));
  if (p.measure == Measure::statistic || p.measure == Measure::extreme) text("statistic", to_string(p.statistic));
  if (p.measure == Measure::nth_place) number("place", p.nth);
  if (p.grouping != Grouping::none) text("grouping", to_string(p.grouping));
  if (p.combine != Combine::none)
    text("combine", p.combine == Combine::versus ? "versus" : p.combine == Combine::difference ? "difference" : "sum");
  if (!p.events.empty()) {
    key("events");
    w.StartArray();
    for (const CatalogEvent* e : p.events) w.Int64(e->event_id);
    w.EndArray();
  }
  if (!p.condition.empty()) {
    key("condition");
    w.StartObject();
    filters(p.condition);
    w.EndObject();
  }
  w.EndObject();
  return buffer.GetString();
}

// Answers keyed by partner, data version, question and context.
using AnswerCache = store::LruCache<Answer>;

// What the model is told: the tables it may read, and how to scope them.
std::string model_prompt(bool postgresql) {
  std::string schema;
  for (const auto& [table, columns] : default_policy().tables) {
    if (table == "race_tallies") continue;  // a rollup the rendered plans read; the model writes over entries
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
  auto events = session.query(catalog_sql(db.dialect(), partner_id));
  auto teams = session.query(teams_sql(db.dialect(), partner_id));
  return catalog_from(events, teams, session.query_and_commit(aliases_sql(db.dialect(), partner_id)));
}

struct NlEngine::Impl {
  Impl(Database& d, ReadsFrom r, NlOptions o, const sport::ReferenceTables& t)
      : db(d), reads_from(std::move(r)), options(o), tables(t), answers(o.cache_entries, o.cache_ttl) {}

  // The partner's data version, which moves with every write (the answer cache and catalogs key on it).
  std::int64_t data_version(TenantSession& session, std::int64_t partner) {
    const auto rows = session.query(query::data_version(db.dialect(), partner));
    return rows.rows.empty() ? 0 : as_int(rows.rows[0][0]).value_or(0);
  }

  // A partner's catalog and its event names as the parser matches them, worked out once per data
  // version instead of once per question (the names point into `catalog`, so it is never copied).
  struct KnownCatalog {
    explicit KnownCatalog(Catalog c) : catalog(std::move(c)), names(event_names(catalog)) {}
    KnownCatalog(const KnownCatalog&) = delete;
    KnownCatalog& operator=(const KnownCatalog&) = delete;
    const Catalog catalog;
    const std::vector<NamedEvent> names;
  };

  // The partner's catalog at a data version, shared by the requests that read it.
  std::shared_ptr<const KnownCatalog> catalog(TenantSession& session, std::int64_t partner, std::int64_t version) {
    {
      std::lock_guard lock(mutex);
      auto it = catalogs.find(partner);
      if (it != catalogs.end() && it->second.first == version) return it->second.second;
    }
    auto events = session.query(catalog_sql(db.dialect(), partner));
    auto teams = session.query(teams_sql(db.dialect(), partner));
    auto loaded = std::make_shared<const KnownCatalog>(catalog_from(events, teams, session.query(aliases_sql(db.dialect(), partner))));
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
    TenantSession session(reads_from(ctx.partner_id), ctx.partner_id, Access::read_only, options.statement_timeout);
    a.rows = session.query_and_commit(a.sql);
    a.summary = fmt::format("{} row{} from SQL written by the language model.", a.rows.rows.size(), a.rows.rows.size() == 1 ? "" : "s");
    a.execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return a;
  }

  Database& db;  // its dialect; the data is read where reads_from says
  ReadsFrom reads_from;
  NlOptions options;
  const sport::ReferenceTables& tables;
  AnswerCache answers;
  std::mutex mutex;
  std::map<std::int64_t, std::pair<std::int64_t, std::shared_ptr<const KnownCatalog>>> catalogs;
  GuardPolicy policy = default_policy();
};

NlEngine::NlEngine(Database& db, NlOptions options, const sport::ReferenceTables& tables)
    : NlEngine(db, [&db](std::int64_t) -> Database& { return db; }, options, tables) {}

NlEngine::NlEngine(Database& db, ReadsFrom reads_from, NlOptions options, const sport::ReferenceTables& tables)
    : impl_(std::make_unique<Impl>(db, std::move(reads_from), options, tables)) {}
NlEngine::~NlEngine() = default;

Answer NlEngine::ask(const TenantContext& ctx, std::string_view question, const AskContext& context) {
  const auto start = Clock::now();
  if (!text::is_utf8_text(question)) throw Error(ErrorCode::invalid_parameter, "the question is not UTF-8 text", "query");
  std::string trimmed(question);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  if (trimmed.find_first_not_of(" \t\r\n") == std::string::npos)
    throw NlUnsupported("the question is empty", suggestions({}, nullptr));

  Database& db = impl_->reads_from(ctx.partner_id);
  TenantSession session(db, ctx.partner_id, Access::read_only, impl_->options.statement_timeout);
  const std::int64_t version = impl_->data_version(session, ctx.partner_id);
  std::string normal;
  for (const Token& t : tokenize(trimmed)) normal += t.original + ' ';
  std::string earlier;
  if (context.previous)
    for (const auto& q : context.previous->questions) earlier += q + '\x1e';
  const std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", ctx.partner_id, version, normal, context.today,
                                      context.event_name.value_or(""), context.year.value_or(0), earlier);
  if (auto hit = impl_->answers.get(key)) {
    session.commit();
    hit->cached = true;
    hit->question = std::string(question);
    hit->execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    return *hit;
  }

  const auto catalog = impl_->catalog(session, ctx.partner_id, version);
  ParseOutcome parsed = parse_question(trimmed, catalog->catalog, catalog->names, context);
  if (!parsed.plan && impl_->options.llm) {
    session.commit();  // no connection waits on the model: its SQL runs in a session of its own
    return impl_->ask_model(ctx, trimmed, std::move(parsed.refusal), start);
  }
  if (!parsed.plan)
    throw NlUnsupported(parsed.refusal.reason, std::move(parsed.refusal.suggestions), std::move(parsed.refusal.unknown_words));
  const Plan& plan = *parsed.plan;
  RenderedQuery rendered = render(plan, db.dialect(), ctx.partner_id, impl_->tables.boston_qualifying);
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
  a.interpretation = interpret(plan);
  if (context.previous) a.context = *context.previous;
  a.context.questions.push_back(trimmed);
  if (a.context.questions.size() > kMaxFollowUps) a.context.questions.erase(a.context.questions.begin());
  impl_->answers.put(key, a);
  a.execution_time_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return a;
}

FollowUp NlEngine::follow_up_of(const TenantContext& ctx, const std::vector<std::string>& questions, const AskContext& context) {
  FollowUp kept;
  if (questions.empty()) return kept;
  Database& db = impl_->reads_from(ctx.partner_id);
  TenantSession session(db, ctx.partner_id, Access::read_only, impl_->options.statement_timeout);
  const auto catalog = impl_->catalog(session, ctx.partner_id, impl_->data_version(session, ctx.partner_id));
  session.commit();
  for (const auto& question : questions) {
    if (question.size() > kMaxQuestionBytes || !text::is_utf8_text(question)) continue;
    AskContext asked = context;
    asked.previous = kept.questions.empty() ? std::nullopt : std::optional<FollowUp>(kept);
    if (!parse_question(question, catalog->catalog, catalog->names, asked).plan) continue;
    kept.questions.push_back(question);
    if (kept.questions.size() > kMaxFollowUps) kept.questions.erase(kept.questions.begin());
  }
  return kept;
}

std::string follow_up_json(const FollowUp& f) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("previous");
  w.StartObject();
  w.Key("questions");
  w.StartArray();
  for (const auto& q : f.questions) w.String(q.data(), static_cast<rapidjson::SizeType>(q.size()));
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return buffer.GetString();
}

FollowUp follow_up_from_json(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  auto bad = [](std::string_view why) {
    return Error(ErrorCode::invalid_parameter, fmt::format("context.previous {}", why), "context.previous");
  };
  if (d.HasParseError() || !d.IsObject()) throw bad("must be the object an answer's context returned");
  const auto q = d.FindMember("questions");
  if (q == d.MemberEnd() || !q->value.IsArray()) throw bad("must hold the questions array an answer returned");
  FollowUp f;
  for (const auto& v : q->value.GetArray()) {
    if (!v.IsString()) throw bad("questions must be strings");
    const std::string_view text(v.GetString(), v.GetStringLength());
    if (text.size() > kMaxQuestionBytes || !text::is_utf8_text(text)) throw bad("holds a question that is not one");
    f.questions.emplace_back(text);
  }
  if (f.questions.size() > kMaxFollowUps) f.questions.erase(f.questions.begin(), f.questions.end() - kMaxFollowUps);
  return f;
}

}  // namespace racetiming::nl
