#include "racetiming/admin/partners.hpp"

#include <fmt/format.h>

#include "racetiming/error.hpp"
#include "racetiming/store/tenant_session.hpp"
#include "text/utf8.hpp"

namespace racetiming::admin {
namespace {

Partner read_partner(const ResultSet& rs, std::size_t i) {
  return {as_int(rs.at(i, "timing_partner_id")).value_or(0), as_text(rs.at(i, "name")), as_text(rs.at(i, "slug")),
          as_text(rs.at(i, "domain"))};
}

constexpr std::string_view kSelect = "SELECT timing_partner_id, name, slug, domain FROM timing_partners";

// The partner whose column (a unique key) equals the value.
std::optional<Partner> find_where(Database& db, std::string_view column, Value value) {
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << kSelect << " WHERE " << column << " = ";
  w.bind(std::move(value));
  auto rs = session.query(w.take());
  if (rs.rows.empty()) return std::nullopt;
  return read_partner(rs, 0);
}

}  // namespace

std::int64_t add_partner(Database& db, const std::string& name, const std::string& slug, const std::string& domain) {
  if (name.empty() || name.size() > 200)
    throw Error(ErrorCode::invalid_parameter, "partner name must be 1-200 characters", "name");
  const bool slug_ok = !slug.empty() && slug.size() <= 63 && slug.front() != '-' && slug.back() != '-' &&
                       slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
  if (!slug_ok)
    throw Error(ErrorCode::invalid_parameter, "slug must be 1-63 lowercase letters, digits or '-', not at either end",
                "slug");
  AdminSession session(db);
  SqlWriter w(session.dialect());
  w << "INSERT INTO timing_partners (name, slug, domain) VALUES (";
  w.bind(name) << ", ";
  w.bind(slug) << ", ";
  w.bind(domain.empty() ? Value{} : Value{domain}) << ") RETURNING timing_partner_id";
  try {
    auto rs = session.query(w.take());
    session.commit();
    return as_int(rs.rows.at(0).at(0)).value_or(0);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::conflict) throw;
    throw Error(ErrorCode::conflict, fmt::format("a partner named '{}' or with slug '{}' exists already", text::echo(name), text::echo(slug)));
  }
}

std::vector<Partner> list_partners(Database& db) {
  AdminSession session(db);
  auto rs = session.query({std::string(kSelect) + " ORDER BY timing_partner_id", {}});
  std::vector<Partner> out;
  for (std::size_t i = 0; i < rs.rows.size(); ++i) out.push_back(read_partner(rs, i));
  return out;
}

std::optional<Partner> find_partner(Database& db, std::int64_t partner_id) {
  return find_where(db, "timing_partner_id", partner_id);
}

std::optional<Partner> find_partner_by_slug(Database& db, const std::string& slug) {
  return find_where(db, "slug", slug);
}

std::vector<PartnerCounts> partner_counts(Database& db) {
  AdminSession session(db);
  std::vector<PartnerCounts> out;
  for (const auto& row :
       session.query({"SELECT timing_partner_id FROM timing_partners ORDER BY timing_partner_id", {}}).rows)
    out.push_back({as_int(row[0]).value_or(0)});
  auto fill = [&](std::string_view table, std::int64_t PartnerCounts::*field) {
    auto rs = session.query({fmt::format("SELECT timing_partner_id, COUNT(*) FROM {} GROUP BY timing_partner_id", table), {}});
    for (const auto& row : rs.rows)
      for (auto& c : out)
        if (c.timing_partner_id == as_int(row[0])) c.*field = as_int(row[1]).value_or(0);
  };
  fill("ct_events", &PartnerCounts::events);
  fill("ct_races", &PartnerCounts::races);
  fill("ct_participants", &PartnerCounts::participants);
  fill("ct_results", &PartnerCounts::results);
  return out;
}

}  // namespace racetiming::admin
