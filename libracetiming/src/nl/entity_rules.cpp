// Entity rules: each finds one kind of thing in the question (a year, a time bound, an age band, the
// event, ...), writes it into the Plan and marks its words used, so later rules and the intent cues
// see only what is left. They run in the order of the table at the bottom.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <string>

#include <fmt/format.h>

#include "nl/rules.hpp"
#include "racetiming/sport/divisions.hpp"

namespace racetiming::nl {
namespace {

using namespace std::string_view_literals;

constexpr std::array kMonths{"january"sv, "february"sv, "march"sv,     "april"sv,   "may"sv,      "june"sv,
                             "july"sv,    "august"sv,   "september"sv, "october"sv, "november"sv, "december"sv};

struct State {
  std::string_view name, code;
};
constexpr std::array<State, 51> kStates{{
    {"alabama", "AL"},        {"alaska", "AK"},        {"arizona", "AZ"},       {"arkansas", "AR"},
    {"california", "CA"},     {"colorado", "CO"},      {"connecticut", "CT"},   {"delaware", "DE"},
    {"florida", "FL"},        {"georgia", "GA"},       {"hawaii", "HI"},        {"idaho", "ID"},
    {"illinois", "IL"},       {"indiana", "IN"},       {"iowa", "IA"},          {"kansas", "KS"},
    {"kentucky", "KY"},       {"louisiana", "LA"},     {"maine", "ME"},         {"maryland", "MD"},
    {"massachusetts", "MA"},  {"michigan", "MI"},      {"minnesota", "MN"},     {"mississippi", "MS"},
    {"missouri", "MO"},       {"montana", "MT"},       {"nebraska", "NE"},      {"nevada", "NV"},
    {"new hampshire", "NH"},  {"new jersey", "NJ"},    {"new mexico", "NM"},    {"new york", "NY"},
    {"north carolina", "NC"}, {"north dakota", "ND"},  {"ohio", "OH"},          {"oklahoma", "OK"},
    {"oregon", "OR"},         {"pennsylvania", "PA"},  {"rhode island", "RI"},  {"south carolina", "SC"},
    {"south dakota", "SD"},   {"tennessee", "TN"},     {"texas", "TX"},         {"utah", "UT"},
    {"vermont", "VT"},        {"virginia", "VA"},      {"washington", "WA"},    {"west virginia", "WV"},
    {"wisconsin", "WI"},      {"wyoming", "WY"},       {"district of columbia", "DC"},
}};

// Words that carry no entity and no intent: they neither make a name nor count against confidence.
constexpr std::array kStopWords{"the"sv, "a"sv,    "an"sv,   "of"sv,   "in"sv,    "at"sv,   "for"sv,  "on"sv,
                                "to"sv,  "and"sv,  "or"sv,   "was"sv,  "were"sv,  "is"sv,   "are"sv,  "what"sv,
                                "who"sv, "how"sv,  "me"sv,   "our"sv,  "we"sv,    "did"sv,  "do"sv,   "does"sv,
                                "have"sv, "had"sv, "there"sv, "with"sv, "from"sv, "that"sv, "this"sv, "which"sv,
                                "please"sv, "show"sv, "tell"sv, "give"sv, "list"sv, "'s"sv, "i"sv, "you"sv,
                                "can"sv, "runners"sv, "people"sv, "athletes"sv, "race"sv, "event"sv, "by"sv};

bool stop_word(std::string_view w) { return std::find(kStopWords.begin(), kStopWords.end(), w) != kStopWords.end(); }

// A word of a name that is not ours, beside a match: free, written with a capital, neither a stop word nor
// a number ("Mid-Hudson" before "Half", "Apple" after "Big").
bool other_name_word(const Reader& r, std::size_t i) {
  return r.free(i) && std::isupper(static_cast<unsigned char>(r.tokens[i].original[0])) && !stop_word(r.tokens[i].text) &&
         !r.tokens[i].is_number();
}

// ---- dates ----------------------------------------------------------------------------------------

// A year a question may name: four digits from 1980 to 2100, not yet read.
std::optional<int> year_at(const Reader& r, std::size_t i) {
  if (!r.free(i) || r.tokens[i].text.size() != 4 || !r.tokens[i].is_number()) return std::nullopt;
  const int y = integer(r.tokens[i]).value_or(0);
  if (y < 1980 || y > 2100) return std::nullopt;
  return y;
}

// "from 2022 to 2024", "between 2022 and 2024", "2022-2024", "2022 through 2024", "since 2022", "in the
// last 3 years", "over the past two years", "the last 3 editions": a span of years, not the years named
void year_spans(Reader& r) {
  auto span = [&](int from, int to) { r.year_span = std::pair{std::min(from, to), std::max(from, to)}; };
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    const std::string& w = r.tokens[i].text;
    if (w.size() == 9 && w[4] == '-') {  // "2022-2024", one token
      const Token a{w.substr(0, 4), {}, false}, b{w.substr(5), {}, false};
      const int from = integer(a).value_or(0), to = integer(b).value_or(0);
      if (from >= 1980 && to >= 1980 && from <= 2100 && to <= 2100) {
        span(from, to);
        r.use(i, 1);
      }
      continue;
    }
    if (w == "since") {
      if (const auto y = year_at(r, i + 1)) {
        span(*y, std::max(*y, r.today_year));
        r.use(i, 2);
      }
      continue;
    }
    const std::size_t lead = w == "from" || w == "between" ? 1 : 0;
    if (const auto from = year_at(r, i + lead)) {
      const std::size_t k = i + lead + 1;
      const bool joined = r.is(k, "to") || r.is(k, "through") || r.is(k, "thru") || r.is(k, "until") ||
                          (w == "between" && r.is(k, "and"));
      if (const auto to = joined ? year_at(r, k + 1) : std::nullopt) {
        span(*from, *to);
        r.use(i, k + 2 - i);
      }
      continue;
    }
    // "(in|over|during|for|across) (the) last|past|previous N years|editions"
    if (w != "last" && w != "past" && w != "previous") continue;
    const auto n = r.free(i + 1) ? integer(r.tokens[i + 1]) : std::nullopt;
    if (!n || *n < 1 || *n > 50) continue;
    const bool years = r.is(i + 2, "years") || (*n == 1 && r.is(i + 2, "year"));
    const bool editions = r.is(i + 2, "editions") || (*n == 1 && r.is(i + 2, "edition"));
    if (!years && !editions) continue;
    std::size_t from = i;
    if (from > 0 && r.free(from - 1) && (r.is(from - 1, "the") || r.is(from - 1, "its") || r.is(from - 1, "our"))) --from;
    if (from > 0 && r.free(from - 1) &&
        (r.is(from - 1, "in") || r.is(from - 1, "over") || r.is(from - 1, "during") || r.is(from - 1, "for") ||
         r.is(from - 1, "across") || r.is(from - 1, "within")))
      --from;
    if (years) span(r.today_year - *n + 1, r.today_year);
    else r.last_editions = *n;
    r.use(from, i + 3 - from);
  }
  // the period's events ("our races since 2022"): every year of the span; an event's editions narrow it
  if (r.year_span) {
    r.plan.year = r.year_span->first;
    r.plan.compare_years.clear();
    for (int y = r.year_span->first; y <= r.year_span->second && r.year_span->second > r.year_span->first; ++y)
      r.plan.compare_years.push_back(y);
  }
}

// The years of an event's editions within the question's span ("since 2022", "the last 3 editions"),
// ascending: the editions held, not those scheduled or cancelled.
std::vector<int> span_years(const Reader& r, const std::vector<const CatalogEvent*>& editions) {
  std::vector<int> years;
  for (const CatalogEvent* e : editions) {
    if (e->status == "scheduled" || e->status == "cancelled" || e->status == "canceled") continue;
    const int y = e->year();
    if (r.year_span && (y < r.year_span->first || y > r.year_span->second)) continue;
    years.push_back(y);
  }
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  if (r.last_editions && years.size() > static_cast<std::size_t>(r.last_editions))
    years.erase(years.begin(), years.end() - r.last_editions);
  return years;
}

void years(Reader& r) {
  year_spans(r);
  if (auto i = r.find("last year")) {
    r.plan.year = r.today_year - 1;
    r.use(*i, 2);
  } else if (auto j = r.find("this year")) {
    r.plan.year = r.today_year;
    r.use(*j, 2);
  }
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    const Token& t = r.tokens[i];
    if (t.used) continue;
    if (t.text.size() == 4 && t.is_number()) {
      if (i > 0 && (r.is(i - 1, "bib") || r.is(i - 1, "#") || r.is(i - 1, "number"))) continue;  // bib 2011
      const int y = integer(t).value_or(0);
      if (y < 1980 || y > 2100) continue;
      if (r.plan.year && *r.plan.year != y) r.plan.compare_years.push_back(y);
      else r.plan.year = y;
      r.use(i, 1);
    } else if (t.text.size() == 10 && t.text[4] == '-' && t.text[7] == '-') {  // a date: its year
      r.plan.year = integer(Token{t.text.substr(0, 4), {}, false}).value_or(0);
      r.plan.date_from = r.plan.date_to = t.text;
      r.use(i, 1);
    }
  }
  if (r.plan.year && !r.plan.compare_years.empty() &&
      std::find(r.plan.compare_years.begin(), r.plan.compare_years.end(), *r.plan.year) == r.plan.compare_years.end())
    r.plan.compare_years.insert(r.plan.compare_years.begin(), *r.plan.year);
  // "2024 ... with the previous year", "the year before"
  for (auto phrase : {"the previous year"sv, "previous year"sv, "the year before"sv, "year before"sv, "the prior year"sv,
                      "prior year"sv, "a year earlier"sv, "the previous edition"sv, "previous edition"sv})
    if (r.plan.year && r.plan.compare_years.empty() && r.take(phrase)) r.plan.compare_years = {*r.plan.year, *r.plan.year - 1};
}

void months_and_seasons(Reader& r) {
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    const auto& w = r.tokens[i].text;
    auto m = std::find(kMonths.begin(), kMonths.end(), w);
    // "may" is a month only after "in" ("in May"), never the verb
    if (m != kMonths.end() && (w != "may" || (i > 0 && r.is(i - 1, "in")))) {
      r.plan.month = static_cast<int>(m - kMonths.begin()) + 1;
      r.use(i, 1);
      continue;
    }
    static constexpr std::array<std::pair<std::string_view, std::pair<int, int>>, 5> kSeasons{
        {{"spring", {3, 5}}, {"summer", {6, 8}}, {"fall", {9, 11}}, {"autumn", {9, 11}}, {"winter", {12, 14}}}};
    for (const auto& [name, range] : kSeasons) {
      if (w != name) continue;
      int year = r.plan.year.value_or(r.today_year);
      if (i > 0 && r.is(i - 1, "last")) {
        year = r.today_year - 1;
        r.use(i - 1, 1);
      }
      const int from = range.first, to = range.second;
      static constexpr int kLastDay[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      const int end_year = to > 12 ? year + 1 : year, end_month = to > 12 ? to - 12 : to;
      const bool leap = (end_year % 4 == 0 && end_year % 100 != 0) || end_year % 400 == 0;
      r.plan.date_from = fmt::format("{}-{:02}-01", year, from);
      r.plan.date_to = fmt::format("{}-{:02}-{:02}", end_year, end_month, kLastDay[end_month - 1] + (end_month == 2 && leap));
      r.plan.year.reset();
      r.use(i, 1);
    }
  }
}

// ---- time bounds ----------------------------------------------------------------------------------

struct Duration {
  std::int64_t ms = 0;
  std::size_t length = 0;           // tokens read
  std::int64_t as_minutes_ms = -1;  // "3:30": also readable as 3 min 30 s
  bool bare = false;                // a number alone: "sub-3" hours, "sub-20" minutes (a pace: minutes)
};

constexpr std::int64_t kMinute = 60'000, kHour = 3'600'000;

std::optional<Duration> duration_at(const Reader& r, std::size_t i, bool bare_number_is_sub) {
  if (!r.free(i)) return std::nullopt;
  const std::string& w = r.tokens[i].text;
  // H:MM:SS, or H:MM / MM:SS decided later by the race distance
  if (std::count(w.begin(), w.end(), ':') >= 1 && std::isdigit(static_cast<unsigned char>(w.front()))) {
    std::array<int, 3> parts{};
    int n = 0;
    std::size_t pos = 0;
    while (pos <= w.size() && n < 3) {
      const auto colon = w.find(':', pos);
      const auto piece = w.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
      auto v = integer(Token{piece, {}, false});
      if (!v) return std::nullopt;
      parts[static_cast<std::size_t>(n++)] = *v;
      if (colon == std::string::npos) break;
      pos = colon + 1;
    }
    if (n == 3) return Duration{parts[0] * kHour + parts[1] * kMinute + parts[2] * 1000LL, 1, -1};
    if (n == 2 && parts[1] < 60) return Duration{parts[0] * kHour + parts[1] * kMinute, 1, parts[0] * kMinute + parts[1] * 1000LL};
    return std::nullopt;
  }
  // "an hour", "a minute", "half an hour", "an hour and a half"
  const bool one = w == "an" || w == "a" || w == "one";
  if (!r.tokens[i].is_number() && !one && w != "half") return std::nullopt;
  if (w == "half") {
    if (!(r.is(i + 1, "an") && r.is(i + 2, "hour") && r.free(i + 1) && r.free(i + 2))) return std::nullopt;
    return Duration{30 * kMinute, 3, -1};
  }
  double value = one ? 1.0 : std::atof(w.c_str());
  // "4 and a half hours"
  std::size_t half = 0;
  if (!one && r.phrase_at(i + 1, "and a half")) {
    value += 0.5;
    half = 3;
  }
  if (!(value >= 0 && value < 1e6)) return std::nullopt;  // "99999999999999999999 hours" is no race time
  std::int64_t ms = 0;
  std::size_t length = 1;
  auto unit = [&](std::size_t j) -> std::int64_t {
    if (!r.free(j)) return 0;
    const auto& u = r.tokens[j].text;
    if (u == "hours" || u == "hour" || u == "hrs" || u == "hr" || u == "h") return kHour;
    if (u == "minutes" || u == "minute" || u == "mins" || u == "min" || u == "m") return kMinute;
    if (u == "seconds" || u == "second" || u == "secs" || u == "sec" || u == "s") return 1000;
    return 0;
  };
  if (const auto u = unit(i + 1 + half)) {
    ms = static_cast<std::int64_t>(std::llround(value * static_cast<double>(u)));
    length = 2 + half;
    if (half) return Duration{ms, length, -1};
    if (u == kHour && r.phrase_at(i + 2, "and a half")) return Duration{ms + 30 * kMinute, 5, -1};
    // "2 hours 30 minutes", "2 hours and 30 minutes"
    std::size_t k = i + 2 + (r.is(i + 2, "and") ? 1 : 0);
    if (u == kHour && r.free(k) && r.tokens[k].is_number() && unit(k + 1) == kMinute) {
      ms += static_cast<std::int64_t>(std::atof(r.tokens[k].text.c_str()) * kMinute);
      length = k + 2 - i;
    }
  } else if (bare_number_is_sub && !one && !half) {
    ms = value < 10 ? static_cast<std::int64_t>(value * kHour) : static_cast<std::int64_t>(value * kMinute);  // sub-3, sub-20
    return Duration{ms, length, -1, true};
  } else {
    return std::nullopt;
  }
  return Duration{ms, length, -1};
}

void set_bound(Reader& r, const Duration& d, bool upper) {
  if (d.as_minutes_ms >= 0) {
    (upper ? r.colon_max : r.colon_min) = Reader::ColonTime{d.ms, d.as_minutes_ms};
    return;
  }
  (upper ? r.plan.who.max_time_ms : r.plan.who.min_time_ms) = d.ms;
}

// What makes a bound a pace: a unit after it ("8 minutes per mile", "7:30 a mile", "5:00/km", "8 minute
// miles", "sub-8 mile pace"), or "pace" right before or after it ("a pace under 8 minutes", "8:00 pace").
// metres is the unit's length, 0 when none was said (a pace per what is then unclear).
struct PaceWords {
  bool pace = false;
  std::size_t length = 0;  // words after the duration
  double metres = 0;
};
PaceWords pace_words(const Reader& r, std::size_t before, std::size_t after) {
  PaceWords w;
  std::size_t k = after;
  if (r.free(k) && (r.is(k, "min") || r.is(k, "mins") || r.is(k, "minute"))) ++k;  // "7:30 min/mile"
  if (r.free(k) && (r.is(k, "per") || r.is(k, "a") || r.is(k, "each"))) ++k;
  if (r.free(k)) {
    const std::string& u = r.tokens[k].text;
    if (u == "mile" || u == "miles" || u == "mi") w.metres = 1609.344;
    else if (u == "km" || u == "kms" || u == "kilometer" || u == "kilometers" || u == "kilometre" || u == "kilometres" || u == "k")
      w.metres = 1000;
  }
  if (w.metres > 0) ++k;
  else k = after;
  if (r.free(k) && (r.is(k, "pace") || r.is(k, "paces") || r.is(k, "pacing"))) ++k;
  w.length = k - after;
  // "a pace under", "pace of under", "paced under", "average pace below"
  const bool said_before = (before >= 1 && r.free(before - 1) && (r.is(before - 1, "pace") || r.is(before - 1, "paced"))) ||
                           (before >= 2 && r.is(before - 1, "of") && r.free(before - 2) && r.is(before - 2, "pace"));
  w.pace = w.length > 0 || said_before;
  return w;
}

// A bound read at `at` (its words from `at` up to `after`): on the finish time, or on the pace when pace
// words go with it. A pace in no unit is left unread: refused as unclear (out_of_scope names it).
void apply_bounds(Reader& r, std::size_t at, std::size_t after, std::optional<Duration> lo, std::optional<Duration> hi, bool inclusive) {
  const PaceWords pw = pace_words(r, at, after);
  if (!pw.pace) {
    if (lo) set_bound(r, *lo, false);
    if (hi) set_bound(r, *hi, true);
    if (inclusive) r.plan.who.time_inclusive = true;
    r.mark(FilterKind::time, at);
    r.use(at, after - at);
    return;
  }
  if (pw.metres == 0) {
    r.pace_unit_missing = true;
    return;
  }
  // a bare number is minutes ("sub-8 pace"), "7:30" minutes and seconds; to ms per km, rounded so that
  // the integer bound keeps exactly the paces the said bound keeps
  auto per_km = [&](const Duration& d, bool upper) {
    const double ms = d.as_minutes_ms >= 0 ? static_cast<double>(d.as_minutes_ms)
                      : d.bare ? std::atof(r.tokens[after - 1].text.c_str()) * kMinute
                               : static_cast<double>(d.ms);
    const double km = ms * 1000.0 / pw.metres;
    return static_cast<std::int64_t>(upper != inclusive ? std::ceil(km) : std::floor(km));
  };
  Filters& w = r.plan.who;
  if (lo) w.min_pace_ms = per_km(*lo, false);
  if (hi) w.max_pace_ms = per_km(*hi, true);
  if (inclusive) w.time_inclusive = true;
  w.pace_per_mile = pw.metres > 1000;
  r.mark(FilterKind::time, at);
  r.use(at, after - at + pw.length);
  // a "pace" said before the bound is left to the measure rules: in "the average pace under 9 minutes per
  // mile" it is also what is averaged
}

void time_bounds(Reader& r) {
  static constexpr std::array kUpper{"in under"sv,     "in less than"sv, "less than"sv, "faster than"sv, "quicker than"sv,
                                     "under"sv,        "below"sv,        "broke"sv,     "breaking"sv,    "beat"sv,
                                     "beating"sv,      "within"sv,       "sub"sv,       "break"sv,       "breaks"sv};
  static constexpr std::array kLower{"more than"sv, "slower than"sv, "longer than"sv, "over"sv, "above"sv, "beyond"sv};
  auto cues = r.starts_of(kUpper);
  const auto lower = r.starts_of(kLower), between = r.starts_of(std::array{"between"sv});
  for (std::size_t i = 0; i < cues.size(); ++i) cues[i] |= lower[i] | between[i];
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!cues[i]) continue;
    if (r.phrase_at(i, "between")) {
      auto a = duration_at(r, i + 1, false);
      if (!a && r.free(i + 1) && r.tokens[i + 1].is_number() && r.is(i + 2, "and")) {
        // "between 4 and 5 hours": the unit comes once, after the second number
        if (auto b = duration_at(r, i + 3, false)) {
          const double lo = std::atof(r.tokens[i + 1].text.c_str()), hi = std::atof(r.tokens[i + 3].text.c_str());
          if (b->as_minutes_ms >= 0) {
            // "between 3 and 3:30": the bare number in the clock time's unit, hours or minutes as the distance says
            const auto whole = static_cast<std::int64_t>(lo);
            apply_bounds(r, i, i + 3 + b->length, Duration{whole * kHour, 1, whole * kMinute}, *b, true);
          } else if (hi > 0) {
            Duration first{static_cast<std::int64_t>(std::llround(lo * static_cast<double>(b->ms) / hi)), 1, -1};
            apply_bounds(r, i, i + 3 + b->length, first, *b, true);
          }
          continue;
        }
      }
      if (a && r.is(i + 1 + a->length, "and")) {
        if (auto b = duration_at(r, i + 2 + a->length, false)) apply_bounds(r, i, i + 2 + a->length + b->length, *a, *b, true);
      }
      continue;
    }
    for (bool upper : {true, false}) {
      for (auto word : upper ? std::span<const std::string_view>(kUpper) : std::span<const std::string_view>(kLower)) {
        const std::size_t n = r.phrase_at(i, word);
        if (!n) continue;
        auto d = duration_at(r, i + n, word == "sub");
        if (!d) continue;
        // "within 10 minutes of the winner", "over 5 minutes behind": a time relative to someone is not a
        // chip-time bound; left unread, the question is refused
        const std::size_t after = i + n + d->length;
        if (r.is(after, "of") || r.is(after, "behind") || r.is(after, "after") || r.is(after, "before") ||
            r.is(after, "ahead") || r.is(after, "slower") || r.is(after, "faster") || r.is(after, "off"))
          break;
        if (upper) apply_bounds(r, i, after, std::nullopt, *d, false);
        else apply_bounds(r, i, after, *d, std::nullopt, false);
        if (word == "broke" || word == "breaking" || word == "beat") r.cues.emplace_back("broke");
        break;
      }
    }
  }
}

// ---- people: gender, age, division --------------------------------------------------------------

void divisions(Reader& r) {
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    const std::string& w = r.tokens[i].text;
    char g = 0;
    std::string range;
    std::size_t n = 1;
    // "f40-44", "m80+", or "f 40-44"
    if (w.size() >= 6 && (w[0] == 'f' || w[0] == 'm' || w[0] == 'x') && std::isdigit(static_cast<unsigned char>(w[1])) &&
        w.find('-') == 3) {
      g = w[0];
      range = w.substr(1);
    } else if ((w == "f" || w == "m" || w == "x") && r.free(i + 1) && r.tokens[i + 1].text.size() == 5 &&
               r.tokens[i + 1].text[2] == '-') {
      g = w[0];
      range = r.tokens[i + 1].text;
      n = 2;
    } else if (w.size() == 3 && (w[0] == 'f' || w[0] == 'm' || w[0] == 'x') && r.is(i + 1, "+")) {
      g = w[0];
      range = w.substr(1) + "+";
      n = 2;
    }
    if (!g) continue;
    r.plan.who.division = fmt::format("{}{}", static_cast<char>(g - 'a' + 'A'), range);
    r.plan.who.gender = static_cast<char>(g - 'a' + 'A');
    r.cues.emplace_back("division");
    r.mark(FilterKind::division, i);
    r.use(i, n);
    // "the F40-44 age group", "division M50-54"
    for (auto word : {"age group"sv, "age category"sv, "division"sv, "category"sv, "group"sv})
      if (const auto k = r.phrase_at(i + n, word)) r.use(i + n, k);
    if (i > 0 && (r.is(i - 1, "division") || r.is(i - 1, "category"))) r.use(i - 1, 1);
  }
}

template <class Number>
void ages_at(Reader& r, std::size_t i, const Number& number);

// Words for the people a question counts: "runners between 40 and 50" are their ages.
bool person_word(std::string_view w) {
  static constexpr std::array kPeople{"runners"sv, "runner"sv,  "finishers"sv, "people"sv,  "participants"sv, "athletes"sv,
                                      "entrants"sv, "starters"sv, "women"sv,    "men"sv,     "females"sv,      "males"sv,
                                      "aged"sv,    "ages"sv,     "those"sv,     "anyone"sv,  "ones"sv};
  return std::find(kPeople.begin(), kPeople.end(), w) != kPeople.end();
}

// "30-39" as one word: the ages from the first to the second, both included
std::optional<std::pair<int, int>> age_range(std::string_view w) {
  const auto dash = w.find('-');
  int lo = 0, hi = 0;
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == w.size() ||
      std::from_chars(w.data(), w.data() + dash, lo).ptr != w.data() + dash ||
      std::from_chars(w.data() + dash + 1, w.data() + w.size(), hi).ptr != w.data() + w.size() || lo <= 0 || lo > hi || hi >= 120)
    return std::nullopt;
  return std::pair(lo, hi);
}

void ages(Reader& r) {
  auto number = [&](std::size_t i) -> std::optional<int> {
    if (!r.free(i) || !r.tokens[i].is_number()) return std::nullopt;
    auto v = integer(r.tokens[i]);
    return v && *v > 0 && *v < 120 ? v : std::nullopt;
  };
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    const auto before = std::pair(r.plan.who.min_age, r.plan.who.max_age);
    ages_at(r, i, number);
    if (std::pair(r.plan.who.min_age, r.plan.who.max_age) != before) r.mark(FilterKind::age, i);
  }
}

template <class Number>
void ages_at(Reader& r, std::size_t i, const Number& number) {
  {
    const std::string& w = r.tokens[i].text;
    // "the 50-54 age group": a division's ages without its gender
    if (const auto range = age_range(w)) {
      for (auto group : {"age group"sv, "age groups"sv, "division"sv, "age bracket"sv, "age category"sv, "year olds"sv})
        if (const auto n = r.phrase_at(i + 1, group)) {
          r.plan.who.min_age = range->first;
          r.plan.who.max_age = range->second;
          r.use(i, 1 + n);
          return;
        }
    }
    if (const auto words = r.phrase_at(i, "grand masters") ? 2 : r.phrase_at(i, "grandmasters") ? 1 : 0) {
      r.plan.who.min_age = 50;
      r.use(i, words);
    } else if ((r.phrase_at(i, "over the age of") || r.phrase_at(i, "under the age of")) && number(i + 4)) {
      // "over the age of 50" (50 and older, as "over 50"), "under the age of 18"
      if (r.is(i, "over")) r.plan.who.min_age = number(i + 4);
      else r.plan.who.max_age = *number(i + 4) - 1;
      r.use(i, 5);
    } else if (number(i) && (r.phrase_at(i + 1, "years old") || r.phrase_at(i + 1, "year old")) &&
               !(i > 0 && (r.is(i - 1, "over") || r.is(i - 1, "under")))) {
      r.plan.who.min_age = r.plan.who.max_age = number(i);
      r.use(i, 3);
    } else if (w == "masters" || w == "master" || w == "master's") {
      r.plan.who.min_age = 40;
      r.use(i, 1);
    } else if (w.size() == 3 && w.ends_with('s') && std::isdigit(static_cast<unsigned char>(w[0])) && w[1] == '0') {
      // "in their 40s", "40s"
      r.plan.who.min_age = (w[0] - '0') * 10;
      r.plan.who.max_age = *r.plan.who.min_age + 9;
      r.use(i, 1);
      if (i >= 2 && r.is(i - 1, "their") && r.is(i - 2, "in")) r.use(i - 2, 2);
    } else if ((w == "aged" || w == "ages" || w == "age") && number(i + 1) && !r.is(i + 2, "+") &&
               !((r.is(i + 2, "or") || r.is(i + 2, "and")) && !number(i + 3))) {
      // "aged 30 to 39", "aged 30-39" (one token)
      const std::size_t sep = i + 2;
      if ((r.is(sep, "to") || r.is(sep, "and") || r.is(sep, "through")) && number(sep + 1)) {
        r.plan.who.min_age = number(i + 1);
        r.plan.who.max_age = number(sep + 1);
        r.use(i, 4);
      } else {
        r.plan.who.min_age = r.plan.who.max_age = number(i + 1);
        r.use(i, 2);
      }
    } else if (w == "between" && (r.phrase_at(i + 1, "the ages of") ||
                                  (number(i + 1) && r.is(i + 2, "and") && number(i + 3) &&
                                   (r.is(i + 4, "years") || r.is(i + 4, "year") || (i > 0 && person_word(r.tokens[i - 1].text)))))) {
      // "between the ages of 30 and 39", "between 30 and 39 years (old)", "runners aged between 40 and 50",
      // "women between 40 and 50" (a person's ages: a bare "between 40 and 50" may be minutes)
      const std::size_t at = r.phrase_at(i + 1, "the ages of") ? i + 4 : i + 1;
      if (number(at) && r.is(at + 1, "and") && number(at + 2) && *number(at) <= *number(at + 2)) {
        r.plan.who.min_age = number(at);
        r.plan.who.max_age = number(at + 2);
        r.use(i, at + 3 - i + (r.is(at + 3, "years") ? 1 : 0) + (r.is(at + 4, "old") ? 1 : 0));
        if (i > 0 && r.free(i - 1) && (r.is(i - 1, "aged") || r.is(i - 1, "ages"))) r.use(i - 1, 1);
      }
    } else if (const auto range = (w == "aged" || w == "ages" || w == "age") && r.free(i + 1) && r.tokens[i + 1].text.size() == 5
                                      ? age_range(r.tokens[i + 1].text)
                                      : std::nullopt) {
      r.plan.who.min_age = range->first;
      r.plan.who.max_age = range->second;
      r.use(i, 2);
    } else if (auto n = number(i); n && *n >= 10) {
      // "60 or older", "60 and over", "60+", "18 and under", "over 50", "under 30", "older than 40"
      if (r.phrase_at(i + 1, "or older") || r.phrase_at(i + 1, "and older") || r.phrase_at(i + 1, "and over") ||
          r.phrase_at(i + 1, "or over") || r.phrase_at(i + 1, "and up")) {
        r.plan.who.min_age = n;
        r.use(i, 3);
      } else if (r.phrase_at(i + 1, "or younger") || r.phrase_at(i + 1, "and younger") || r.phrase_at(i + 1, "and under") ||
                 r.phrase_at(i + 1, "or under")) {
        r.plan.who.max_age = n;  // "18 and under": 18 included
        r.use(i, 3);
      } else if (r.is(i + 1, "+")) {
        r.plan.who.min_age = n;
        r.use(i, 2);
      } else if (i > 0 && r.free(i - 1) && (r.is(i - 1, "over") || r.is(i - 1, "above"))) {
        r.plan.who.min_age = n;
        r.use(i - 1, 2);
      } else if (i > 0 && r.free(i - 1) && r.is(i - 1, "under")) {
        r.plan.who.max_age = *n - 1;
        r.use(i - 1, 2);
      } else if (i > 1 && r.free(i - 2) && r.is(i - 1, "than") && (r.is(i - 2, "older") || r.is(i - 2, "younger"))) {
        (r.is(i - 2, "older") ? r.plan.who.min_age : r.plan.who.max_age) = r.is(i - 2, "older") ? *n + 1 : *n - 1;
        r.use(i - 2, 3);
      }
    }
  }
}

void genders(Reader& r) {
  static constexpr std::array<std::pair<std::string_view, char>, 21> kWords{{
      {"women", 'F'}, {"woman", 'F'},  {"female", 'F'},  {"females", 'F'}, {"ladies", 'F'}, {"lady", 'F'},
      {"girls", 'F'}, {"girl", 'F'},   {"men", 'M'},     {"man", 'M'},     {"male", 'M'},   {"males", 'M'},
      {"guys", 'M'},  {"boys", 'M'},   {"boy", 'M'},     {"gentlemen", 'M'}, {"non-binary", 'X'},
      {"nonbinary", 'X'}, {"enby", 'X'}, {"womens", 'F'}, {"mens", 'M'}}};
  // "men and women", "women vs men": every gender said, in order; one is a filter, two or more compare
  std::vector<char> said;
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    char g = 0;
    std::size_t n = 1;
    if (r.phrase_at(i, "non binary")) {
      g = 'X';
      n = 2;
    }
    for (const auto& [word, code] : kWords)
      if (!g && r.tokens[i].text == word) g = code;
    if (!g) continue;
    r.use(i, n + (r.is(i + n, "'s") ? 1 : 0));
    r.mark(FilterKind::gender, i);
    if (!said.empty() && i > 0 && r.free(i - 1) && r.is(i - 1, "or")) {  // "women or non-binary runners"
      r.genders_either = true;
      r.use(i - 1, 1);
    }
    if (std::find(said.begin(), said.end(), g) == said.end()) said.push_back(g);
  }
  if (said.size() == 1) r.plan.who.gender = said.front();
  if (said.size() >= 2) r.plan.compare_genders = said;
}

bool generic_word(std::string_view w);

// ---- numbers, bibs, places -----------------------------------------------------------------------

void limits(Reader& r) {
  static constexpr std::array kRank{"fastest"sv, "slowest"sv, "quickest"sv, "best"sv, "top"sv, "first"sv, "last"sv};
  auto rank_word = [&](std::size_t i) { return r.free(i) && std::find(kRank.begin(), kRank.end(), r.tokens[i].text) != kRank.end(); };
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i) || !r.tokens[i].is_number() || r.tokens[i].text.find('.') != std::string::npos) continue;
    auto n = integer(r.tokens[i]);
    if (!n || *n <= 0) continue;
    // "top 10", "first 20" (the number after), "5 fastest" (the number before)
    // "the last 3 finishers" is a limit; "the last 3 years" is not
    static constexpr std::array kPeople{"finishers"sv, "runners"sv, "women"sv, "men"sv, "people"sv, "athletes"sv, "starters"sv};
    const bool people_after = i + 1 < r.tokens.size() && std::find(kPeople.begin(), kPeople.end(), r.tokens[i + 1].text) != kPeople.end();
    const bool before = i > 0 && rank_word(i - 1) && (!r.is(i - 1, "last") || people_after);
    const bool after = rank_word(i + 1);
    if (!before && !after) continue;
    r.plan.limit = std::min(*n, 1000);  // at most 1000 rows
    r.limit_given = true;
    r.limit_at = before ? i - 1 : i;
    r.use(i, 1);
  }
}

// "third", "3rd", "runner-up", "second place": a place in a ranking (the measure rules decide it is one)
void ordinals(Reader& r) {
  static constexpr std::array<std::string_view, 10> kWords{"first", "second", "third",  "fourth", "fifth",
                                                           "sixth", "seventh", "eighth", "ninth",  "tenth"};
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    const std::string& w = r.tokens[i].text;
    int nth = 0;
    std::size_t n = 1;
    if (const auto k = r.phrase_at(i, "runner up") ? 2 : r.phrase_at(i, "runnerup") ? 1 : 0) {
      nth = 2;
      n = k;
    } else if (auto it = std::find(kWords.begin(), kWords.end(), w); it != kWords.end()) {
      nth = static_cast<int>(it - kWords.begin()) + 1;
    } else if (w.size() >= 3 && std::isdigit(static_cast<unsigned char>(w[0])) &&
               (w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd") || w.ends_with("th"))) {
      auto v = integer(Token{w.substr(0, w.size() - 2), {}, false});
      if (!v || *v < 1 || *v > 1000) continue;
      nth = *v;
    }
    if (!nth || (r.limit_at && *r.limit_at == i)) continue;  // "the first 4": a limit, read before
    // "first" also starts "first place" / "first 20" (a limit, read before) / "the first time"
    if (r.is(i + n, "place") || r.is(i + n, "position") || r.is(i + n, "overall")) ++n;
    r.plan.nth = nth;
    r.cues.emplace_back("ordinal");
    r.use(i, n);
  }
}

void bibs(Reader& r) {
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    std::size_t at = 0;
    if (r.phrase_at(i, "bib number") || r.phrase_at(i, "bib no") || r.phrase_at(i, "bib #")) at = i + 2;
    else if (r.phrase_at(i, "bib") || r.phrase_at(i, "#")) at = i + 1;
    if (!at || !r.free(at) || r.tokens[at].text.empty()) continue;
    const auto& b = r.tokens[at].text;
    if (!std::all_of(b.begin(), b.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) continue;
    r.plan.who.bib = r.tokens[at].original;
    r.use(i, at - i + 1 + (r.is(at + 1, "'s") ? 1 : 0));
  }
}

// A team of the partner's own (the catalog holds their names): "the Hudson Striders", "running for X".
void teams(Reader& r) {
  for (const std::string& team : r.catalog.teams) {
    const std::string phrase = phrase_of(team);
    if (phrase.empty()) continue;
    for (std::size_t i = 0; i < r.tokens.size(); ++i) {
      const auto n = r.phrase_at(i, phrase);
      if (!n) continue;
      r.plan.who.team = team;
      r.mark(FilterKind::team, i);
      r.use(i, n);
      if (r.is(i + n, "team") || r.is(i + n, "club")) r.use(i + n, 1);
      if (i > 0 && (r.is(i - 1, "team") || r.is(i - 1, "club"))) r.use(i - 1, 1);
      return;
    }
  }
}

void places(Reader& r) {
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.phrase_at(i, "from")) continue;
    std::size_t at = i + 1;
    if (r.is(at, "the") && r.is(at + 1, "state")) at += 3;  // "from the state of X"
    bool found = false;
    for (const State& s : kStates) {
      if (const auto n = r.phrase_at(at, s.name)) {
        r.plan.who.state = std::string(s.code);
        r.mark(FilterKind::state, i);
        r.use(i, at - i + n + (r.is(at + n, "state") ? 1 : 0));
        found = true;
        break;
      }
    }
    if (found) continue;
    // a two-letter code, written as a code
    if (r.free(at) && r.tokens[at].original.size() == 2) {
      std::string code = r.tokens[at].original;
      std::transform(code.begin(), code.end(), code.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
      if (std::any_of(kStates.begin(), kStates.end(), [&](const State& s) { return s.code == code; }) &&
          r.tokens[at].original != r.tokens[at].text) {  // written in capitals: "from NJ", not "from me"
        r.plan.who.state = code;
        r.mark(FilterKind::state, i);
        r.use(i, 2);
        continue;
      }
    }
    // a city: the capitalised words after "from" (not "from Boston Marathon": a race word ends an event name)
    std::size_t n = 0;
    while (r.free(at + n) && std::isupper(static_cast<unsigned char>(r.tokens[at + n].original[0])) && n < 3 &&
           !stop_word(r.tokens[at + n].text))
      ++n;
    if (n > 0 && !(at + n < r.tokens.size() && generic_word(r.tokens[at + n].text))) {
      std::string city;
      for (std::size_t k = 0; k < n; ++k) city += (k ? " " : "") + r.tokens[at + k].original;
      r.plan.who.city = city;
      r.mark(FilterKind::city, i);
      r.use(i, 1 + n);
    }
  }
}

// ---- the event and its race ---------------------------------------------------------------------

// Words of event names that say what kind of race, not which one: a match needs a word besides these.
bool generic_word(std::string_view w) {
  static constexpr std::array kGeneric{"marathon"sv, "half"sv, "5k"sv,    "10k"sv,  "15k"sv,   "50k"sv,  "25k"sv,
                                       "mile"sv,     "miler"sv, "10"sv,   "run"sv,  "race"sv,  "trail"sv, "ultra"sv,
                                       "the"sv,      "annual"sv, "classic"sv, "fun"sv, "road"sv, "8k"sv,  "12k"sv};
  return std::find(kGeneric.begin(), kGeneric.end(), w) != kGeneric.end();
}

std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(name)) out.push_back(t.text);
  return out;
}

struct EventMatch {
  double score = 0;
  std::vector<std::size_t> positions;  // question tokens used
};

// Aligns an event name with the question: its words in order, each exact or within a small edit, a
// skipped word allowed between; or its initials as one token ("BRM").
EventMatch match_event(const Reader& r, const NamedEvent& name) {
  const auto& words = name.words;
  auto is_generic = [&](const std::string& w) { return name.generic[static_cast<std::size_t>(&w - words.data())] != 0; };
  auto close = [&](std::size_t token, const std::string& w) {
    return fuzzy_equal(r.tokens[token], w, name.letters[static_cast<std::size_t>(&w - words.data())]);
  };
  EventMatch best;
  double total = 0;
  for (const auto& w : words) total += is_generic(w) ? 1 : 2;
  for (std::size_t start = 0; start < r.tokens.size(); ++start) {
    // the first name word must be at start
    if (words.empty() || !r.free(start) || !close(start, words.front())) continue;
    EventMatch m;
    std::size_t q = start;
    bool distinctive = false;
    std::size_t distinctive_missing = 0;
    for (const auto& w : words) {
      std::size_t k = q;
      // a year may sit between two name words ("Big River 2024 Marathon"); no other word may
      while (k < r.tokens.size() && k <= q + 1 && !(r.free(k) && close(k, w))) ++k;
      if (k == q + 1 && !m.positions.empty() && !(r.tokens[q].is_number() || r.tokens[q].text == "the")) k = r.tokens.size();
      if (k >= r.tokens.size() || k > q + 1 || (m.positions.empty() && k != start)) {
        if (m.positions.empty()) break;  // the first name word must be at start
        distinctive_missing += is_generic(w) ? 0 : 1;
        continue;                        // a name word left out ("Turkey Trot" for "Turkey Trot 5K")
      }
      const bool exact = r.tokens[k].text == w;
      m.score += (is_generic(w) ? 1.0 : 2.0) * (exact ? 1.0 : 0.8);
      distinctive = distinctive || !is_generic(w);
      m.positions.push_back(k);
      q = k + 1;
    }
    // the words that tell events apart must be there ("Big Sur Marathon" is not "Big River Marathon");
    // one may be left out of a name that has two or more ("the Hudson Half")
    std::size_t distinctive_words = 0;
    for (const auto& w : words) distinctive_words += is_generic(w) ? 0 : 1;
    if (!distinctive || distinctive_missing > (distinctive_words >= 2 ? 1u : 0u)) continue;
    // a capitalised word just before the match belongs to another name ("Mid-Hudson Half" is not ours)
    if (start > 0 && other_name_word(r, start - 1)) continue;
    m.score /= total;
    if (m.score > best.score) best = m;
  }
  // word order: "River Big Marathon": every distinctive word somewhere close together, in any order
  if (best.score == 0) {
    EventMatch m;
    double score = 0;
    for (const auto& w : words) {
      for (std::size_t i = 0; i < r.tokens.size(); ++i) {
        if (!r.free(i) || std::find(m.positions.begin(), m.positions.end(), i) != m.positions.end() ||
            !close(i, w))
          continue;
        m.positions.push_back(i);
        score += is_generic(w) ? 1.0 : 2.0;
        break;
      }
    }
    std::size_t distinctive_found = 0, distinctive_words = 0;
    for (std::size_t k = 0; k < words.size(); ++k) distinctive_words += is_generic(words[k]) ? 0 : 1;
    for (auto p : m.positions) distinctive_found += generic_word(r.tokens[p].text) ? 0 : 1;
    if (!m.positions.empty() && distinctive_found == distinctive_words) {
      const auto [lo, hi] = std::minmax_element(m.positions.begin(), m.positions.end());
      if (*hi - *lo < words.size() + 1) best = {0.9 * score / total, m.positions};
    }
  }
  // initials: "BRM", "TT5K" is too clever; three or more letters
  if (words.size() >= 3) {
    std::string initials;
    for (const auto& w : words) initials += w.front();
    for (std::size_t i = 0; i < r.tokens.size(); ++i)
      if (r.free(i) && r.tokens[i].text == initials && best.score < 0.9) best = {0.9, {i}};
  }
  // initials of the words that tell it apart, written in capitals, then any of its kind words as
  // written: "NYC" and "NYC Marathon" for the New York City Marathon
  std::string lead;
  for (const auto& w : words)
    if (!is_generic(w)) lead += w.front();
  if (lead.size() >= 3 && best.score < 0.9) {
    for (std::size_t i = 0; i < r.tokens.size(); ++i) {
      const Token& t = r.tokens[i];
      const bool capitals = std::none_of(t.original.begin(), t.original.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
      if (!r.free(i) || t.text != lead || !capitals) continue;
      EventMatch m{0.9, {i}};
      std::size_t next = i + 1;
      for (const auto& w : words)
        if (is_generic(w) && w != "the" && r.free(next) && r.tokens[next].text == w) m.positions.push_back(next++);
      best = m;
      break;
    }
  }
  return best;
}

// The best match among the event names not yet chosen, and, from the same pass, the one name that
// matched weakly (0.3 to 0.6: the start of a name, too short to match on its own) when no other did.
struct EventSearch {
  const CatalogEvent* event = nullptr;
  EventMatch match;
  const NamedEvent* weak = nullptr;  // the only name with any match of 0.3 or more; null when none or several
  EventMatch weak_match;
};
EventSearch best_event(const Reader& r, std::span<const NamedEvent> names, const std::vector<const CatalogEvent*>& chosen) {
  EventSearch out;
  std::size_t best_words = 0, matched = 0;
  for (const NamedEvent& n : names) {
    if (std::any_of(chosen.begin(), chosen.end(), [&](const CatalogEvent* c) { return c->event_name == n.event->event_name; })) continue;
    EventMatch m = match_event(r, n);
    if (m.score >= 0.3 && !m.positions.empty() && ++matched == 1) {
      out.weak = &n;
      out.weak_match = m;
    }
    if (m.score < 0.6) continue;
    if (m.score > out.match.score + 1e-9 || (std::abs(m.score - out.match.score) < 1e-9 && n.words.size() > best_words)) {
      out.match = std::move(m);
      best_words = n.words.size();
      out.event = n.event;
    }
  }
  if (matched != 1) out.weak = nullptr;
  return out;
}

// Part of a name that only one of the partner's events has: two or more of its words in a row, one of
// them a word that tells events apart, written together in the question ("the turkey trot" for the
// Stamford Harbor Turkey Trot, "the cliff walk" for the Newport Cliff Walk 10 Mile). Not after "from"
// (where runners live) or after a capitalised word of another name ("the Boston Turkey Trot" is not
// ours). No name when none or several have such a part.
struct NamePart {
  const NamedEvent* name = nullptr;
  std::vector<std::size_t> positions;  // the question's tokens it takes
};
NamePart name_part(const Reader& r, std::span<const NamedEvent> names) {
  auto at = [&](std::size_t i, std::span<const std::string> words) {
    for (std::size_t k = 0; k < words.size(); ++k)
      if (i + k >= r.tokens.size() || !r.free(i + k) || r.tokens[i + k].text != words[k]) return false;
    return true;
  };
  auto contains = [](const std::vector<std::string>& name, std::span<const std::string> words) {
    return std::search(name.begin(), name.end(), words.begin(), words.end()) != name.end();
  };
  NamePart found;
  for (const NamedEvent& n : names) {
    if (n.words.size() < 3) continue;
    std::optional<std::size_t> start;
    std::size_t length = 0;
    for (std::size_t k = n.words.size() - 1; k >= 2 && !start; --k) {  // the longest part first
      for (std::size_t offset = 0; offset + k <= n.words.size() && !start; ++offset) {
        const std::span<const std::string> part(n.words.data() + offset, k);
        if (std::all_of(part.begin(), part.end(), [](const std::string& w) { return generic_word(w); })) continue;
        for (std::size_t i = 0; i + k <= r.tokens.size() && !start; ++i) {
          if (!at(i, part)) continue;
          if (i > 0 && (r.is(i - 1, "from") || other_name_word(r, i - 1))) continue;
          // this name's alone: no other name holds those words together anywhere
          if (std::any_of(names.begin(), names.end(), [&](const NamedEvent& o) { return &o != &n && contains(o.words, part); }))
            continue;
          start = i;
          length = k;
        }
      }
    }
    if (!start) continue;
    if (found.name && found.name->event->event_name != n.event->event_name) return {};  // parts of two names: which?
    found.name = &n;
    found.positions.clear();
    for (std::size_t i = 0; i < length; ++i) found.positions.push_back(*start + i);
  }
  return found;
}

// The edition of a name: the year's (or the date's), else the latest.
const CatalogEvent* edition_of(const Reader& r, std::string_view name) {
  const CatalogEvent* edition = nullptr;
  for (const CatalogEvent& e : r.catalog.events) {
    if (e.event_name != name) continue;
    if (r.plan.year && e.year() != *r.plan.year) continue;
    if (r.plan.date_from && r.plan.date_from == r.plan.date_to && e.event_date != *r.plan.date_from) continue;
    if (!edition || e.event_date > edition->event_date) edition = &e;
  }
  return edition;
}

// "our races", "all our events", "one of our 2024 races": every event of the period, not one of them.
void all_events(Reader& r) {
  // "each of our events", "every one of our races" (before "our" at i): one row per event
  auto each_event = [&](std::size_t i) {
    const std::size_t each = i >= 3 && r.phrase_at(i - 3, "every 1 of") ? 3 : i >= 2 && r.phrase_at(i - 2, "each of") ? 2 : 0;
    if (!each || r.plan.grouping != Grouping::none) return;
    r.use(i - each, each);
    r.plan.grouping = Grouping::event;
    r.cues.emplace_back("grouping");
  };
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i) || !(r.is(i, "our") || r.is(i, "all") || r.is(i, "every"))) continue;
    std::size_t j = i + 1;
    while (j < r.tokens.size() && (!r.free(j) || r.is(j, "our") || r.is(j, "of") || r.is(j, "the")) && j < i + 4) ++j;
    // "each of our 10Ks", "every one of our marathons": one row per event (the race rule reads the distance)
    static constexpr std::array kRacePlurals{"10ks"sv, "5ks"sv, "marathons"sv, "halves"sv, "50ks"sv, "ultras"sv,
                                             "half"sv};
    if (r.is(i, "our") && std::find(kRacePlurals.begin(), kRacePlurals.end(), j < r.tokens.size() ? r.tokens[j].text : "") !=
                              kRacePlurals.end()) {
      each_event(i);
      continue;
    }
    if (!(r.is(j, "races") || r.is(j, "events") || r.is(j, "race") || r.is(j, "event")) || !r.free(j)) continue;
    if ((r.is(j, "race") || r.is(j, "event")) && !r.is(i, "every")) continue;  // "our race" is one of them
    r.plan.all_events = true;
    r.event_word = true;
    for (std::size_t k = i; k <= j; ++k)
      if (r.free(k)) r.use(k, 1);
    each_event(i);
    if (i >= 2 && (r.phrase_at(i - 2, "1 of") || r.phrase_at(i - 2, "any of"))) r.use(i - 2, 2);
  }
}

void events(Reader& r) {
  std::vector<const CatalogEvent*> named;  // in the order found: the partner's aliases, then by name
  for (const EventAlias& alias : r.catalog.aliases) {
    const std::string phrase = phrase_of(alias.alias);
    const auto at = phrase.empty() ? std::nullopt : r.find(phrase);
    if (!at) continue;
    const auto e = std::find_if(r.catalog.events.begin(), r.catalog.events.end(),
                                [&](const CatalogEvent& c) { return c.event_name == alias.event_name; });
    if (e == r.catalog.events.end()) continue;
    if (std::any_of(named.begin(), named.end(), [&](const CatalogEvent* c) { return c->event_name == e->event_name; })) continue;
    r.use(*at, r.phrase_at(*at, phrase));
    named.push_back(&*e);
  }
  std::optional<EventSearch> first_search;  // over every name, none chosen yet: its weak match, if any
  for (int round = 0; round < 3; ++round) {
    EventSearch found = best_event(r, r.names, named);
    if (named.empty()) first_search = found;
    if (!found.event) break;
    for (auto p : found.match.positions) r.tokens[p].used = true;
    named.push_back(found.event);
  }
  if (named.empty() && first_search && first_search->weak) {
    // the start of a name that only one of the partner's events has, too short to match on its own ("the
    // Galveston half", "at Big Bend", "at Harrisburg"): taken when no other name matches at all, and it is
    // written with a capital or is two words or more; "from Harrisburg" is where runners live
    const EventMatch& weak = first_search->weak_match;
    const std::size_t at = weak.positions.front(), after = weak.positions.back() + 1;
    const bool capital = std::isupper(static_cast<unsigned char>(r.tokens[at].original[0])) != 0;
    // a capitalised word right after belongs to another name ("the Big Apple Half" is not the Big River Marathon)
    if ((capital || weak.positions.size() >= 2) && !other_name_word(r, after) && !(at > 0 && r.is(at - 1, "from"))) {
      for (auto p : weak.positions) r.tokens[p].used = true;
      named.push_back(first_search->weak->event);
    }
  }
  if (named.empty()) {
    if (const NamePart part = name_part(r, r.names); part.name) {
      for (auto p : part.positions) r.tokens[p].used = true;
      named.push_back(part.name->event);
    }
  }
  const bool named_here = !named.empty();
  if (named.empty() && r.context.event_name) {
    for (const CatalogEvent& e : r.catalog.events)
      if (e.event_name == *r.context.event_name) named = {&e};
    r.event_from_context = !named.empty();
  }
  if (named.empty()) {
    if (r.last_editions) r.refusal = "the last editions of which event? name it";
    return;
  }
  // the conversation's year goes with the conversation's event, not with one the question names
  if (!r.plan.year && r.plan.compare_years.empty() && r.context.year && (!named_here || !r.context.previous)) {
    r.plan.year = r.context.year;
    r.year_from_context = true;
  }
  if (named.size() >= 2 && (r.year_span || r.last_editions)) {
    r.refusal = "several events over a span of years: ask about one event at a time";
    return;
  }
  if (named.size() >= 2) {  // several events: each its edition of the year, or its latest
    for (const CatalogEvent* e : named) {
      const CatalogEvent* edition = edition_of(r, e->event_name);
      if (!edition) {
        r.refusal = fmt::format("there is no {} edition of {}", r.plan.year.value_or(0), e->event_name);
        return;
      }
      r.plan.events.push_back(edition);
    }
    return;
  }
  const std::string& name = named.front()->event_name;
  r.plan.event_name = name;
  for (const CatalogEvent& e : r.catalog.events)
    if (e.event_name == name) r.plan.editions.push_back(&e);
  if (r.year_span || r.last_editions) {
    const auto years = span_years(r, r.plan.editions);
    if (years.empty()) {
      r.refusal = r.year_span ? fmt::format("{} has no edition from {} to {}", name, r.year_span->first, r.year_span->second)
                              : fmt::format("{} has no edition held yet", name);
      r.plan.event_name.clear();
      return;
    }
    r.plan.year = years.front();
    r.plan.compare_years = years.size() >= 2 ? years : std::vector<int>{};
  }
  // each year named must have its edition ("in 2024, 2025 and 2026": no 2026 edition is not a zero)
  for (int y : r.plan.compare_years)
    if (std::none_of(r.plan.editions.begin(), r.plan.editions.end(), [&](const CatalogEvent* e) { return e->year() == y; })) {
      r.refusal = fmt::format("there is no {} edition of {}", y, name);
      r.plan.event_name.clear();
      return;
    }
  const CatalogEvent* edition = edition_of(r, name);
  if (!edition) {
    r.refusal = r.plan.year ? fmt::format("there is no {} edition of {}", *r.plan.year, name)
                            : fmt::format("no edition of {} matches", name);
    r.plan.event_name.clear();
    return;
  }
  r.plan.event = edition;
}

struct RaceWord {
  std::string_view phrase;
  std::int64_t distance_m;  // 0: the event's longest race
};
// plurals too: "our marathons in 2024" are the marathon races of every 2024 event
constexpr std::array<RaceWord, 31> kRaceWords{{
    {"half marathons", 21098}, {"half marathon", 21098}, {"halves", 21098},  {"half", 21098},    {"13.1", 21098},
    {"26.2", 42195},           {"full marathons", 42195}, {"full marathon", 42195}, {"marathons", 42195},
    {"marathon", 42195},       {"50ks", 50000},          {"50k", 50000},     {"50 k", 50000},    {"25k", 25000},
    {"15k", 15000},            {"10ks", 10000},          {"10k", 10000},     {"10 k", 10000},    {"5ks", 5000},
    {"5k", 5000},              {"5 k", 5000},            {"10 mile", 16093}, {"10 miler", 16093}, {"10 milers", 16093},
    {"10 miles", 16093},       {"ten mile", 16093},      {"8k", 8000},       {"12k", 12000},     {"ultras", 0},
    {"ultra", 0},              {"1 mile", 1609},
}};

const CatalogRace* race_by_distance(const CatalogEvent& e, std::int64_t distance) {
  const CatalogRace* best = nullptr;
  for (const auto& race : e.races) {
    if (distance == 0) {
      if (!best || race.distance_m > best->distance_m) best = &race;
    } else if (std::llabs(race.distance_m - distance) * 100 <= distance * 3) {
      best = &race;
    }
  }
  return best;
}

void races(Reader& r) {
  const CatalogEvent* e = r.plan.event;
  for (const RaceWord& word : kRaceWords) {
    auto at = r.find(word.phrase);
    if (!at) continue;
    r.use(*at, r.phrase_at(*at, word.phrase));
    r.race_word = true;
    r.race_at = at;
    r.plan.race_distance_m = word.distance_m;
    if (e) {
      r.plan.race = race_by_distance(*e, word.distance_m);
      if (!r.plan.race) {
        r.refusal = fmt::format("the {} {} has no {} race", e->event_name, e->year(), word.phrase);
        r.race_missing = true;
      }
    }
    // "the half" of a multi-race event and the race words of the event's own name are spent
    break;
  }
  if (e && !r.plan.race) {
    // a race named by its own name ("the Fun Run", "the Mile"), unless that name is one kind-of-race
    // word as written; a name of no word at all (punctuation) names nothing
    for (const auto& race : e->races) {
      const std::string phrase = phrase_of(race.race_name);
      if (phrase.empty() || (phrase.find(' ') == std::string::npos && generic_word(race.race_name))) continue;
      if (const auto at = r.find(phrase)) {
        r.plan.race = &race;
        r.use(*at, r.phrase_at(*at, phrase));
      }
    }
  }
  if (r.plan.race) r.plan.race_distance_m = r.plan.race->distance_m;
}

// The "3:30" of a question is read once the race is known: H:MM over 15 km or more, MM:SS below.
void colon_times(Reader& r) {
  if (!r.colon_min && !r.colon_max) return;
  std::int64_t distance = r.plan.race ? r.plan.race->distance_m : r.plan.race_distance_m;
  if (!distance && r.plan.event) {
    distance = 0;
    for (const auto& race : r.plan.event->races) distance = std::max(distance, race.distance_m);
  }
  const bool hours = distance >= 15000 || distance == 0;
  if (r.colon_min) r.plan.who.min_time_ms = hours ? r.colon_min->as_hours_ms : r.colon_min->as_minutes_ms;
  if (r.colon_max) r.plan.who.max_time_ms = hours ? r.colon_max->as_hours_ms : r.colon_max->as_minutes_ms;
}

// ---- statuses, groupings, people by name ----------------------------------------------------------

void statuses(Reader& r) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kWords{{
      {"did not finish", "dnf"}, {"didn't finish", "dnf"}, {"dnfs", "dnf"},     {"dnf", "dnf"},
      {"dnf'd", "dnf"},          {"did not start", "dns"}, {"didn't start", "dns"}, {"no shows", "dns"},
      {"dnss", "dns"},           {"dns", "dns"},           {"disqualified", "dq"},  {"disqualifications", "dq"},
      {"dqs", "dq"},             {"dq", "dq"},             {"dq'd", "dq"},          {"dqed", "dq"},
      {"non finishers", "dnf"},  {"non starters", "dns"},  {"no show", "dns"},      {"did not show up", "dns"},
  }};
  // "the DNF rate" is a share of starters, read by the measure rules
  for (std::size_t i = 0; i + 1 < r.tokens.size(); ++i)
    if ((r.is(i, "dnf") || r.is(i, "dns")) && r.is(i + 1, "rate")) return;
  for (const auto& [phrase, status] : kWords)
    if (const auto at = r.take_at(phrase)) {
      // "registered but did not start": the status is the clause, "but" its conjunction
      if (*at > 0 && r.is(*at - 1, "but") && r.free(*at - 1)) r.use(*at - 1, 1);
      r.plan.who.status = std::string(status);
      r.mark(FilterKind::status, *at);
      r.cues.emplace_back("status");
      return;
    }
}

void groupings(Reader& r) {
  static constexpr std::array<std::pair<std::string_view, Grouping>, 32> kWords{{
      {"age group", Grouping::division}, {"age groups", Grouping::division}, {"division", Grouping::division},
      {"divisions", Grouping::division}, {"age category", Grouping::division}, {"age categories", Grouping::division},
      {"category", Grouping::division},  {"categories", Grouping::division}, {"age band", Grouping::age_band},
      {"age bands", Grouping::age_band}, {"decade", Grouping::age_band},      {"age decade", Grouping::age_band},
      {"gender", Grouping::gender},      {"genders", Grouping::gender},       {"sex", Grouping::gender},
      {"home state", Grouping::state},   {"state", Grouping::state},          {"states", Grouping::state},
      {"city", Grouping::city},          {"cities", Grouping::city},          {"home town", Grouping::city},
      {"team", Grouping::team},          {"teams", Grouping::team},           {"club", Grouping::team},
      {"event", Grouping::event},        {"events", Grouping::event},         {"race", Grouping::race},
      {"races", Grouping::race},         {"distance", Grouping::race},        {"distances", Grouping::race},
      {"age", Grouping::age_band},       {"ages", Grouping::age_band},  // "by age", "the age breakdown": decades
  }};
  static constexpr std::array kLeads{"broken"sv, "for"sv, "in"sv, "split"sv, "per"sv, "by"sv, "each"sv, "every"sv, "across"sv};
  const auto leads = r.starts_of(kLeads);
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!leads[i]) continue;
    std::size_t lead = 0;
    if (r.phrase_at(i, "broken down by")) lead = 3;
    else if (r.phrase_at(i, "for each") || r.phrase_at(i, "for every") || r.phrase_at(i, "in each") || r.phrase_at(i, "split by"))
      lead = 2;
    else if (r.phrase_at(i, "per") || r.phrase_at(i, "by") || r.phrase_at(i, "each") || r.phrase_at(i, "every") ||
             r.phrase_at(i, "across"))
      lead = 1;
    if (!lead) continue;
    for (const auto& [word, g] : kWords) {
      const auto n = r.phrase_at(i + lead, word);
      if (!n) continue;
      r.plan.grouping = g;
      r.use(i, lead + n);
      r.cues.emplace_back("grouping");
      if (r.is(i, "each") || r.is(i + 1, "each")) r.cues.emplace_back("each group");
      break;
    }
  }
  // "gender breakdown", "age group split", "state distribution"
  const bool breakdown = r.may_hold("breakdown") || r.may_hold("split") || r.may_hold("distribution");
  for (std::size_t i = 0; breakdown && i + 1 < r.tokens.size(); ++i) {
    for (const auto& [word, g] : kWords) {
      const auto n = r.phrase_at(i, word);
      if (!n || !(r.is(i + n, "breakdown") || r.is(i + n, "split") || r.is(i + n, "distribution"))) continue;
      r.plan.grouping = g;
      r.use(i, n + 1);
      r.cues.emplace_back("grouping");
      r.cues.emplace_back("breakdown");
      break;
    }
  }
  // one row per edition asked for, or every edition spanned (summed when "in total" says so)
  for (auto phrase : {"year by year"sv, "year over year"sv, "year on year"sv, "each year"sv, "every year"sv, "per year"sv,
                      "by year"sv, "each edition"sv, "every edition"sv, "per edition"sv, "by edition"sv, "annually"sv,
                      "each year's"sv, "over time"sv, "trend"sv})
    if (r.take(phrase)) r.multi_year_words = r.per_year_words = true;
  for (auto phrase : {"over the years"sv, "all editions"sv, "all years"sv, "all the editions"sv, "all of the editions"sv,
                      "all of its editions"sv, "all its editions"sv})
    if (r.take(phrase)) r.multi_year_words = true;
}

// "the fastest time ever run at X", "every finisher X has had of all time", "the course record": the event's
// whole history as one population, unless a year says which edition
void all_time(Reader& r) {
  // a year of the question's own says which edition; the conversation's ("and ever?") gives way
  if (r.plan.event_name.empty() || (r.plan.year && !r.year_from_context) || r.plan.compare_years.size() >= 2) return;
  for (auto phrase : {"of all time"sv, "all time"sv, "ever"sv, "in history"sv})
    if (r.take(phrase)) r.every_edition = true;
  if (const auto at = r.find("course record")) {  // "record" is left for the measure rules: the fastest time
    r.use(*at, 1);
    r.every_edition = true;
  }
  if (r.every_edition && r.year_from_context) r.plan.year.reset();
}

// First and last name: two capitalised words no rule explained, next to each other, where a person is
// asked about ("How did Amanda Allen do", "Amanda Allen's time", "the result for Amanda Allen").
void names(Reader& r) {
  static constexpr std::array kBefore{"did"sv, "for"sv, "find"sv, "about"sv, "of"sv, "is"sv, "was"sv, "has"sv};
  static constexpr std::array kAfter{"'s"sv, "do"sv, "did"sv, "finish"sv, "finished"sv, "place"sv, "placed"sv,
                                     "run"sv, "ran"sv, "time"sv, "result"sv};
  for (std::size_t i = 0; i + 1 < r.tokens.size(); ++i) {
    const Token &a = r.tokens[i], &b = r.tokens[i + 1];
    auto name_like = [](const Token& t) {
      const bool shouting = std::all_of(t.original.begin(), t.original.end(), [](char c) { return !std::islower(static_cast<unsigned char>(c)); });
      return !t.used && t.original.size() >= 2 && !shouting && std::isupper(static_cast<unsigned char>(t.original[0])) &&
             std::all_of(t.original.begin() + 1, t.original.end(),
                         [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '\'' || c == '-'; }) &&
             !stop_word(t.text) && std::find(kMonths.begin(), kMonths.end(), t.text) == kMonths.end();
    };
    if (!name_like(a) || !name_like(b)) continue;
    const bool before = i > 0 && std::find(kBefore.begin(), kBefore.end(), r.tokens[i - 1].text) != kBefore.end();
    const bool after = i + 2 < r.tokens.size() && std::find(kAfter.begin(), kAfter.end(), r.tokens[i + 2].text) != kAfter.end();
    if (!before && !after) continue;
    r.plan.who.first_name = a.original;
    r.plan.who.last_name = b.original;
    r.name_given = true;
    r.use(i, 2 + (r.is(i + 2, "'s") ? 1 : 0));
    return;
  }
}

// Where events were held, said of events ("events we held in Massachusetts", "our races in NJ"): after
// the event names are read, so "New York" inside one of them is theirs.
void event_places(Reader& r) {
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i) || !r.is(i, "in")) continue;
    for (const State& s : kStates)
      if (const auto n = r.phrase_at(i + 1, s.name)) {
        r.plan.event_state = std::string(s.code);
        r.use(i, 1 + n + (r.is(i + 1 + n, "state") ? 1 : 0));
        break;
      }
    if (!r.plan.event_state && r.free(i + 1) && r.tokens[i + 1].original.size() == 2 &&
        r.tokens[i + 1].original != r.tokens[i + 1].text) {
      std::string code = r.tokens[i + 1].original;
      if (std::any_of(kStates.begin(), kStates.end(), [&](const State& s) { return s.code == code; })) {
        r.plan.event_state = code;
        r.use(i, 2);
      }
    }
  }
}

// Phrases that hold an event-like word but are not the event: "qualified for Boston".
void reserved_phrases(Reader& r) {
  for (auto phrase : {"qualified for boston"sv, "qualify for boston"sv, "qualifying for boston"sv,
                      "boston qualifiers"sv, "boston qualifier"sv, "boston qualifying"sv, "boston qualified"sv,
                      "bqs"sv, "bq'd"sv, "bq"sv, "bqed"sv, "boston qualifying times"sv, "boston qualifying time"sv})
    if (r.take(phrase)) r.cues.emplace_back("bq");
  // a runner's history across races is not kept (results are per race): read before "first" is a place
  // and "best" a rank, so "first-time runners" is not the winner and "personal best" not the fastest
  static constexpr std::array kHistory{"first time"sv, "first timers"sv, "first timer"sv, "1st time"sv, "rookies"sv,
                                       "personal best"sv, "personal bests"sv, "personal record"sv, "personal records"sv,
                                       "pbs"sv, "prs"sv, "returning runners"sv, "repeat runners"sv, "returning"sv};
  for (auto phrase : kHistory)
    if (const auto at = r.take_at(phrase); at && r.unheld.empty()) {
      std::string said = r.tokens[*at].original;
      for (std::size_t k = 1; k <= static_cast<std::size_t>(std::count(phrase.begin(), phrase.end(), ' ')); ++k)
        said += " " + r.tokens[*at + k].original;
      r.unheld = fmt::format("the race data keeps results race by race, not a runner's history ('{}')", said);
    }
}

}  // namespace

std::vector<NamedEvent> event_names(const Catalog& catalog) {
  std::vector<const CatalogEvent*> by_name;
  by_name.reserve(catalog.events.size());
  for (const CatalogEvent& e : catalog.events) by_name.push_back(&e);
  std::stable_sort(by_name.begin(), by_name.end(), [](auto* a, auto* b) { return a->event_name < b->event_name; });
  std::vector<NamedEvent> out;
  for (const CatalogEvent* e : by_name)
    if (out.empty() || out.back().event->event_name != e->event_name) {
      NamedEvent n{e, name_words(e->event_name), {}, {}};
      for (const auto& w : n.words) {
        n.generic.push_back(generic_word(w) ? 1 : 0);
        n.letters.push_back(letters_of(w));
      }
      out.push_back(std::move(n));
    }
  return out;
}

const std::vector<EntityRule>& entity_rules() {
  static const std::vector<EntityRule> rules{
      {"reserved phrases (qualified for Boston)", reserved_phrases},
      {"years, dates, last/this year", years},
      {"months and seasons", months_and_seasons},
      {"division labels (F40-44)", divisions},
      {"time bounds (under 3 hours, sub-20, between 4 and 5 hours)", time_bounds},
      {"ages (in their 40s, masters, 60 or older)", ages},
      {"gender words", genders},
      {"numbers (top 10, five fastest)", limits},
      {"ordinals (third, 10th, runner-up)", ordinals},
      {"bibs", bibs},
      {"statuses (DNF, DNS, DQ)", statuses},
      {"groupings (per gender, each age group, each year)", groupings},
      {"teams (the partner's own team names)", teams},
      {"places (from NJ, from New Jersey, from Boston)", places},
      {"every event of a period (our races in 2023)", all_events},
      {"the event (fuzzy, the partner's own names and aliases)", events},
      {"the race (the half, 10K, marathon)", races},
      {"all time (ever, the course record)", all_time},
      {"a bare H:MM or MM:SS read by distance", colon_times},
      {"where events were held (in Massachusetts)", event_places},
      {"a person's first and last name", names},
  };
  return rules;
}

bool same_distance(std::int64_t a, std::int64_t b) { return std::llabs(a - b) * 100 <= b * 3; }

}  // namespace racetiming::nl
