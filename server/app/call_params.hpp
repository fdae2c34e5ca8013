#pragma once
// Reading a call's path and query parameters, and writing the usual 200 answers. A malformed value is
// Error(invalid_parameter) naming the parameter, which the dispatcher turns into a 400.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/router.hpp"
#include "racetiming/query/page.hpp"

namespace racetimingd::app {

std::int64_t id_param(std::string_view text, std::string_view name);
std::int64_t path_id(const Call& c, std::string_view name);
std::optional<std::string> text_query(const Call& c, std::string_view name);
std::optional<std::int64_t> id_query(const Call& c, std::string_view name);
// A duration bound: milliseconds, or H:MM:SS[.f].
std::optional<std::int64_t> time_query(const Call& c, std::string_view name);
// true/false; absent: false.
bool flag_query(const Call& c, std::string_view name);
racetiming::PageRequest page_request(const Call& c);

// 200 with the page, and a Link header to the next one (the request's target with the next cursor).
http::Response page_response(std::string_view target, racetiming::PageJson page);
http::Response page_response(std::string_view target, const racetiming::Page& page);
// 200 (or status) with one row.
http::Response row_response(const racetiming::ResultSet& rows, unsigned status = 200);

}  // namespace racetimingd::app
