// Rows as the API writes them: exact text for every kind of cell, derived time columns, and text that
// needs escaping read back unchanged by a JSON parser.
#define BOOST_TEST_MODULE format
#include <boost/test/unit_test.hpp>

#include <cmath>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "racetiming/format/json.hpp"

using namespace racetiming;

namespace {

ResultSet results_rows() {
  ResultSet rs;
  rs.columns = {"result_id", "first_name", "chip_time_ms", "pace_ms_per_km", "age_grade"};
  rs.rows.push_back({std::int64_t{7}, std::string("Ann"), std::int64_t{11877000}, std::int64_t{281000}, 71.5});
  rs.rows.push_back({std::int64_t{-8}, Value{}, Value{}, Value{}, 2.0});
  return rs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json)

BOOST_AUTO_TEST_CASE(page_rows_carry_their_printed_times) {
  Page page{results_rows(), "LWV2ZW50"};
  BOOST_TEST(format::page_json(page) ==
             R"({"data":[)"
             R"({"result_id":7,"first_name":"Ann","chip_time_ms":11877000,"chip_time":"3:17:57",)"
             R"("pace_ms_per_km":281000,"pace_per_km":"4:41","pace_per_mile":"7:32","age_grade":71.5},)"
             R"({"result_id":-8,"first_name":null,"chip_time_ms":null,"chip_time":null,)"
             R"("pace_ms_per_km":null,"pace_per_km":null,"pace_per_mile":null,"age_grade":2.0}],)"
             R"("next_cursor":"LWV2ZW50"})");
  page.next_cursor.clear();
  page.rows.rows.clear();
  BOOST_TEST(format::page_json(page) == R"({"data":[],"next_cursor":null})");
}

// From rows in place: the look-ahead row past the limit is left out, and the text is the same as the
// kept page's.
BOOST_AUTO_TEST_CASE(a_page_from_rows_in_place_matches_the_kept_page) {
  const ResultSet rows = results_rows();
  Page first_only{rows, "abc"};
  first_only.rows.rows.resize(1);
  BOOST_TEST(format::page_json(ResultSetView(rows), 1, "abc") == format::page_json(first_only));
  BOOST_TEST(format::page_json(ResultSetView(rows), 5, "") == format::page_json(Page{rows, ""}));
}

// An aggregate's milliseconds come back as a real (AVG): printed truncated, as a whole number would be.
BOOST_AUTO_TEST_CASE(a_real_duration_prints_as_a_time) {
  ResultSet rs;
  rs.columns = {"avg_time_ms", "best_time_ms"};
  rs.rows.push_back({11877000.9, std::string("11877000")});
  BOOST_TEST(format::row_json(rs, 0) ==
             R"({"avg_time_ms":11877000.9,"avg_time":"3:17:57","best_time_ms":"11877000","best_time":"3:17:57"})");
}

BOOST_AUTO_TEST_CASE(text_is_escaped_and_reads_back_unchanged) {
  const std::string nasty = "a\"b\\c\nd\x01" "e\tf/é\x1f";
  ResultSet rs;
  rs.columns = {"na\"me"};
  rs.rows.push_back({nasty});
  const std::string json = format::row_json(rs, 0);
  BOOST_TEST(json == "{\"na\\\"me\":\"a\\\"b\\\\c\\nd\\u0001e\\tf/é\\u001F\"}");
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  BOOST_TEST_REQUIRE(!d.HasParseError());
  BOOST_TEST(std::string(d["na\"me"].GetString(), d["na\"me"].GetStringLength()) == nasty);
}

// Every byte that needs escaping, at every offset of strings up to 40 bytes long (text is scanned
// eight bytes at a time), written exactly as RapidJSON's Writer writes it.
BOOST_AUTO_TEST_CASE(escapes_match_rapidjson_at_every_offset) {
  const std::string specials = std::string("\"\\\x7f\xc3\xa9 ~") + '\0' + "\x01\x08\x09\x0a\x0c\x0d\x1f";
  for (char special : specials)
    for (std::size_t length = 1; length <= 40; ++length)
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'x');
        text[at] = special;
        ResultSet rs;
        rs.columns = {"t"};
        rs.rows.push_back({text});
        rapidjson::StringBuffer expected;
        rapidjson::Writer<rapidjson::StringBuffer> w(expected);
        w.StartObject();
        w.Key("t");
        w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
        w.EndObject();
        const std::string got = format::row_json(rs, 0);
        BOOST_TEST_REQUIRE(got == std::string(expected.GetString(), expected.GetSize()),
                           "byte " << int(static_cast<unsigned char>(special)) << " at " << at << " of " << length);
      }
}

BOOST_AUTO_TEST_CASE(numbers_print_as_json_numbers_or_null) {
  ResultSet rs;
  rs.columns = {"a", "b", "c", "d"};
  rs.rows.push_back({0.1, std::nan(""), std::int64_t{-9223372036854775807 - 1}, 1e300});
  BOOST_TEST(format::row_json(rs, 0) == R"({"a":0.1,"b":null,"c":-9223372036854775808,"d":1e300})");
}

BOOST_AUTO_TEST_SUITE_END()
