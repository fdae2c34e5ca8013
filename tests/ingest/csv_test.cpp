// The interchange CSV reader: RFC 4180 records, header rules, per-row validation with line numbers.
#define BOOST_TEST_MODULE ingest
#include <boost/test/unit_test.hpp>

#include "racetiming/error.hpp"
#include "racetiming/ingest/interchange_csv.hpp"
#include "racetiming/sport/divisions.hpp"
#include "racetiming/sport/durations.hpp"
#include "test_support.hpp"

using namespace racetiming;
using namespace racetiming::ingest;

namespace {

const std::string kHeader =
    "event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time,splits\n";

ParsedFile parse(const std::string& body) { return parse_interchange_csv(kHeader + body); }

}  // namespace

BOOST_AUTO_TEST_CASE(reader_handles_quotes_crlf_bom_and_embedded_newlines) {
  CsvReader r("\xEF\xBB\xBF" "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",z\n\n");
  std::vector<std::string> f;
  BOOST_TEST(r.next(f));
  BOOST_TEST(f == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
  BOOST_TEST(r.next(f));
  BOOST_TEST(r.line() == 2u);
  BOOST_TEST(f == (std::vector<std::string>{"x, y", "say \"hi\""}), boost::test_tools::per_element());
  BOOST_TEST(r.next(f));
  BOOST_TEST(f == (std::vector<std::string>{"multi\nline", "z"}), boost::test_tools::per_element());
  BOOST_TEST(!r.next(f));
  CsvReader bad("a,\"open\n");
  BOOST_CHECK_THROW(bad.next(f), Error);
}

BOOST_AUTO_TEST_CASE(header_errors_are_invalid_input) {
  auto code_of = [](const std::string& text) {
    try {
      parse_interchange_csv(text);
    } catch (const Error& e) {
      return std::string(to_string(e.code())) + ":" + e.what();
    }
    return std::string("no error");
  };
  BOOST_TEST(code_of("").starts_with("invalid_input:"));
  BOOST_TEST(code_of("event_name,event_date\n").find("required column 'race_name' is missing") != std::string::npos);
  BOOST_TEST(code_of("shoe_size," + kHeader).find("unknown column 'shoe_size'") != std::string::npos);
  BOOST_TEST(code_of("bib," + kHeader).find("appears twice") != std::string::npos);
  // unknown columns may be ignored on request
  auto ok = parse_interchange_csv("shoe_size," + kHeader + "9,Rail 5K,2024-05-01,5K,5000,1,Ann,Lee,F,30,finished,0:25:00,\n",
                                  {true});
  BOOST_TEST(ok.errors.empty());
  BOOST_TEST(ok.entries.size() == 1u);
}

BOOST_AUTO_TEST_CASE(rows_are_validated_with_line_numbers) {
  auto f = parse(
      "Rail 5K,2024-05-01,5K,5000,1,Ann,Lee,F,30,finished,0:25:00.4,1M@1609=0:08:01\n"  // line 2 good
      "Rail 5K,2024-02-30,5K,5000,2,Bo,Li,M,30,finished,0:25:00,\n"                    // 3 bad date
      "Rail 5K,2024-05-01,5K,5000,3,Cy,Ng,Q,30,finished,0:25:00,\n"                    // 4 bad gender
      "Rail 5K,2024-05-01,5K,5000,4,Di,Po,F,abc,finished,0:25:00,\n"                   // 5 bad age
      "Rail 5K,2024-05-01,5K,5000,5,Ed,Ro,M,30,finished,,\n"                           // 6 finished, no time
      "Rail 5K,2024-05-01,5K,5000,6,Fa,Su,F,30,running,,\n"                            // 7 bad status
      "Rail 5K,2024-05-01,5K,5000,7,Gi,Ta,M,30,finished,0:61:00,\n"                    // 8 bad time
      "Rail 5K,2024-05-01,5K,5000,8,Ha,Ul,F,30,finished,0:25:00,1M@9000=0:08:00\n"     // 9 split beyond race
      "Rail 5K,2024-05-01,5K,5000,9,Io,Va,F,30,dnf,0:25:00,\n"                         // 10 dnf with time
      "Rail 5K,2024-05-01,5K,-5,10,Jo,We,M,30,dns,,\n"                                 // 11 bad distance
      "Rail 5K,2024-05-01,5K,5000,11,Ka,Xu\n"                                          // 12 short row
      "Rail 5K,2024-05-01,5K,5000,12,Lu,Yi,X,30,dq,0:24:00,\n");                       // 13 good (dq)
  BOOST_TEST(f.rows_read == 12u);
  BOOST_TEST(f.entries.size() == 2u);
  BOOST_REQUIRE(f.errors.size() == 10u);
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {3, "event_date"}, {4, "gender"}, {5, "age"}, {6, "chip_time"}, {7, "status"},
      {8, "chip_time"}, {9, "splits"}, {10, "chip_time"}, {11, "race_distance_m"}, {12, ""}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST(f.errors[i].line == expected[i].first);
    BOOST_TEST(f.errors[i].column == expected[i].second);
  }
  BOOST_TEST(f.entries[0].chip_time_ms == std::optional<std::int64_t>(1'500'400));
  BOOST_TEST(f.entries[0].splits.size() == 1u);
  BOOST_TEST(f.entries[1].gender == 'X');
}

BOOST_AUTO_TEST_CASE(non_utf8_text_is_refused) {
  auto f = parse("Rail 5K,2024-05-01,5K,5000,1,Ann\xff,Lee,F,30,finished,0:25:00,\n");
  BOOST_REQUIRE(f.errors.size() == 1u);
  BOOST_TEST(f.errors[0].column == "first_name");
}

BOOST_AUTO_TEST_CASE(durations_parse_and_print) {
  using sport::format_duration;
  using sport::parse_duration_ms;
  BOOST_TEST(parse_duration_ms("3:17:57") == std::optional<std::int64_t>(11'877'000));
  BOOST_TEST(parse_duration_ms("0:21:03.5") == std::optional<std::int64_t>(1'263'500));
  BOOST_TEST(parse_duration_ms("0:21:03.25") == std::optional<std::int64_t>(1'263'250));
  for (const char* bad : {"", "3", "3:1:00", "3:60:00", "3:00:60", "a:00:00", "3:00:00.", "3:00:00x", "-1:00:00"})
    BOOST_TEST(!parse_duration_ms(bad).has_value(), bad);
  BOOST_TEST(format_duration(11'877'000) == "3:17:57");
  BOOST_TEST(format_duration(17'110'800) == "4:45:10.8");
  BOOST_TEST(sport::format_duration_short(1'263'000) == "21:03");
  BOOST_TEST(sport::pace_ms_per_km(2'117'000, 10'000) == 211'700);
  BOOST_TEST(sport::format_pace(395'875) == "6:36");
}

BOOST_AUTO_TEST_CASE(divisions_are_five_year_bands) {
  BOOST_TEST(sport::division_for('F', 9) == "F01-14");
  BOOST_TEST(sport::division_for('F', 14) == "F01-14");
  BOOST_TEST(sport::division_for('M', 15) == "M15-19");
  BOOST_TEST(sport::division_for('M', 44) == "M40-44");
  BOOST_TEST(sport::division_for('X', 79) == "X75-79");
  BOOST_TEST(sport::division_for('F', 80) == "F80+");
}
