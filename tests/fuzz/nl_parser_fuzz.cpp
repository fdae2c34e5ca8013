// libFuzzer target for the question parser and the SQL templates (tests/fuzz/CMakeLists.txt builds it
// with clang++ -fsanitize=fuzzer,address,undefined from the library's sources; ctest runs it as nl_fuzz).
//
// Every input is a question, asked against a fixed catalog with two contexts. Besides the sanitizers
// (and libstdc++'s assertions: an empty optional read, a vector index out of range), every plan that
// comes back is rendered for both dialects and must hold these properties, else abort():
//   1. the first bound parameter is the partner id;
//   2. the placeholders in the text are exactly 1..n for the n bound values;
//   3. no 8-byte run of the question appears in the text, unless it is template text (it also appears
//      in the text rendered from the plan with every value replaced, see with_other_values) — values
//      are bound, never spliced;
//   4. the text does not depend on the plan's values at all: the plan with every text and number
//      replaced by another (same shape) renders the same text, with parameters of the same types.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "nl/render.hpp"
#include "racetiming/nl/plan.hpp"

namespace {

using namespace racetiming;
using namespace racetiming::nl;

constexpr std::int64_t kPartner = 4242;
constexpr std::size_t kRun = 8;

const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog out;
    std::int64_t event_id = 100, race_id = 1000;
    auto add = [&](std::string name, std::string date, std::string status,
                   std::initializer_list<std::pair<const char*, std::int64_t>> races) {
      CatalogEvent e{++event_id, std::move(name), std::move(date), std::move(status), {}};
      for (const auto& [race_name, distance] : races) e.races.push_back({++race_id, race_name, distance});
      out.events.push_back(std::move(e));
    };
    add("Boston Marathon", "2024-04-15", "completed", {{"Marathon", 42195}});
    for (const char* date : {"2022-10-09", "2023-10-08", "2024-10-13"})
      add("Big River Marathon", date, "completed", {{"Marathon", 42195}, {"Half Marathon", 21098}, {"5K", 5000}});
    add("Turkey Trot 5K", "2023-11-23", "completed", {{"5K", 5000}});
    out.events.back().races.back().gun_placed = true;  // ranked by gun time
    add("Turkey Trot 5K", "2024-11-28", "completed", {{"5K", 5000}});
    add("Riverfront 10K", "2024-06-08", "completed", {{"10K", 10000}});
    add("Hudson Valley Half", "2023-05-07", "completed", {{"Half Marathon", 21098}, {"5K", 5000}});
    add("Hudson Valley Half", "2024-05-05", "completed", {{"Half Marathon", 21098}, {"5K", 5000}});
    add("Rail Trail 15K", "2024-08-17", "completed", {{"15K", 15000}});
    add("Harvest 10 Mile", "2025-09-21", "cancelled", {{"10 Mile", 16093}, {"2 Mile Fun Run", 3219}});
    add("Winter Classic", "2027-01-10", "scheduled", {});  // no races yet
    add("Downtown Mile", "2026-11-25", "active", {{"Elite Mile", 1609}, {"Open Mile", 1609}});  // today, live
    return out;
  }();
  return c;
}

const AskContext& plain_context() {
  static const AskContext c{"2026-11-25", std::nullopt, std::nullopt};
  return c;
}
const AskContext& event_context() {
  static const AskContext c{"2026-11-25", std::string("Big River Marathon"), 2023};
  return c;
}

[[noreturn]] void violation(std::string_view what, std::string_view question, const Plan& plan, Dialect dialect,
                            const std::string& sql) {
  std::fprintf(stderr, "nl_parser_fuzz: %.*s\n  intent: %.*s (%s)\n  question (%zu bytes): %.*s\n  sql: %s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(to_string(plan.intent).size()),
               to_string(plan.intent).data(), dialect == Dialect::postgresql ? "postgresql" : "sqlite",
               question.size(), static_cast<int>(question.size()), question.data(), sql.c_str());
  std::abort();
}

// Another value of the same shape: an engaged optional stays engaged, a zero distance stays zero.
template <class T>
T other(T v) {
  return v == 1 ? T{3} : static_cast<T>(v ^ 1);
}
void replace(std::optional<std::string>& s, const char* sentinel) {
  if (s) *s = sentinel;
}
template <class T>
void replace(std::optional<T>& v) {
  if (v) *v = other(*v);
}

// The plan with every value replaced; `event` receives a copy of the plan's event with other ids (the
// same name and distances, so the same main race), and the plan points into it.
Plan with_other_values(const Plan& p, CatalogEvent& event) {
  Plan q = p;
  if (p.event) {
    event = *p.event;
    event.event_id = other(event.event_id);
    for (auto& race : event.races) race.race_id = other(race.race_id);
    q.event = &event;
    if (p.race && p.race >= p.event->races.data() && p.race < p.event->races.data() + p.event->races.size())
      q.race = &event.races[static_cast<std::size_t>(p.race - p.event->races.data())];
  }
  static CatalogRace race;  // a race outside the event (not expected): other ids too
  if (q.race && q.race == p.race) {
    race = *p.race;
    race.race_id = other(race.race_id);
    q.race = &race;
  }
  if (!q.event_name.empty()) q.event_name = "\x01sentinel-event\x01";  // none stays none (every event of a period)
  replace(q.year);
  replace(q.month);
  replace(q.date_from, "\x01sentinel-from\x01");
  replace(q.date_to, "\x01sentinel-to\x01");
  if (q.race_distance_m) q.race_distance_m = other(q.race_distance_m);
  for (int& y : q.compare_years) y = other(y);
  replace(q.who.min_time_ms);
  replace(q.who.max_time_ms);
  if (q.who.gender) q.who.gender = '\x02';
  replace(q.who.team, "\x01sentinel-team\x01");
  replace(q.who.max_place);
  replace(q.who.min_age);
  replace(q.who.max_age);
  replace(q.who.division, "\x01sentinel-division\x01");
  replace(q.who.state, "\x01sentinel-state\x01");
  replace(q.who.city, "\x01sentinel-city\x01");
  replace(q.who.bib, "\x01sentinel-bib\x01");
  replace(q.who.first_name, "\x01sentinel-first\x01");
  replace(q.who.last_name, "\x01sentinel-last\x01");
  replace(q.who.status, "\x01sentinel-status\x01");
  q.limit = other(q.limit);
  return q;
}

// The placeholder numbers in the text ($n on PostgreSQL, ?n on SQLite).
std::set<std::size_t> placeholders(const std::string& text, Dialect dialect) {
  const char mark = dialect == Dialect::postgresql ? '$' : '?';
  std::set<std::size_t> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != mark) continue;
    std::size_t n = 0, j = i + 1;
    for (; j < text.size() && text[j] >= '0' && text[j] <= '9' && n < 100000; ++j)
      n = n * 10 + static_cast<std::size_t>(text[j] - '0');
    if (j > i + 1) out.insert(n);
  }
  return out;
}

void check(std::string_view question, const Plan& plan, Dialect dialect) {
  const RenderedQuery rendered = render(plan, dialect, kPartner);
  const Sql& sql = rendered.sql;

  if (sql.params.empty() || !std::holds_alternative<std::int64_t>(sql.params[0]) ||
      std::get<std::int64_t>(sql.params[0]) != kPartner)
    violation("the first parameter is not the partner id", question, plan, dialect, sql.text);

  const auto numbers = placeholders(sql.text, dialect);
  if (numbers.size() != sql.params.size() ||
      (!numbers.empty() && (*numbers.begin() != 1 || *numbers.rbegin() != sql.params.size())))
    violation("the placeholders are not 1..n for the n bound values", question, plan, dialect, sql.text);

  CatalogEvent other_event;
  const RenderedQuery skeleton = render(with_other_values(plan, other_event), dialect, kPartner);
  const std::string_view text = sql.text, template_text = skeleton.sql.text;
  for (std::size_t i = 0; i + kRun <= question.size(); ++i) {
    const auto run = question.substr(i, kRun);
    if (text.find(run) != std::string_view::npos && template_text.find(run) == std::string_view::npos)
      violation("8 bytes of the question appear in the SQL text: \"" + std::string(run) + "\"", question, plan,
                dialect, sql.text);
  }
  if (skeleton.sql.text != sql.text)
    violation("the text depends on the plan's values (other values render: " + skeleton.sql.text + ")", question,
              plan, dialect, sql.text);
  if (skeleton.sql.params.size() != sql.params.size())
    violation("the number of parameters depends on the plan's values", question, plan, dialect, sql.text);
  for (std::size_t i = 0; i < sql.params.size(); ++i)
    if (skeleton.sql.params[i].index() != sql.params[i].index())
      violation("a parameter's type depends on the plan's values", question, plan, dialect, sql.text);
}

void ask(std::string_view question, const AskContext& context) {
  const ParseOutcome outcome = parse_question(question, catalog(), context);
  if (!outcome.plan) return;
  check(question, *outcome.plan, Dialect::sqlite);
  check(question, *outcome.plan, Dialect::postgresql);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string question(reinterpret_cast<const char*>(data), size);  // its own allocation: ASan sees overreads
  ask(question, plain_context());
  ask(question, event_context());
  return 0;
}
