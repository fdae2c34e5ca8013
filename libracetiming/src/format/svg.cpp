#include "racetiming/format/svg.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/sport/durations.hpp"

namespace racetiming::format {
namespace {

enum class Scale { count, duration, percent };

struct Bar {
  std::string label;    // under the bar (may be left out when bars are many)
  double value;
  std::string tooltip;  // the bar's <title>
};

struct BarChart {
  std::string title, description, x_label, y_label;
  Scale scale = Scale::count;
  std::vector<Bar> bars;
};

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string value_text(Scale scale, double v) {
  switch (scale) {
    case Scale::duration: return sport::format_duration_short(std::llround(v));
    case Scale::percent: return fmt::format("{:g}%", v);
    case Scale::count: break;
  }
  return fmt::format("{:g}", v);
}

// A tick step for an axis up to `top`, about five ticks: 1, 2 or 5 times a power of ten; for durations
// a step a clock reads (1, 2, 5, 10, 15, 20, 30 minutes, then hours).
double tick_step(Scale scale, double top) {
  if (scale == Scale::duration) {
    const double minutes = top / 60'000.0 / 5.0;
    for (double m : {1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0})
      if (minutes <= m) return m * 60'000.0;
    return 720.0 * 60'000.0;
  }
  const double raw = std::max(top / 5.0, 1.0);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * power) return m * power;
  return 10.0 * power;
}

std::string draw(const BarChart& chart) {
  constexpr double width = 800, height = 440, left = 80, right = 24, top = 56, bottom = 72;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double max_value = 0;
  for (const auto& b : chart.bars) max_value = std::max(max_value, b.value);
  const double step = tick_step(chart.scale, std::max(max_value, 1.0));
  const double y_top = std::max(step, std::ceil(max_value / step) * step);
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" )"
      R"(aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="12">)"
      "\n<title id=\"chart-title\">{2}</title>\n<desc id=\"chart-desc\">{3}</desc>\n"
      R"(<rect width="{0}" height="{1}" fill="#ffffff"/>)"
      "\n<text x=\"{4}\" y=\"28\" font-size=\"16\" font-weight=\"bold\" fill=\"#1a202c\">{2}</text>\n",
      width, height, escaped(chart.title), escaped(chart.description), left);
  // y axis: grid lines and tick labels
  for (double v = 0; v <= y_top + step / 2; v += step) {
    const double y = top + plot_h - v / y_top * plot_h;
    out += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#e2e8f0"/>)"
                       "\n<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#4a5568\">{}</text>\n",
                       left, y, left + plot_w, y, left - 8, y + 4, escaped(value_text(chart.scale, v)));
  }
  // bars, with a label under every n-th so that labels never collide
  const std::size_t n = chart.bars.size();
  const double slot = n ? plot_w / static_cast<double>(n) : plot_w;
  const double gap = std::clamp(slot * 0.2, 1.0, 12.0);
  const std::size_t label_every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(64.0 / slot)));
  for (std::size_t i = 0; i < n; ++i) {
    const Bar& b = chart.bars[i];
    double h = b.value / y_top * plot_h;
    if (b.value > 0) h = std::max(h, 2.0);  // a bar of one is still seen
    const double bar_w = std::min(slot - gap, 96.0);  // a few bars stay bars, not walls
    const double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
    out += fmt::format(R"(<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#2b6cb0"><title>{}</title></rect>)"
                       "\n",
                       x, top + plot_h - h, bar_w, h, escaped(b.tooltip));
    if (i % label_every == 0)
      out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#4a5568\">{}</text>\n", x + bar_w / 2,
                         top + plot_h + 18, escaped(b.label));
  }
  // axes and their names, with units
  out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#1a202c"/>)"
                     "\n"
                     R"(<line x1="{0}" y1="{2}" x2="{3}" y2="{2}" stroke="#1a202c"/>)"
                     "\n<text x=\"{4}\" y=\"{5}\" text-anchor=\"middle\" fill=\"#1a202c\">{6}</text>\n"
                     "<text transform=\"translate(18 {7}) rotate(-90)\" text-anchor=\"middle\" fill=\"#1a202c\">{8}</text>\n</svg>\n",
                     left, top, top + plot_h, left + plot_w, left + plot_w / 2, height - 20, escaped(chart.x_label),
                     top + plot_h / 2, escaped(chart.y_label));
  return out;
}

std::string race_title(const ResultSet& races, std::size_t row) {
  const auto& r = races.rows.at(row);
  return fmt::format("{} {}, {}", as_text(r.at(races.column("event_name"))), as_text(r.at(races.column("event_date"))).substr(0, 4),
                     as_text(r.at(races.column("race_name"))));
}

}  // namespace

std::string histogram_svg(const Report& performance, std::optional<std::int64_t> race_id) {
  const ResultSet& races = performance.races;
  std::size_t row = 0;
  if (race_id) {
    while (row < races.rows.size() && as_int(races.rows[row].at(races.column("race_id"))) != race_id) ++row;
    if (row == races.rows.size())
      throw Error(ErrorCode::invalid_parameter, fmt::format("the report has no race {}", *race_id), "race_id");
  }
  if (races.rows.empty()) throw Error(ErrorCode::invalid_parameter, "the report covers no race", "race_id");
  const std::int64_t id = as_int(races.rows[row].at(races.column("race_id"))).value_or(0);
  const ResultSet& bins = performance.table("histogram");
  BarChart chart;
  chart.x_label = "Finish time (h:mm:ss, bin start)";
  chart.y_label = "Finishers";
  std::int64_t finishers = 0, width = 0;
  for (const auto& b : bins.rows) {
    if (as_int(b.at(0)) != id) continue;
    const std::int64_t from = as_int(b.at(1)).value_or(0), to = as_int(b.at(2)).value_or(0), count = as_int(b.at(3)).value_or(0);
    finishers += count;
    width = to - from;
    chart.bars.push_back({sport::format_duration_short(from), static_cast<double>(count),
                          fmt::format("{} to {}: {} finisher{}", sport::format_duration_short(from), sport::format_duration_short(to),
                                      count, count == 1 ? "" : "s")});
  }
  chart.title = fmt::format("Finish times: {}", race_title(races, row));
  chart.description = fmt::format("Histogram of {} finishers' chip times in {}-minute bins, {} bars.", finishers, width / 60000,
                                  chart.bars.size());
  return draw(chart);
}

std::string trends_svg(const Report& trends, std::string_view measure) {
  struct Measure {
    std::string_view name, column, title, label;  // label: the axis's, with the unit
    Scale scale;
  };
  static constexpr Measure kMeasures[] = {
      {"finishers", "finishers", "Finishers", "Finishers", Scale::count},
      {"entries", "entries", "Entries", "Entries", Scale::count},
      {"starters", "starters", "Starters", "Starters", Scale::count},
      {"finish_rate", "finish_rate", "Finish rate", "Finish rate (% of starters)", Scale::percent},
      {"median_time", "median_time_ms", "Median finish time", "Median finish time (h:mm:ss)", Scale::duration},
      {"women_percent", "women_percent", "Share of women", "Women (% of entries)", Scale::percent},
      {"masters_percent", "masters_percent", "Share of masters", "Masters 40+ (% of entries)", Scale::percent},
  };
  const auto* m = std::find_if(std::begin(kMeasures), std::end(kMeasures), [&](const Measure& x) { return x.name == measure; });
  if (m == std::end(kMeasures))
    throw Error(ErrorCode::invalid_parameter,
                "measure must be finishers, entries, starters, finish_rate, median_time, women_percent or masters_percent", "measure");
  if (trends.tables.empty()) throw Error(ErrorCode::invalid_parameter, "the report has no table", "measure");
  const auto& [name, rows] = trends.tables.front();
  const bool editions = name == "editions";
  BarChart chart;
  chart.scale = m->scale;
  chart.y_label = std::string(m->label);
  chart.x_label = editions ? "Edition (year)" : "Year";
  const std::size_t value = rows.column(m->column), year = rows.column("year");
  for (const auto& r : rows.rows) {
    const auto v = as_real(r.at(value));
    const std::string label = as_text(r.at(year));
    chart.bars.push_back({label, v.value_or(0.0), fmt::format("{}: {}", label, v ? value_text(m->scale, *v) : "no value")});
  }
  const std::string what = editions && !trends.races.rows.empty()
                               ? fmt::format("{}, {}", as_text(trends.races.rows[0].at(trends.races.column("event_name"))),
                                             as_text(trends.races.rows[0].at(trends.races.column("race_name"))))
                               : std::string("all events");
  chart.title = fmt::format("{} per {}: {}", m->title, editions ? "edition" : "year", what);
  chart.description = fmt::format("Bar chart of {} over {} {}, one bar each.", m->label, chart.bars.size(), editions ? "editions" : "years");
  return draw(chart);
}

}  // namespace racetiming::format
