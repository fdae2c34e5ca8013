// Rows as the API writes them: exact text for every kind of cell, derived time columns, and text that
// needs escaping read back unchanged by a JSON parser.
#define BOOST_TEST_MODULE format
#include <boost/test/unit_test.hpp>

#include <cmath>

#include <rapidjson/document.h>

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

BOOST_AUTO_TEST_CASE(numbers_print_as_json_numbers_or_null) {
  ResultSet rs;
  rs.columns = {"a", "b", "c", "d"};
  rs.rows.push_back({0.1, std::nan(""), std::int64_t{-9223372036854775807 - 1}, 1e300});
  BOOST_TEST(format::row_json(rs, 0) == R"({"a":0.1,"b":null,"c":-9223372036854775808,"d":1e300})");
}

BOOST_AUTO_TEST_SUITE_END()
