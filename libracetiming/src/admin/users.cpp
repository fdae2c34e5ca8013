#include "racetiming/admin/users.hpp"

#include <fmt/format.h>

#include "racetiming/admin/partners.hpp"
#include "racetiming/auth/permissions.hpp"
#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::admin {

std::int64_t add_user(Database& db, std::int64_t partner_id, const std::string& display_name, const std::string& email,
                      std::vector<std::string> permissions) {
  if (display_name.empty() || display_name.size() > 200)
    throw Error(ErrorCode::invalid_parameter, "user name must be 1-200 characters", "name");
  if (permissions.empty())
    permissions.assign(auth::default_permissions().begin(), auth::default_permissions().end());
  else
    permissions = auth::parse_permissions(auth::join_permissions(permissions));
  if (!find_partner(db, partner_id))
    throw Error(ErrorCode::not_found, fmt::format("no partner {}", partner_id), "partner");
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << "INSERT INTO api_users (timing_partner_id, display_name, email, permissions) VALUES (";
  w.bind(partner_id) << ", ";
  w.bind(display_name) << ", ";
  w.bind(email.empty() ? Value{} : Value{email}) << ", ";
  w.bind(auth::join_permissions(permissions)) << ") RETURNING user_id";
  auto rs = session.query(w.take());
  session.commit();
  return as_int(rs.rows.at(0).at(0)).value_or(0);
}

namespace {

std::vector<User> users_where(Database& db, std::string_view column, std::int64_t id) {
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << "SELECT user_id, timing_partner_id, display_name, email, permissions FROM api_users WHERE " << column << " = ";
  w.bind(id) << " ORDER BY user_id";
  auto rs = session.query(w.take());
  std::vector<User> out;
  for (std::size_t r = 0; r < rs.rows.size(); ++r)
    out.push_back({as_int(rs.at(r, "user_id")).value_or(0), as_int(rs.at(r, "timing_partner_id")).value_or(0),
                   as_text(rs.at(r, "display_name")), as_text(rs.at(r, "email")),
                   auth::parse_permissions(as_text(rs.at(r, "permissions")))});
  return out;
}

}  // namespace

std::optional<User> find_user(Database& db, std::int64_t user_id) {
  auto users = users_where(db, "user_id", user_id);
  if (users.empty()) return std::nullopt;
  return users.front();
}

std::vector<User> list_users(Database& db, std::int64_t partner_id) { return users_where(db, "timing_partner_id", partner_id); }

}  // namespace racetiming::admin
