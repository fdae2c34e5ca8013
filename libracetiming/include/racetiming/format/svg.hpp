#pragma once
// Charts where people look rather than read: a report drawn as a standalone SVG bar chart (title,
// labelled axes with units, one <rect class="bar"> per bar with its value as a tooltip; role="img" with
// <title> and <desc> for screen readers; no script). Server-side, so a browser, an <img> or a mail
// client shows it as it is.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "racetiming/report.hpp"

namespace racetiming::format {

// The finish-time histogram of a performance report: of race_id, or of its first race.
// Error(invalid_parameter, "race_id") when the report has no such race.
std::string histogram_svg(const Report& performance, std::optional<std::int64_t> race_id = {});

// A trends report's editions or years, one bar each, of `measure`: finishers (default), entries,
// starters, finish_rate, median_time, women_percent or masters_percent. Error(invalid_parameter,
// "measure") for another name.
std::string trends_svg(const Report& trends, std::string_view measure = "finishers");

}  // namespace racetiming::format
