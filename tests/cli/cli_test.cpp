// The racetiming command line, run as a user would: exit codes, one-line errors, --json output.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <fstream>

#include "racetiming/admin/api_keys.hpp"
#include "racetiming/store/database.hpp"
#include "test_support.hpp"

using namespace racetiming;
using test::CommandResult;

namespace {

struct Cli {
  test::TempDir dir;
  std::string db = dir.sqlite_url();

  CommandResult run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), {RACETIMING_CLI_PATH, "--db", db});
    return test::run_command(args, input);
  }
  rapidjson::Document json(std::vector<std::string> args) const {
    args.push_back("--json");
    auto r = run(args);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    rapidjson::Document d;
    d.Parse(r.out.c_str());
    BOOST_TEST_REQUIRE(!d.HasParseError(), r.out);
    return d;
  }
};

// A failure prints exactly one line, prefixed with the program name, and nothing on stdout.
void expect_failure(const CommandResult& r, int code, const std::string& fragment) {
  BOOST_TEST(r.exit_code == code);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.starts_with("racetiming: "), r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
  BOOST_TEST(r.err.find(fragment) != std::string::npos, r.err);
}

}  // namespace

BOOST_AUTO_TEST_CASE(migrate_partners_users_keys) {
  Cli cli;
  auto m = cli.json({"db", "migrate"});
  BOOST_TEST(m["schema_version"].GetInt() == 13);
  BOOST_TEST(cli.json({"db", "migrate"})["applied"].GetInt() == 0);

  auto p = cli.json({"partners", "add", "--name", "Big River Race Management", "--slug", "big-river"});
  const auto partner = p["timing_partner_id"].GetInt64();
  expect_failure(cli.run({"partners", "add", "--name", "Other", "--slug", "big-river"}), 5, "exists already");
  expect_failure(cli.run({"partners", "add", "--name", "Other", "--slug", "Not A Slug"}), 2, "slug");
  auto list = cli.json({"partners", "list"});
  BOOST_TEST(list["partners"].Size() == 1u);
  BOOST_TEST(std::string(list["partners"][0]["slug"].GetString()) == "big-river");

  auto u = cli.json({"users", "add", "--partner", std::to_string(partner), "--name", "Josh", "--permissions",
                     "read:events,run:nl-query"});
  const auto user = u["user_id"].GetInt64();
  expect_failure(cli.run({"users", "add", "--partner", "999", "--name", "Nobody"}), 4, "no partner 999");
  expect_failure(cli.run({"users", "add", "--partner", std::to_string(partner), "--name", "X", "--permissions", "root"}),
                 2, "unknown permission 'root'");

  auto k = cli.json({"keys", "create", "--partner", std::to_string(partner), "--user", std::to_string(user)});
  const std::string api_key = k["api_key"].GetString();
  BOOST_TEST(api_key.starts_with("rt_"));
  expect_failure(cli.run({"keys", "create", "--partner", std::to_string(partner), "--user", std::to_string(user),
                          "--scopes", "write:events"}),
                 2, "does not hold permission");
  {
    auto db = Database::open(cli.db);
    auto verified = admin::verify_api_key(db, api_key);
    BOOST_REQUIRE(verified.has_value());
    BOOST_TEST(verified->timing_partner_id == partner);
    BOOST_TEST(verified->scopes == (std::vector<std::string>{"read:events", "run:nl-query"}), boost::test_tools::per_element());
    std::string tampered = api_key;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    BOOST_TEST(!admin::verify_api_key(db, tampered).has_value());
    BOOST_TEST(!admin::verify_api_key(db, "rt_nonsense").has_value());
  }
  cli.json({"keys", "revoke", std::to_string(k["key_id"].GetInt64())});
  {
    auto db = Database::open(cli.db);
    BOOST_TEST(!admin::verify_api_key(db, api_key).has_value());
  }
  expect_failure(cli.run({"keys", "revoke", "12345"}), 4, "no key 12345");
}

BOOST_AUTO_TEST_CASE(import_reports_counts_and_bad_rows) {
  Cli cli;
  cli.json({"db", "migrate"});
  cli.json({"partners", "add", "--name", "Mid-Hudson Road Runners", "--slug", "mid-hudson"});
  const std::string fixture = (test::shared_dir() / "fixtures" / "mid-hudson.csv").string();
  auto r = cli.json({"import", "--partner", "1", fixture});
  BOOST_TEST(r["created"].GetInt() == 3300);
  BOOST_TEST(r["events"].GetInt() == 4);
  BOOST_TEST(cli.json({"import", "--partner", "1", fixture})["unchanged"].GetInt() == 3300);

  const std::string header = "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\n";
  const std::string bad = header + "Mill 5K,2024-06-01,5K,5000,1,Ann,Lee,F,34,finished,0:20:00\n"
                                   "Mill 5K,2024-06-01,5K,5000,2,Bea,Kim,F,36,finished,twenty minutes\n";
  const auto path = (cli.dir.path() / "bad.csv").string();
  std::ofstream(path) << bad;
  expect_failure(cli.run({"import", "--partner", "1", path}), 3, "line 3: chip_time 'twenty minutes' is not a time");
  auto skipped = cli.json({"import", "--partner", "1", "--on-error", "skip", path});
  BOOST_TEST(skipped["created"].GetInt() == 1);
  BOOST_TEST(skipped["skipped"].GetInt() == 1);
  BOOST_TEST(skipped["errors"].Size() == 1u);
  // standard input works as a file
  auto piped = cli.run({"import", "--partner", "1", "--json", "-"}, header + "Mill 5K,2024-06-01,5K,5000,3,Cy,Ng,M,40,dns,\n");
  BOOST_TEST(piped.exit_code == 0, piped.err);

  expect_failure(cli.run({"import", "--partner", "1", "/nonexistent.csv"}), 2, "cannot read file");
  expect_failure(cli.run({"import", "--partner", "7", fixture}), 4, "no partner 7");
  // a provider's document needs its event and race named, and is JSON
  expect_failure(cli.run({"import", "--partner", "1", "--format", "runsignup", fixture}), 2, "event_name is required");
  expect_failure(cli.run({"import", "--partner", "1", "--format", "chronotrack", "--event-name", "Mill 5K", "--event-date",
                          "2024-06-01", "--race-name", "Fun Run", fixture}),
                 2, "race_distance_m");
  expect_failure(cli.run({"import", "--partner", "1", "--format", "raceroster", "--event-name", "Mill 5K", "--event-date",
                          "2024-06-01", "--race-name", "5K", fixture}),
                 3, "not JSON");
  expect_failure(cli.run({"import", "--partner", "1", "--format", "strava", fixture}), 2, "format");
  expect_failure(cli.run({"import", "--partner", "1", "--on-error", "maybe", fixture}), 2, "on-error");
  const auto unknown = (cli.dir.path() / "unknown.csv").string();
  std::ofstream(unknown) << "shoe_size," << header;
  expect_failure(cli.run({"import", "--partner", "1", unknown}), 3, "unknown column 'shoe_size'");
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  Cli cli;
  BOOST_TEST(cli.run({}).exit_code == 2);
  expect_failure(cli.run({"frobnicate"}), 2, "frobnicate");
  expect_failure(test::run_command({RACETIMING_CLI_PATH, "--db", "mysql://x", "db", "migrate"}), 2,
                 "unsupported database URL");
  expect_failure(test::run_command({RACETIMING_CLI_PATH, "--db", "sqlite:/nonexistent/dir/x.db", "db", "migrate"}), 6,
                 "cannot open database");
  auto help = cli.run({"--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(help.out.find("import") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(seed_demo_is_idempotent) {
  Cli cli;
  auto first = cli.json({"seed", "--scale", "demo"});
  BOOST_TEST(first["partners"].GetInt() == 13);
  auto list = cli.json({"partners", "list"});
  BOOST_TEST(list["partners"].Size() == 13u);
  const auto participants = list["partners"][0]["participants"].GetInt64();
  cli.json({"seed", "--scale", "demo"});
  BOOST_TEST(cli.json({"partners", "list"})["partners"][0]["participants"].GetInt64() == participants);
  expect_failure(cli.run({"seed", "--scale", "huge"}), 2, "scale");
}

BOOST_AUTO_TEST_CASE(ask_answers_and_refuses) {
  Cli cli;
  cli.json({"db", "migrate"});
  cli.json({"partners", "add", "--name", "Big River Race Management", "--slug", "big-river"});
  const std::string fixture = (test::shared_dir() / "fixtures" / "big-river.csv").string();
  cli.json({"import", "--partner", "1", fixture});
  auto answer = cli.json({"ask", "--partner", "1", "--today", "2026-11-25", "How many runners finished the Boston Marathon under 3 hours?"});
  BOOST_TEST(std::string(answer["intent"].GetString()) == "count_finishers");
  BOOST_TEST(answer["results"][0]["count"].GetInt() == 73);
  auto summary = cli.run({"ask", "--partner", "1", "--format", "summary", "Who", "won", "the", "Riverfront", "10K?"});
  BOOST_TEST(summary.exit_code == 0);
  BOOST_TEST(summary.out == "Justin Hernandez won the Riverfront 10K 2024 in 0:35:17.\n");
  auto csv = cli.run({"ask", "--partner", "1", "--format", "csv", "Show me the top 3 finishers of the Boston Marathon"});
  BOOST_TEST(csv.out.starts_with("overall_place,"));
  // a refusal: exit 7, the reason and up to three questions to try, on stderr only
  auto refused = cli.run({"ask", "--partner", "1", "tell me a joke"});
  BOOST_TEST(refused.exit_code == 7);
  BOOST_TEST(refused.out.empty());
  BOOST_TEST(refused.err.find("try: ") != std::string::npos, refused.err);
  expect_failure(cli.run({"ask", "How many finishers?"}), 2, "--partner");
  expect_failure(cli.run({"ask", "--partner", "1", "--format", "xml", "Who won?"}), 2, "format");
  expect_failure(cli.run({"ask", "--partner", "1", "--today", "2026-13-01", "Who won?"}), 2, "--today");
}

BOOST_AUTO_TEST_CASE(reports_and_analytics) {
  Cli cli;
  cli.json({"db", "migrate"});
  cli.json({"partners", "add", "--name", "Big River Race Management", "--slug", "big-river"});
  cli.json({"import", "--partner", "1", (test::shared_dir() / "fixtures" / "big-river.csv").string()});
  // race 1 is the first imported: the Boston Marathon
  auto awards = cli.json({"report", "awards", "--partner", "1", "--race", "1", "--masters", "1"});
  BOOST_TEST(std::string(awards["kind"].GetString()) == "awards");
  BOOST_TEST(std::string(awards["awards"][0]["award"].GetString()) == "Overall Female");
  BOOST_TEST(awards["awards"][0]["tie"].IsBool());
  const auto csv = cli.run({"report", "finishers", "--partner", "1", "--race", "1", "--format", "csv"});
  BOOST_TEST(csv.exit_code == 0, csv.err);
  BOOST_TEST(csv.out.starts_with("place,bib,name,"));
  const auto bq = cli.run({"report", "boston-qualifiers", "--partner", "1", "--race", "1"});
  BOOST_TEST(bq.out.find("## qualifiers") != std::string::npos, bq.out);
  const auto svg = cli.run({"analytics", "performance", "--partner", "1", "--race", "1", "--format", "svg"});
  BOOST_TEST(svg.out.starts_with("<svg "), svg.err);
  const auto bins = cli.run({"analytics", "performance", "--partner", "1", "--race", "1", "--format", "csv", "--table", "histogram"});
  BOOST_TEST(bins.out.starts_with("race_id,from_time_ms,"), bins.err);
  const auto trends = cli.run({"analytics", "trends", "--partner", "1", "--event-name", "Big River Marathon"});
  BOOST_TEST(trends.out.find("## editions") != std::string::npos, trends.out);
  auto field = cli.json({"analytics", "demographics", "--partner", "1", "--year", "2024"});
  BOOST_TEST(field["totals"][0]["entries"].GetInt() > 0);
  // bad input: one line on stderr, the exit status of its kind
  expect_failure(cli.run({"report", "awards", "--partner", "1", "--race", "999999"}), 4, "race");
  expect_failure(cli.run({"report", "awards", "--partner", "1", "--race", "1", "--overall", "-1"}), 2, "overall");
  expect_failure(cli.run({"report", "awards", "--partner", "1", "--race", "1", "--division-bands", "60+,20-29"}), 2, "division_bands");
  expect_failure(cli.run({"report", "finishers", "--partner", "1", "--race", "1", "--format", "svg"}), 2, "format");
  expect_failure(cli.run({"report", "finishers", "--partner", "1"}), 2, "--race");
  expect_failure(cli.run({"analytics", "performance", "--partner", "1"}), 2, "race_id");
  expect_failure(cli.run({"analytics", "trends", "--partner", "1", "--event-name", "Nope"}), 4, "Nope");
  expect_failure(cli.run({"analytics", "trends", "--partner", "1", "--format", "svg", "--measure", "height"}), 2, "measure");
  expect_failure(cli.run({"analytics", "performance", "--partner", "1", "--race", "1", "--format", "csv", "--table", "nope"}), 2,
                 "nope");
  expect_failure(cli.run({"--data-dir", "/no/such/dir", "report", "finishers", "--partner", "1", "--race", "1"}), 2,
                 "not a directory");
}

BOOST_AUTO_TEST_CASE(aliases_add_list_remove) {
  Cli cli;
  cli.json({"db", "migrate"});
  cli.json({"partners", "add", "--name", "Big River Race Management", "--slug", "big-river"});
  cli.json({"import", "--partner", "1", (test::shared_dir() / "fixtures" / "big-river.csv").string()});
  auto added = cli.json({"aliases", "add", "--partner", "1", "--event", "boston marathon", "the Big B"});
  BOOST_TEST(std::string(added["event_name"].GetString()) == "Boston Marathon");
  const std::string id = std::to_string(added["event_alias_id"].GetInt64());
  auto listed = cli.json({"aliases", "list", "--partner", "1"});
  BOOST_TEST(listed["aliases"].Size() == 1u);
  auto answer = cli.json({"ask", "--partner", "1", "--today", "2026-11-25", "How many runners finished the Big B under 3 hours?"});
  BOOST_TEST(answer["results"][0]["count"].GetInt() == 73);
  expect_failure(cli.run({"aliases", "add", "--partner", "1", "--event", "Riverfront 10K", "THE BIG B"}), 5, "already names");
  expect_failure(cli.run({"aliases", "add", "--partner", "1", "--event", "No Such Event", "the trot"}), 4, "No Such Event");
  expect_failure(cli.run({"aliases", "add", "--partner", "1", "--event", "Boston Marathon", "?"}), 2, "alias");
  expect_failure(cli.run({"aliases", "add", "--event", "Boston Marathon", "x"}), 2, "--partner");
  cli.json({"aliases", "remove", "--partner", "1", id});
  expect_failure(cli.run({"aliases", "remove", "--partner", "1", id}), 4, "no event alias");
  BOOST_TEST(cli.json({"aliases", "list", "--partner", "1"})["aliases"].Size() == 0u);
}
