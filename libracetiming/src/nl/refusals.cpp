// Questions refused for a reason of their own, before any measure is read: requests to change data,
// predictions, and fields the data model does not hold. Each is checked against the words no entity rule
// used, so an event called "Heart and Sole 5K" is still an event.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "nl/rules.hpp"

namespace racetiming::nl {
namespace {

using namespace std::string_view_literals;

struct Unheld {
  std::string_view phrase, what;
};

// Words for what the data model has no column for, and how the refusal names it.
constexpr std::array<Unheld, 62> kUnheld{{
    {"email", "email addresses"},       {"emails", "email addresses"},        {"e mail", "email addresses"},
    {"gmail", "email addresses"},       {"phone", "phone numbers"},          {"phones", "phone numbers"},
    {"telephone", "phone numbers"},     {"cell", "phone numbers"},           {"mobile", "phone numbers"},
    {"address", "home addresses"},      {"addresses", "home addresses"},     {"zip", "postal codes"},
    {"zipcode", "postal codes"},        {"postcode", "postal codes"},        {"postal code", "postal codes"},
    {"payment", "payments"},            {"payments", "payments"},            {"paid", "payments"},
    {"pay", "payments"},                {"fee", "entry fees"},               {"fees", "entry fees"},
    {"price", "prices"},                {"cost", "prices"},                  {"revenue", "money"},
    {"money", "money"},                 {"dollars", "money"},                {"$", "money"},
    {"prize", "prize money"},           {"prizes", "prize money"},           {"purse", "prize money"},
    {"salary", "income"},               {"income", "income"},                {"weight", "body weight"},
    {"weigh", "body weight"},           {"kilograms", "body weight"},        {"kg", "body weight"},
    {"pounds", "body weight"},          {"lbs", "body weight"},              {"height", "height"},
    {"heart rate", "heart rates"},      {"heart rates", "heart rates"},      {"bpm", "heart rates"},
    {"shoe", "shoes"},                  {"shoes", "shoes"},                  {"temperature", "weather"},
    {"weather", "weather"},             {"humidity", "weather"},             {"birthday", "birth dates"},
    {"birthdays", "birth dates"},       {"date of birth", "birth dates"},    {"password", "passwords"},
    {"passwords", "passwords"},         {"credit card", "payments"},         {"strava", "other services' data"},
    {"garmin", "other services' data"}, {"photo", "photos"},                 {"photos", "photos"},
    {"shirt", "shirt sizes"},           {"sleep", "sleep"},                  {"calories", "calories"},
    {"medal", "medals"},                {"medals", "medals"},
}};

constexpr std::array kWriteVerbs{"change"sv, "update"sv, "delete"sv,   "remove"sv,   "edit"sv,    "modify"sv,
                                 "set"sv,    "insert"sv, "add"sv,      "correct"sv,  "fix"sv,     "drop"sv,
                                 "create"sv, "rename"sv, "replace"sv,  "reset"sv,    "assign"sv,  "overwrite"sv,
                                 "erase"sv,  "truncate"sv, "alter"sv,  "mark"sv,     "move"sv,    "disqualify"sv,
                                 "dq"sv,     "register"sv, "import"sv, "upload"sv,   "cancel"sv,  "make"sv};

// Words of a request's opening that carry no verb of their own: "please", "can you", "I want to".
constexpr std::array kOpening{"please"sv, "can"sv,   "could"sv, "would"sv, "will"sv, "you"sv, "i"sv,    "want"sv,
                              "to"sv,     "like"sv,  "'d"sv,    "need"sv,  "let"sv,  "'s"sv,  "us"sv,   "me"sv,
                              "go"sv,     "ahead"sv, "and"sv,   "kindly"sv, "now"sv, "hey"sv, "ok"sv,   "okay"sv};

constexpr std::array kFuture{"will"sv,     "predict"sv,  "prediction"sv, "predictions"sv, "forecast"sv, "next"sv,
                             "likely"sv,   "chance"sv,   "chances"sv,    "odds"sv,        "probability"sv,
                             "expected"sv, "expect"sv,   "future"sv,     "gonna"sv,       "upcoming winner"sv,
                             "would win"sv, "going to"sv, "projected"sv, "project"sv,     "tomorrow"sv};

}  // namespace

std::string out_of_scope(const Reader& r) {
  if (!r.unheld.empty()) return r.unheld;
  // a request to change data: its first verb, past any politeness, is a write
  std::size_t first = 0;
  while (first < r.tokens.size() && std::find(kOpening.begin(), kOpening.end(), r.tokens[first].text) != kOpening.end()) ++first;
  if (first < r.tokens.size() && r.free(first) &&
      std::find(kWriteVerbs.begin(), kWriteVerbs.end(), r.tokens[first].text) != kWriteVerbs.end())
    return fmt::format("questions never change data ('{}'): use the API's write routes for that", r.tokens[first].original);
  // the earliest unheld field or future word among the unused words (looked for only where a token
  // begins as the phrase does: almost none of them is in any one question)
  std::size_t at = r.tokens.size();
  std::string why;
  auto earliest = [&](std::string_view phrase, auto&& reason) {
    r.first_start(phrase, [&](std::size_t i) {
      if (i < first || i >= at || !r.phrase_at(i, phrase)) return i >= at;
      at = i;
      why = reason(i);
      return true;
    });
  };
  for (const auto& u : kUnheld)
    earliest(u.phrase, [&](std::size_t i) { return fmt::format("the race data holds no {} ('{}')", u.what, r.tokens[i].original); });
  for (auto f : kFuture)
    earliest(f, [&](std::size_t i) { return fmt::format("I answer from results that exist, not predictions ('{}')", r.tokens[i].original); });
  if (!why.empty()) return why;
  if (r.pace_unit_missing) return "a pace per mile or per km? say e.g. 'under 8 minutes per mile'";
  return {};
}

}  // namespace racetiming::nl
