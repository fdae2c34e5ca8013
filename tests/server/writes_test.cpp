// Writes over real HTTP, on SQLite and on a throwaway PostgreSQL: races, entries and results with the
// values the sport derives (division, pace, places, finisher status), idempotent creates, conflicts,
// cascade deletes, CSV imports, the write half of the tenant-isolation matrix, and 503 when the pool
// is exhausted.
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "api_fixture.hpp"
#include "racetiming/admin/api_keys.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "test_support.hpp"

using namespace racetiming;
using test::code_of;
using test::Daemon;
using test::first_id;
using test::HttpReply;
using test::parse;

namespace {

std::string str(const rapidjson::Value& v) { return v.IsNull() ? "" : v.GetString(); }

struct Writer {
  Daemon& d;
  std::string prefix, key;

  HttpReply send(const std::string& method, const std::string& path, const std::string& body = {},
                 std::map<std::string, std::string> headers = {}) {
    return d.send(method, prefix + path, key, body, std::move(headers));
  }
  // POST that must create: the new row.
  rapidjson::Document create(const std::string& path, const std::string& body) {
    auto r = send("POST", path, body);
    BOOST_REQUIRE_MESSAGE(r.status == 201u, path + " " + body + " -> " + r.body);
    return parse(r.body);
  }
  rapidjson::Document row(const std::string& path) {
    auto r = send("GET", path);
    BOOST_REQUIRE_MESSAGE(r.status == 200u, path + " -> " + r.body);
    return parse(r.body);
  }
};

void check_entry_and_result_writes(const std::string& url) {
  Daemon d(url);
  Writer w{d, "/api/v1/partners/" + std::to_string(d.a), d.full_key(d.a)};

  const auto event = w.create("/events", R"({"event_name":"Harbor 10K","event_date":"2025-06-01"})")["event_id"].GetInt64();
  auto race = w.create("/races", R"({"event_id":)" + std::to_string(event) + R"(,"race_name":"10K","distance_m":10000})");
  const auto race_id = race["race_id"].GetInt64();
  BOOST_TEST(str(race["placement_basis"]) == "chip");
  BOOST_TEST(str(race["event_name"]) == "Harbor 10K");
  const std::string rid = std::to_string(race_id);

  // entries: the event comes from the race, the division from gender and age
  auto ann = w.create("/participants", R"({"race_id":)" + rid +
                                           R"(,"bib":"1","first_name":"Ann","last_name":"Lee","gender":"F","age":42})");
  BOOST_TEST(ann["event_id"].GetInt64() == event);
  BOOST_TEST(str(ann["division"]) == "F40-44");
  BOOST_TEST(str(ann["status"]) == "registered");
  auto bea = w.create("/participants", R"({"race_id":)" + rid +
                                           R"(,"bib":"2","first_name":"Bea","last_name":"Ng","gender":"F","age":44})");
  auto cal = w.create("/participants", R"({"race_id":)" + rid +
                                           R"(,"bib":"3","first_name":"Cal","last_name":"Oz","gender":"M","age":30})");
  const auto ann_id = std::to_string(ann["participant_id"].GetInt64());
  const auto bea_id = std::to_string(bea["participant_id"].GetInt64());
  const auto cal_id = std::to_string(cal["participant_id"].GetInt64());
  auto taken = w.send("POST", "/participants", R"({"race_id":)" + rid + R"(,"bib":"1","first_name":"X","last_name":"Y","gender":"M"})");
  BOOST_TEST(code_of(taken) == "conflict");  // bib taken in this race
  // said in the library's words: no table, column or constraint of the store
  BOOST_TEST(taken.body.find("a record with the same unique values exists") != std::string::npos, taken.body);
  for (const char* internal : {"UNIQUE", "constraint", "ct_participants", "duplicate key"})
    BOOST_TEST(taken.body.find(internal) == std::string::npos, taken.body);

  // results: race, pace and places computed; a finish reading makes the entry a finisher
  auto ann_finish = w.create("/results", R"({"participant_id":)" + ann_id + R"(,"results_time_ms":"0:45:00"})");
  BOOST_TEST(ann_finish["race_id"].GetInt64() == race_id);
  BOOST_TEST(ann_finish["is_final"].GetInt64() == 1);
  BOOST_TEST(str(ann_finish["interval_name"]) == "FINISH");
  BOOST_TEST(ann_finish["pace_ms_per_km"].GetInt64() == 270000);
  BOOST_TEST(str(ann_finish["pace_per_km"]) == "4:30");
  BOOST_TEST(ann_finish["overall_place"].GetInt64() == 1);
  BOOST_TEST(str(ann_finish["status"]) == "finished");
  auto split = w.create("/results", R"({"participant_id":)" + ann_id +
                                         R"(,"interval_name":"5K","interval_distance_m":5000,"results_time_ms":1320000})");
  BOOST_TEST(split["is_final"].GetInt64() == 0);
  BOOST_TEST(split["pace_ms_per_km"].GetInt64() == 264000);
  BOOST_TEST(split["overall_place"].IsNull());
  w.create("/results", R"({"participant_id":)" + bea_id + R"(,"results_time_ms":2400000})");
  w.create("/results", R"({"participant_id":)" + cal_id + R"(,"results_time_ms":2400000})");
  auto places = [&](const std::string& participant) {
    auto rows = parse(w.send("GET", "/races/" + rid + "/results").body);
    for (const auto& r : rows["data"].GetArray())
      if (std::to_string(r["participant_id"].GetInt64()) == participant)
        return std::tuple{r["overall_place"].GetInt64(), r["gender_place"].GetInt64(), r["division_place"].GetInt64()};
    return std::tuple<std::int64_t, std::int64_t, std::int64_t>{0, 0, 0};
  };
  BOOST_TEST((places(bea_id) == std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 1}));  // ties share 1
  BOOST_TEST((places(cal_id) == std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 1}));
  BOOST_TEST((places(ann_id) == std::tuple<std::int64_t, std::int64_t, std::int64_t>{3, 2, 2}));
  BOOST_TEST(test::stale_finish_times(d.db, d.a) == 0);  // each entry's copy of its finish time
  BOOST_TEST(code_of(w.send("POST", "/results", R"({"participant_id":)" + ann_id + R"(,"interval_name":"FINISH2","is_final":true,"results_time_ms":1})")) ==
             "conflict");  // one final reading per entry
  BOOST_TEST(code_of(w.send("POST", "/results", R"({"participant_id":)" + ann_id + R"(,"results_time_ms":1})")) ==
             "conflict");  // FINISH twice

  // PATCH and PUT keep the rules: a DQ loses its place and the others move up; a race is re-ranked
  BOOST_TEST(w.send("PATCH", "/participants/" + bea_id, R"({"status":"dq"})").status == 200u);
  BOOST_TEST((places(cal_id) == std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 1}));
  BOOST_TEST((places(ann_id) == std::tuple<std::int64_t, std::int64_t, std::int64_t>{2, 1, 1}));
  auto moved = parse(w.send("PATCH", "/participants/" + ann_id, R"({"age":50})").body);
  BOOST_TEST(str(moved["division"]) == "F50-54");
  auto replaced = w.send("PUT", "/participants/" + cal_id,
                         R"({"bib":"3","first_name":"Cal","last_name":"Oz","gender":"M","status":"finished"})");
  BOOST_TEST(replaced.status == 200u, replaced.body);
  BOOST_TEST(parse(replaced.body)["age"].IsNull());
  BOOST_TEST(parse(replaced.body)["division"].IsNull());
  BOOST_TEST(code_of(w.send("PATCH", "/participants/" + cal_id, R"({"race_id":1})")) == "invalid_parameter");
  auto slower = parse(w.send("PATCH", "/results/" + std::to_string(ann_finish["result_id"].GetInt64()),
                             R"({"results_time_ms":"0:50:00"})").body);
  BOOST_TEST(slower["pace_ms_per_km"].GetInt64() == 300000);
  BOOST_TEST(test::stale_finish_times(d.db, d.a) == 0);  // a changed time reaches the entry
  auto gun = parse(w.send("PATCH", "/races/" + rid, R"({"distance_m":10100,"placement_basis":"gun"})").body);
  BOOST_TEST(str(gun["placement_basis"]) == "gun");
  BOOST_TEST(w.row("/results/" + std::to_string(ann_finish["result_id"].GetInt64()))["pace_ms_per_km"].GetInt64() == 297030);

  // bad bodies name the field
  for (const auto& [path, body, field] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/races", R"({"event_id":1,"race_name":"X"})", "distance_m"},
           {"/races", R"({"event_id":"one","race_name":"X","distance_m":5})", "event_id"},
           {"/races", R"({"event_id":1,"race_name":"X","distance_m":0})", "distance_m"},
           {"/participants", R"({"race_id":1,"bib":"9","first_name":"A","last_name":"B","gender":"Q"})", "gender"},
           {"/participants", R"({"race_id":1,"bib":"9","first_name":"A","last_name":"B","gender":"F","age":200})", "age"},
           {"/results", R"({"participant_id":1,"results_time_ms":"soon"})", "results_time_ms"},
           {"/results", R"({"participant_id":1,"is_final":"yes"})", "is_final"},
           {"/results", R"({"participant_id":1,"overall_place":1})", "overall_place"},
           {"/results", R"({"participant_id":[1]})", "participant_id"}}) {
    auto r = w.send("POST", path, body);
    BOOST_TEST(r.status == 400u, body);
    BOOST_TEST(code_of(r) == "invalid_parameter", body);
    BOOST_TEST(str(parse(r.body)["detail"]).find(field) != std::string::npos, body + " -> " + r.body);
  }

  // idempotent creates: the same key and body answer the first row; the key with another body is refused
  const std::string body = R"({"event_name":"Retry 5K","event_date":"2025-07-04"})";
  auto first = w.send("POST", "/events", body, {{"Idempotency-Key", "k-1"}});
  auto again = w.send("POST", "/events", body, {{"Idempotency-Key", "k-1"}});
  BOOST_REQUIRE(first.status == 201u);
  BOOST_TEST(again.status == 201u);
  BOOST_TEST(again.headers.at("location") == first.headers.at("location"));
  BOOST_TEST(again.headers.at("idempotent-replayed") == "true");
  BOOST_TEST(parse(w.send("GET", "/events?q=Retry").body)["data"].Size() == 1u);
  auto reused = w.send("POST", "/events", R"({"event_name":"Other","event_date":"2025-07-04"})", {{"Idempotency-Key", "k-1"}});
  BOOST_TEST(reused.status == 409u);
  BOOST_TEST(code_of(reused) == "conflict");
  // keys are per partner: B may use the same key for its own event
  BOOST_TEST(d.send("POST", "/api/v1/events", d.full_key(d.b), body, {{"Idempotency-Key", "k-1"}}).status == 201u);

  // deletes: an entry with results needs cascade; places close up after
  BOOST_TEST(code_of(w.send("DELETE", "/participants/" + cal_id)) == "conflict");
  BOOST_TEST(w.send("DELETE", "/participants/" + cal_id + "?cascade=true").status == 204u);
  BOOST_TEST((places(ann_id) == std::tuple<std::int64_t, std::int64_t, std::int64_t>{1, 1, 1}));
  BOOST_TEST(w.send("DELETE", "/results/" + std::to_string(split["result_id"].GetInt64())).status == 204u);
  BOOST_TEST(w.send("GET", "/results/" + std::to_string(split["result_id"].GetInt64())).status == 404u);
  BOOST_TEST(w.send("DELETE", "/results/" + std::to_string(ann_finish["result_id"].GetInt64())).status == 204u);
  BOOST_TEST(test::stale_finish_times(d.db, d.a) == 0);  // no final reading, no finish time
  BOOST_TEST(code_of(w.send("DELETE", "/races/" + rid)) == "conflict");
  BOOST_TEST(w.send("DELETE", "/races/" + rid + "?cascade=true").status == 204u);
  BOOST_TEST(w.send("GET", "/participants/" + ann_id).status == 404u);
}

void check_imports(const std::string& url) {
  Daemon d(url);
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a);
  const std::string key = d.full_key(d.a);
  const std::string csv = test::read_file(test::shared_dir() / "fixtures" / "big-river.csv");
  BOOST_REQUIRE(csv.size() > 1024 * 1024);  // over the default body limit: imports have their own
  auto again = d.send("POST", pa + "/imports?source=big-river.csv", key, csv, {{"Content-Type", "text/csv"}});
  BOOST_REQUIRE_MESSAGE(again.status == 200u, again.body);
  auto report = parse(again.body);
  BOOST_TEST(report["rows_read"].GetInt64() == 10470);
  BOOST_TEST(report["created"].GetInt64() == 0);  // loaded by the fixture already: nothing changes
  BOOST_TEST(report["unchanged"].GetInt64() == 10470);
  BOOST_TEST(d.send("POST", pa + "/events", key, std::string(1024 * 1024 + 1, ' ')).status == 413u);

  const std::string header =
      "event_name,event_date,event_city,event_state,event_country,race_name,race_distance_m,bib,first_name,last_name,"
      "gender,age,city,state,country,team,status,chip_time,gun_time,splits\r\n";
  const std::string good = "Lake Mile,2025-08-01,Cold Spring,NY,US,Mile,1609,7,Dee,Ray,F,33,,,,,finished,0:06:10,0:06:12,\r\n";
  const std::string bad = "Lake Mile,2025-08-01,Cold Spring,NY,US,Mile,1609,8,Eve,Sun,F,33,,,,,finished,fast,,\r\n";
  auto refused = d.send("POST", pa + "/imports", key, header + good + bad, {{"Content-Type", "text/csv"}});
  BOOST_TEST(refused.status == 400u);
  BOOST_TEST(code_of(refused) == "invalid_input");
  BOOST_TEST(str(parse(refused.body)["detail"]).find("line 3") != std::string::npos, refused.body);
  BOOST_TEST(parse(d.get(pa + "/events?q=Lake", d.key_a).body)["data"].Size() == 0u);  // nothing imported
  auto skipped = d.send("POST", pa + "/imports?on_error=skip", key, header + good + bad, {{"Content-Type", "text/csv"}});
  BOOST_REQUIRE(skipped.status == 200u);
  auto partial = parse(skipped.body);
  BOOST_TEST(partial["created"].GetInt64() == 1);
  BOOST_TEST(partial["skipped"].GetInt64() == 1);
  BOOST_TEST(partial["errors"][0]["line"].GetInt64() == 3);
  BOOST_TEST(code_of(d.send("POST", pa + "/imports?on_error=maybe", key, header + good)) == "invalid_parameter");
  // what an error quotes back is bounded: a 100 KB column name comes back as 200 bytes of it
  const std::string huge(100'000, 'z');
  auto echoed = d.send("POST", pa + "/imports", key, header.substr(0, header.size() - 2) + "," + huge + "\r\n" + good,
                       {{"Content-Type", "text/csv"}});
  BOOST_TEST(code_of(echoed) == "invalid_input");
  BOOST_TEST(echoed.body.size() < 1000u, echoed.body.size());
  auto split = d.send("POST", pa + "/imports?on_error=skip", key,
                      header + "Lake Mile,2025-08-01,Cold Spring,NY,US,Mile,1609,9,Flo,Ray,F,33,,,,,finished,0:06:10,0:06:12," +
                          std::string(50'000, 'q') + "\r\n",
                      {{"Content-Type", "text/csv"}});
  BOOST_TEST(split.status == 200u);
  BOOST_TEST(split.body.size() < 1000u, split.body.size());
  // text fields hold UTF-8 without NUL: a JSON "\u0000" or a stray byte is refused, naming the field
  for (const std::string& body : {std::string(R"({"event_name":"Nul\u0000Run","event_date":"2025-01-01"})"),
                                 std::string("{\"event_name\":\"Bad\xff\xfe\",\"event_date\":\"2025-01-01\"}")}) {
    auto r = d.send("POST", pa + "/events", key, body);
    BOOST_TEST(r.status == 400u, r.body);
    BOOST_TEST(str(parse(r.body)["parameter"]) == "event_name", r.body);
  }
  BOOST_TEST(code_of(d.send("POST", pa + "/imports", d.key_a_events_only, header + good)) == "forbidden");
  BOOST_TEST(code_of(d.send("POST", pa + "/imports", key, "")) == "invalid_input");
}

// Partner A's full-permission key against every write route of partner B, by path, header, host and
// id: refused, and B's data is byte for byte what it was.
void check_write_isolation(const std::string& url) {
  Daemon d(url);
  const std::string key_a = d.full_key(d.a);
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a);
  const std::string pb = "/api/v1/partners/" + std::to_string(d.b);
  const auto b_event = std::to_string(first_id(d, pb + "/events", d.key_b, "event_id"));
  const auto b_race = std::to_string(first_id(d, pb + "/races", d.key_b, "race_id"));
  const auto b_part = std::to_string(first_id(d, pb + "/participants", d.key_b, "participant_id"));
  const auto b_result = std::to_string(first_id(d, pb + "/results", d.key_b, "result_id"));
  auto snapshot = [&] {
    std::string all;
    for (const auto* list : {"/events?limit=1000", "/races?limit=1000", "/participants?limit=1000&sort=participant_id",
                             "/results?limit=1000"})
      all += d.get(pb + list, d.key_b).body;
    return all;
  };
  const std::string before = snapshot();

  struct Write {
    std::string method, path, body;
  };
  const std::vector<Write> writes{
      {"POST", "/events", R"({"event_name":"Hijack","event_date":"2025-01-01"})"},
      {"PUT", "/events/" + b_event, R"({"event_name":"Hijack","event_date":"2025-01-01"})"},
      {"PATCH", "/events/" + b_event, R"({"event_name":"Hijack"})"},
      {"DELETE", "/events/" + b_event + "?cascade=true", ""},
      {"POST", "/races", R"({"event_id":)" + b_event + R"(,"race_name":"Hijack","distance_m":5000})"},
      {"PUT", "/races/" + b_race, R"({"race_name":"Hijack","distance_m":5000})"},
      {"PATCH", "/races/" + b_race, R"({"race_name":"Hijack"})"},
      {"DELETE", "/races/" + b_race + "?cascade=true", ""},
      {"POST", "/participants", R"({"race_id":)" + b_race + R"(,"bib":"X1","first_name":"Hi","last_name":"Jack","gender":"M"})"},
      {"PUT", "/participants/" + b_part, R"({"bib":"X1","first_name":"Hi","last_name":"Jack","gender":"M"})"},
      {"PATCH", "/participants/" + b_part, R"({"first_name":"Hijack"})"},
      {"DELETE", "/participants/" + b_part + "?cascade=true", ""},
      {"POST", "/results", R"({"participant_id":)" + b_part + R"(,"interval_name":"HIJACK","results_time_ms":1})"},
      {"PUT", "/results/" + b_result, R"({"results_time_ms":1})"},
      {"PATCH", "/results/" + b_result, R"({"results_time_ms":1})"},
      {"DELETE", "/results/" + b_result, ""},
      {"POST", "/imports", "event_name\r\n"},
  };
  for (const auto& w : writes) {
    BOOST_TEST_CONTEXT(w.method << " " << w.path) {
      auto by_path = d.send(w.method, pb + w.path, key_a, w.body);
      BOOST_TEST(by_path.status == 403u);
      BOOST_TEST(code_of(by_path) == "tenant_mismatch");
      BOOST_TEST(d.send(w.method, "/api/v1" + w.path, key_a, w.body, {{"X-Timing-Partner-ID", std::to_string(d.b)}}).status == 403u);
      BOOST_TEST(d.send(w.method, "/api/v1" + w.path, key_a, w.body, {{"Host", "mid-hudson-api.example.test"}}).status == 403u);
      // B's ids under A's own tenancy: as if they did not exist (creates that name a B parent included)
      if (w.path != "/events" && w.path != "/imports") {
        auto ids = d.send(w.method, pa + w.path, key_a, w.body);
        BOOST_TEST(ids.status == 404u, ids.body);
        BOOST_TEST(code_of(ids) == "not_found");
      }
    }
  }
  BOOST_TEST(snapshot() == before);
  BOOST_TEST(snapshot().find("Hijack") == std::string::npos);
}

// With every connection taken, a request answers 503 at the acquire timeout instead of hanging.
void check_pool_exhaustion(const std::string& url) {
  Daemon d(url, {.pool_size = 1, .acquire_timeout = std::chrono::milliseconds(200)});
  const std::string pa = "/api/v1/partners/" + std::to_string(d.a);
  {
    TenantSession held(d.db, d.a);
    const auto start = std::chrono::steady_clock::now();
    auto r = d.get(pa + "/events", d.key_a);
    BOOST_TEST(r.status == 503u);
    BOOST_TEST(code_of(r) == "unavailable");
    BOOST_TEST(r.headers.count("retry-after") == 1u);
    BOOST_TEST(r.body.find("connection") == std::string::npos, r.body);  // the cause is the log's
    const bool quick = std::chrono::steady_clock::now() - start < std::chrono::seconds(3);
    BOOST_TEST(quick);
    held.commit();
  }

  // A write answers with its row read in its own transaction: one connection is all it needs.
  const std::string writer = d.full_key(d.a);
  const std::string body = R"({"event_name":"Pool of One 5K","event_date":"2025-03-01"})";
  auto created = d.send("POST", pa + "/events", writer, body, {{"Idempotency-Key", "pool-of-one"}});
  BOOST_TEST(created.status == 201u, created.body);
  BOOST_TEST(created.body.find("Pool of One 5K") != std::string::npos);
  auto replayed = d.send("POST", pa + "/events", writer, body, {{"Idempotency-Key", "pool-of-one"}});
  BOOST_TEST(replayed.status == 201u, replayed.body);
  BOOST_TEST(replayed.headers.count("idempotent-replayed") == 1u);
  auto patched = d.send("PATCH", created.headers.at("location"), writer, R"({"status":"active"})");
  BOOST_TEST(patched.status == 200u, patched.body);
  BOOST_TEST(patched.body.find("\"status\":\"active\"") != std::string::npos);
}

}  // namespace

BOOST_AUTO_TEST_CASE(entry_and_result_writes_on_sqlite) {
  test::TempDir dir;
  check_entry_and_result_writes(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(entry_and_result_writes_on_postgresql) {
  check_entry_and_result_writes(test::ThrowawayPostgres::shared().create_database());
}
BOOST_AUTO_TEST_CASE(imports_on_sqlite) {
  test::TempDir dir;
  check_imports(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(imports_on_postgresql) { check_imports(test::ThrowawayPostgres::shared().create_database()); }
BOOST_AUTO_TEST_CASE(write_isolation_on_sqlite) {
  test::TempDir dir;
  check_write_isolation(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(write_isolation_on_postgresql) {
  check_write_isolation(test::ThrowawayPostgres::shared().create_database());
}
BOOST_AUTO_TEST_CASE(pool_exhaustion_answers_503_on_sqlite) {
  test::TempDir dir;
  check_pool_exhaustion(dir.sqlite_url());
}
BOOST_AUTO_TEST_CASE(pool_exhaustion_answers_503_on_postgresql) {
  check_pool_exhaustion(test::ThrowawayPostgres::shared().create_database());
}
