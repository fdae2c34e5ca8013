// Entity rules: each finds one kind of thing in the question (a year, a time bound, an age band, the
// event, ...), writes it into the Plan and marks its words used, so later rules and the intent cues
// see only what is left. They run in the order of the table at the bottom.
#include <algorithm>
#include <array>
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

// ---- dates ----------------------------------------------------------------------------------------

void years(Reader& r) {
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
  if (r.plan.year && !r.plan.compare_years.empty()) r.plan.compare_years.insert(r.plan.compare_years.begin(), *r.plan.year);
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
  if (!r.tokens[i].is_number()) return std::nullopt;
  const double value = std::atof(w.c_str());
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
  if (const auto u = unit(i + 1)) {
    ms = static_cast<std::int64_t>(std::llround(value * static_cast<double>(u)));
    length = 2;
    // "2 hours 30 minutes", "2 hours and 30 minutes"
    std::size_t k = i + 2 + (r.is(i + 2, "and") ? 1 : 0);
    if (u == kHour && r.free(k) && r.tokens[k].is_number() && unit(k + 1) == kMinute) {
      ms += static_cast<std::int64_t>(std::atof(r.tokens[k].text.c_str()) * kMinute);
      length = k + 2 - i;
    }
  } else if (bare_number_is_sub) {
    ms = value < 10 ? static_cast<std::int64_t>(value * kHour) : static_cast<std::int64_t>(value * kMinute);  // sub-3, sub-20
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
  (upper ? r.plan.max_time_ms : r.plan.min_time_ms) = d.ms;
}

void time_bounds(Reader& r) {
  static constexpr std::array kUpper{"in under"sv,     "in less than"sv, "less than"sv, "faster than"sv, "quicker than"sv,
                                     "under"sv,        "below"sv,        "broke"sv,     "breaking"sv,    "beat"sv,
                                     "beating"sv,      "within"sv,       "sub"sv};
  static constexpr std::array kLower{"more than"sv, "slower than"sv, "longer than"sv, "over"sv, "above"sv, "beyond"sv};
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (r.phrase_at(i, "between")) {
      auto a = duration_at(r, i + 1, false);
      if (!a && r.free(i + 1) && r.tokens[i + 1].is_number() && r.is(i + 2, "and")) {
        // "between 4 and 5 hours": the unit comes once, after the second number
        if (auto b = duration_at(r, i + 3, false)) {
          const double lo = std::atof(r.tokens[i + 1].text.c_str()), hi = std::atof(r.tokens[i + 3].text.c_str());
          if (hi > 0) {
            r.plan.min_time_ms = static_cast<std::int64_t>(std::llround(lo * static_cast<double>(b->ms) / hi));
            r.plan.max_time_ms = b->ms;
            r.plan.time_inclusive = true;
            r.use(i, 3 + b->length);
          }
          continue;
        }
      }
      if (a && r.is(i + 1 + a->length, "and")) {
        if (auto b = duration_at(r, i + 2 + a->length, false)) {
          set_bound(r, *a, false);
          set_bound(r, *b, true);
          r.plan.time_inclusive = true;
          r.use(i, 2 + a->length + b->length);
        }
      }
      continue;
    }
    for (bool upper : {true, false}) {
      for (auto word : upper ? std::span<const std::string_view>(kUpper) : std::span<const std::string_view>(kLower)) {
        const std::size_t n = r.phrase_at(i, word);
        if (!n) continue;
        auto d = duration_at(r, i + n, word == "sub");
        if (!d) continue;
        set_bound(r, *d, upper);
        r.use(i, n + d->length);
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
    r.plan.division = fmt::format("{}{}", static_cast<char>(g - 'a' + 'A'), range);
    r.plan.gender = static_cast<char>(g - 'a' + 'A');
    r.cues.emplace_back("division");
    r.use(i, n);
  }
}

void ages(Reader& r) {
  auto number = [&](std::size_t i) -> std::optional<int> {
    if (!r.free(i) || !r.tokens[i].is_number()) return std::nullopt;
    auto v = integer(r.tokens[i]);
    return v && *v > 0 && *v < 120 ? v : std::nullopt;
  };
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    const std::string& w = r.tokens[i].text;
    if (w == "masters" || w == "master" || w == "master's") {
      r.plan.min_age = 40;
      r.use(i, 1);
    } else if (w.size() == 3 && w.ends_with('s') && std::isdigit(static_cast<unsigned char>(w[0])) && w[1] == '0') {
      // "in their 40s", "40s"
      r.plan.min_age = (w[0] - '0') * 10;
      r.plan.max_age = *r.plan.min_age + 9;
      r.use(i, 1);
      if (i >= 2 && r.is(i - 1, "their") && r.is(i - 2, "in")) r.use(i - 2, 2);
    } else if ((w == "aged" || w == "ages" || w == "age") && number(i + 1)) {
      // "aged 30 to 39", "aged 30-39" (one token)
      const std::size_t sep = i + 2;
      if ((r.is(sep, "to") || r.is(sep, "and") || r.is(sep, "through")) && number(sep + 1)) {
        r.plan.min_age = number(i + 1);
        r.plan.max_age = number(sep + 1);
        r.use(i, 4);
      } else {
        r.plan.min_age = r.plan.max_age = number(i + 1);
        r.use(i, 2);
      }
    } else if (w == "between" && (r.phrase_at(i + 1, "the ages of") || (number(i + 1) && r.is(i + 2, "and") &&
                                                                       number(i + 3) && (r.is(i + 4, "years") || r.is(i + 4, "year"))))) {
      // "between the ages of 30 and 39", "between 30 and 39 years (old)"
      const std::size_t at = r.phrase_at(i + 1, "the ages of") ? i + 4 : i + 1;
      if (number(at) && r.is(at + 1, "and") && number(at + 2)) {
        r.plan.min_age = number(at);
        r.plan.max_age = number(at + 2);
        r.use(i, at + 3 - i + (r.is(at + 3, "years") ? 1 : 0) + (r.is(at + 4, "old") ? 1 : 0));
      }
    } else if ((w == "aged" || w == "ages" || w == "age") && r.free(i + 1) && r.tokens[i + 1].text.size() == 5 &&
               r.tokens[i + 1].text[2] == '-') {
      const auto& range = r.tokens[i + 1].text;
      r.plan.min_age = integer(Token{range.substr(0, 2), {}, false});
      r.plan.max_age = integer(Token{range.substr(3), {}, false});
      r.use(i, 2);
    } else if (auto n = number(i); n && *n >= 10) {
      // "60 or older", "60 and over", "60+", "over 50", "under 30", "older than 40"
      if (r.phrase_at(i + 1, "or older") || r.phrase_at(i + 1, "and older") || r.phrase_at(i + 1, "and over") ||
          r.phrase_at(i + 1, "or over") || r.phrase_at(i + 1, "and up")) {
        r.plan.min_age = n;
        r.use(i, 3);
      } else if (r.is(i + 1, "+")) {
        r.plan.min_age = n;
        r.use(i, 2);
      } else if (i > 0 && r.free(i - 1) && (r.is(i - 1, "over") || r.is(i - 1, "above"))) {
        r.plan.min_age = n;
        r.use(i - 1, 2);
      } else if (i > 0 && r.free(i - 1) && r.is(i - 1, "under")) {
        r.plan.max_age = *n - 1;
        r.use(i - 1, 2);
      } else if (i > 1 && r.free(i - 2) && r.is(i - 1, "than") && (r.is(i - 2, "older") || r.is(i - 2, "younger"))) {
        (r.is(i - 2, "older") ? r.plan.min_age : r.plan.max_age) = r.is(i - 2, "older") ? *n + 1 : *n - 1;
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
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    if (!r.free(i)) continue;
    if (r.phrase_at(i, "non binary")) {
      r.plan.gender = 'X';
      r.use(i, 2);
      continue;
    }
    for (const auto& [word, g] : kWords)
      if (r.tokens[i].text == word) {
        r.plan.gender = g;
        r.use(i, 1 + (r.is(i + 1, "'s") ? 1 : 0));
      }
  }
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
    const bool before = i > 0 && rank_word(i - 1) && !r.is(i - 1, "last");
    const bool after = rank_word(i + 1);
    if (!before && !after) continue;
    r.plan.limit = std::min(*n, 1000);  // at most 1000 rows
    r.limit_given = true;
    r.use(i, 1);
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
    r.plan.bib = r.tokens[at].original;
    r.use(i, at - i + 1 + (r.is(at + 1, "'s") ? 1 : 0));
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
        r.plan.state = std::string(s.code);
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
        r.plan.state = code;
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
      r.plan.city = city;
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
EventMatch match_event(const Reader& r, const std::vector<std::string>& words) {
  EventMatch best;
  double total = 0;
  for (const auto& w : words) total += generic_word(w) ? 1 : 2;
  for (std::size_t start = 0; start < r.tokens.size(); ++start) {
    EventMatch m;
    std::size_t q = start;
    bool distinctive = false;
    std::size_t distinctive_missing = 0;
    for (const auto& w : words) {
      std::size_t k = q;
      // a year may sit between two name words ("Big River 2024 Marathon"); no other word may
      while (k < r.tokens.size() && k <= q + 1 && !(r.free(k) && fuzzy_equal(r.tokens[k].text, w))) ++k;
      if (k == q + 1 && !m.positions.empty() && !(r.tokens[q].is_number() || r.tokens[q].text == "the")) k = r.tokens.size();
      if (k >= r.tokens.size() || k > q + 1 || (m.positions.empty() && k != start)) {
        if (m.positions.empty()) break;  // the first name word must be at start
        distinctive_missing += generic_word(w) ? 0 : 1;
        continue;                        // a name word left out ("Turkey Trot" for "Turkey Trot 5K")
      }
      const bool exact = r.tokens[k].text == w;
      m.score += (generic_word(w) ? 1.0 : 2.0) * (exact ? 1.0 : 0.8);
      distinctive = distinctive || !generic_word(w);
      m.positions.push_back(k);
      q = k + 1;
    }
    // the words that tell events apart must be there ("Big Sur Marathon" is not "Big River Marathon");
    // one may be left out of a name that has two or more ("the Hudson Half")
    std::size_t distinctive_words = 0;
    for (const auto& w : words) distinctive_words += generic_word(w) ? 0 : 1;
    if (!distinctive || distinctive_missing > (distinctive_words >= 2 ? 1u : 0u)) continue;
    // a capitalised word just before the match belongs to another name ("Mid-Hudson Half" is not ours)
    if (start > 0 && r.free(start - 1) && !stop_word(r.tokens[start - 1].text) && !r.tokens[start - 1].is_number() &&
        std::isupper(static_cast<unsigned char>(r.tokens[start - 1].original[0])))
      continue;
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
            !fuzzy_equal(r.tokens[i].text, w))
          continue;
        m.positions.push_back(i);
        score += generic_word(w) ? 1.0 : 2.0;
        break;
      }
    }
    std::size_t distinctive_found = 0, distinctive_words = 0;
    for (std::size_t k = 0; k < words.size(); ++k) distinctive_words += generic_word(words[k]) ? 0 : 1;
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
  return best;
}

void events(Reader& r) {
  const CatalogEvent* chosen_name = nullptr;
  EventMatch best;
  std::size_t best_words = 0;
  std::vector<std::string_view> seen;  // editions share a name: match each name once
  for (const CatalogEvent& e : r.catalog.events) {
    if (std::find(seen.begin(), seen.end(), e.event_name) != seen.end()) continue;
    seen.push_back(e.event_name);
    const auto words = name_words(e.event_name);
    EventMatch m = match_event(r, words);
    if (m.score < 0.6) continue;
    if (m.score > best.score + 1e-9 || (std::abs(m.score - best.score) < 1e-9 && words.size() > best_words)) {
      best = m;
      best_words = words.size();
      chosen_name = &e;
    }
  }
  if (!chosen_name && r.context.event_name) {
    for (const CatalogEvent& e : r.catalog.events)
      if (e.event_name == *r.context.event_name) chosen_name = &e;
  }
  if (!chosen_name) return;
  for (auto p : best.positions) r.tokens[p].used = true;
  r.plan.event_name = chosen_name->event_name;
  for (const CatalogEvent& e : r.catalog.events)
    if (e.event_name == chosen_name->event_name) r.plan.editions.push_back(&e);
  if (!r.plan.year && r.context.year) r.plan.year = r.context.year;
  // the edition: the year's, else the latest (by date)
  const CatalogEvent* edition = nullptr;
  for (const CatalogEvent& e : r.catalog.events) {
    if (e.event_name != chosen_name->event_name) continue;
    if (r.plan.year && e.year() != *r.plan.year) continue;
    if (r.plan.date_from && r.plan.date_from == r.plan.date_to && e.event_date != *r.plan.date_from) continue;
    if (!edition || e.event_date > edition->event_date) edition = &e;
  }
  if (!edition) {
    r.refusal = r.plan.year ? fmt::format("there is no {} edition of {}", *r.plan.year, chosen_name->event_name)
                            : fmt::format("no edition of {} matches", chosen_name->event_name);
    r.plan.event_name.clear();
    return;
  }
  r.plan.event = edition;
}

struct RaceWord {
  std::string_view phrase;
  std::int64_t distance_m;  // 0: the event's longest race
};
constexpr std::array<RaceWord, 22> kRaceWords{{
    {"half marathon", 21098}, {"half", 21098},     {"13.1", 21098},      {"26.2", 42195},  {"full marathon", 42195},
    {"marathon", 42195},      {"50k", 50000},      {"50 k", 50000},      {"25k", 25000},   {"15k", 15000},
    {"10k", 10000},           {"10 k", 10000},     {"5k", 5000},         {"5 k", 5000},    {"10 mile", 16093},
    {"10 miler", 16093},      {"10 miles", 16093}, {"ten mile", 16093},  {"8k", 8000},     {"12k", 12000},
    {"ultra", 0},             {"1 mile", 1609},
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
    // a race named by its own name ("the Fun Run")
    for (const auto& race : e->races)
      if (auto at = r.find(name_words(race.race_name).front()); at && name_words(race.race_name).size() == 1 &&
                                                                 !generic_word(race.race_name)) {
        r.plan.race = &race;
        r.use(*at, 1);
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
  if (r.colon_min) r.plan.min_time_ms = hours ? r.colon_min->as_hours_ms : r.colon_min->as_minutes_ms;
  if (r.colon_max) r.plan.max_time_ms = hours ? r.colon_max->as_hours_ms : r.colon_max->as_minutes_ms;
}

// ---- statuses, groupings, people by name ----------------------------------------------------------

void statuses(Reader& r) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kWords{{
      {"did not finish", "dnf"}, {"didn't finish", "dnf"}, {"dnfs", "dnf"},     {"dnf", "dnf"},
      {"dnf'd", "dnf"},          {"did not start", "dns"}, {"didn't start", "dns"}, {"no shows", "dns"},
      {"dnss", "dns"},           {"dns", "dns"},           {"disqualified", "dq"},  {"disqualifications", "dq"},
      {"dqs", "dq"},             {"dq", "dq"},             {"dq'd", "dq"},          {"dqed", "dq"},
  }};
  for (const auto& [phrase, status] : kWords)
    if (r.take(phrase)) {
      r.plan.status = std::string(status);
      r.cues.emplace_back("status");
      return;
    }
}

void groupings(Reader& r) {
  static constexpr std::array<std::pair<std::string_view, Grouping>, 12> kWords{{
      {"age group", Grouping::division}, {"age groups", Grouping::division}, {"division", Grouping::division},
      {"divisions", Grouping::division}, {"age category", Grouping::division}, {"gender", Grouping::gender},
      {"genders", Grouping::gender},     {"sex", Grouping::gender},         {"state", Grouping::state},
      {"states", Grouping::state},       {"home state", Grouping::state},    {"category", Grouping::division},
  }};
  for (std::size_t i = 0; i < r.tokens.size(); ++i) {
    std::size_t lead = r.phrase_at(i, "for each") ? 2 : (r.phrase_at(i, "per") || r.phrase_at(i, "by") ||
                                                         r.phrase_at(i, "each") || r.phrase_at(i, "every") ||
                                                         r.phrase_at(i, "across"))
                                                            ? 1
                                                            : 0;
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
  // "gender breakdown", "breakdown by state" is handled above ("by"); "age group split"
  for (std::size_t i = 0; i + 1 < r.tokens.size(); ++i) {
    if (!r.is(i + 1, "breakdown") && !r.is(i + 1, "split") && !r.is(i + 1, "distribution")) continue;
    for (const auto& [word, g] : kWords) {
      if (word.find(' ') != std::string_view::npos || !r.free(i) || r.tokens[i].text != word) continue;
      r.plan.grouping = g;
      r.use(i, 2);
      r.cues.emplace_back("grouping");
    }
  }
  for (auto phrase : {"each year"sv, "every year"sv, "per year"sv, "by year"sv, "over the years"sv, "year over year"sv,
                      "year by year"sv, "each edition"sv, "every edition"sv, "over time"sv, "annually"sv, "trend"sv})
    if (r.take(phrase)) r.multi_year_words = true;
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
    r.plan.first_name = a.original;
    r.plan.last_name = b.original;
    r.name_given = true;
    r.use(i, 2 + (r.is(i + 2, "'s") ? 1 : 0));
    return;
  }
}

// Phrases that hold an event-like word but are not the event: "qualified for Boston".
void reserved_phrases(Reader& r) {
  for (auto phrase : {"qualified for boston"sv, "qualify for boston"sv, "qualifying for boston"sv,
                      "boston qualifiers"sv, "boston qualifier"sv, "boston qualifying"sv, "boston qualified"sv,
                      "bqs"sv, "bq'd"sv, "bq"sv, "bqed"sv})
    if (r.take(phrase)) r.cues.emplace_back("bq");
}

}  // namespace

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
      {"bibs", bibs},
      {"statuses (DNF, DNS, DQ)", statuses},
      {"groupings (per gender, each age group, each year)", groupings},
      {"places (from NJ, from New Jersey, from Boston)", places},
      {"the event (fuzzy, the partner's own names)", events},
      {"the race (the half, 10K, marathon)", races},
      {"a bare H:MM or MM:SS read by distance", colon_times},
      {"a person's first and last name", names},
  };
  return rules;
}

bool is_stop_word(std::string_view w) { return stop_word(w); }

}  // namespace racetiming::nl
