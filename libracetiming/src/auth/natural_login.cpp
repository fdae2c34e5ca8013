#include "racetiming/auth/natural_login.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "racetiming/admin/partners.hpp"
#include "racetiming/admin/users.hpp"
#include "racetiming/error.hpp"
#include "text/lower.hpp"

namespace racetiming::auth {
namespace {

using text::lower;

// Letters and digits only, lower case: "Big River Race Mgmt." and "big-river" compare by their words.
std::string folded(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n,.;:!-");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n,.;:!-");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace

std::optional<LoginMessage> read_login_message(std::string_view message) {
  const std::string text(message), low = lower(message);
  static constexpr std::array<std::string_view, 7> kOpeners{"i'm ", "i am ", "im ", "this is ", "my name is ", "it's ", "its "};
  static constexpr std::array<std::string_view, 5> kLinks{" from ", " at ", " with ", " and i work at ", " and i work for "};
  std::size_t start = std::string::npos;
  for (auto opener : kOpeners) {
    auto at = low.find(opener);
    if (at != std::string::npos && (at == 0 || !std::isalpha(static_cast<unsigned char>(low[at - 1])))) {
      start = at + opener.size();
      break;
    }
  }
  if (start == std::string::npos) start = 0;  // "Josh from Big River here"
  std::size_t link = std::string::npos, link_size = 0;
  for (auto l : kLinks) {  // the earliest link word; at one place the longer phrase
    const auto at = low.find(l, start);
    if (at == std::string::npos) continue;
    if (link == std::string::npos || at < link || (at == link && l.size() > link_size)) {
      link = at;
      link_size = l.size();
    }
  }
  if (link == std::string::npos) return std::nullopt;
  LoginMessage m;
  m.person = trim(std::string_view(text).substr(start, link - start));
  // the partner runs to the end of the clause: a comma, period, semicolon, " and ", or " here"
  const std::size_t from = link + link_size;
  std::size_t end = text.find_first_of(",.;!?", from);
  for (auto stop : {" and ", " here", " - "}) {
    const auto at = low.find(stop, from);
    if (at != std::string::npos && at < end) end = at;
  }
  m.partner = trim(std::string_view(text).substr(from, end == std::string::npos ? std::string::npos : end - from));
  if (end != std::string::npos) {
    std::string rest = trim(std::string_view(text).substr(end));
    if (lower(rest).starts_with("and ")) rest = trim(std::string_view(rest).substr(4));
    if (lower(rest) == "here") rest.clear();
    m.request = rest;
  }
  if (m.person.empty() || m.partner.empty() || m.person.size() > 100 || m.partner.size() > 200) return std::nullopt;
  return m;
}

NaturalLogin natural_language_login(Database& db, const admin::VerifiedKey& key, std::string_view message) {
  const Error refused(ErrorCode::unauthenticated, "the message and the API key do not name the same user and partner");
  const auto m = read_login_message(message);
  if (!m) throw Error(ErrorCode::unauthenticated, "the message must say who you are and where from (\"I'm Josh from Big River\")");
  const auto partner = admin::find_partner(db, key.timing_partner_id);
  if (!partner) throw refused;
  const std::string named = folded(m->partner);
  // the partner's full name, its slug, or a prefix of its name of at least two words' worth
  const std::string name = folded(partner->name), slug = folded(partner->slug);
  const bool partner_ok = named == name || named == slug || (named.size() >= 6 && name.starts_with(named));
  if (!partner_ok) throw refused;
  // a message that also names another partner is not a login to one: refused the same way
  const std::string whole = folded(message);
  for (const auto& other : admin::list_partners(db)) {
    if (other.timing_partner_id == partner->timing_partner_id) continue;
    const std::string other_name = folded(other.name), other_slug = folded(other.slug);
    if ((other_name.size() >= 6 && whole.find(other_name) != std::string::npos) ||
        (other_slug.size() >= 4 && other_slug != slug && name.find(other_slug) == std::string::npos &&
         whole.find(other_slug) != std::string::npos))
      throw refused;
  }
  const std::string person = folded(m->person);
  std::optional<admin::User> user;
  for (const auto& u : admin::list_users(db, partner->timing_partner_id)) {
    if (key.user_id && u.user_id != *key.user_id) continue;
    const std::string full = folded(u.display_name);
    const std::string first = folded(u.display_name.substr(0, u.display_name.find(' ')));
    if (person == full || person == first) {
      user = u;
      break;
    }
  }
  if (!user) throw refused;
  return {partner->timing_partner_id, user->user_id, key.scopes, m->request};
}

}  // namespace racetiming::auth
