#include "query/list_builder.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "racetiming/error.hpp"

namespace racetiming::query {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view in) {
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buf >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buf << (6 - bits)) & 0x3F];
  return out;
}

std::optional<std::string> unbase64url(std::string_view in) {
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    buf = (buf << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

// Cursor text: sort name, unit separator, last sort value, unit separator, last id.
constexpr char kSep = '\x1f';

[[noreturn]] void bad_cursor() {
  throw Error(ErrorCode::invalid_parameter, "cursor is not one this list issued", "cursor");
}

}  // namespace

ListBuilder::ListBuilder(const ListSpec& spec, std::int64_t partner_id, Dialect dialect, const PageRequest& page)
    : spec_(spec), limit_(page.limit), w_(dialect) {
  if (limit_ < 1 || limit_ > kMaxLimit)
    throw Error(ErrorCode::invalid_parameter, fmt::format("limit must be between 1 and {}", kMaxLimit), "limit");
  std::string_view sort = page.sort.empty() ? spec.default_sort : std::string_view(page.sort);
  descending_ = sort.starts_with('-');
  if (descending_) sort.remove_prefix(1);
  auto it = std::find_if(spec.sorts.begin(), spec.sorts.end(), [&](const SortKey& k) { return k.name == sort; });
  if (it == spec.sorts.end()) {
    std::string allowed;
    for (const auto& k : spec.sorts) {
      if (!allowed.empty()) allowed += ", ";
      allowed += k.name;
    }
    throw Error(ErrorCode::invalid_parameter, fmt::format("sort must be one of {} (prefix - for descending)", allowed),
                "sort");
  }
  sort_ = &*it;

  if (!page.cursor.empty()) {
    auto raw = unbase64url(page.cursor);
    if (!raw) bad_cursor();
    const auto a = raw->find(kSep), b = raw->rfind(kSep);
    if (a == std::string::npos || a == b) bad_cursor();
    const std::string_view text(*raw);
    std::string_view key = text.substr(0, a), value = text.substr(a + 1, b - a - 1), id = text.substr(b + 1);
    // compared in place: GCC 12 at -O3 warns (-Wrestrict, its bug 105329) on "-" + std::string
    if (descending_ && !key.starts_with('-')) bad_cursor();
    if (key.substr(descending_ ? 1 : 0) != sort_->name) bad_cursor();
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), after_id_);
    if (ec != std::errc{} || end != id.data() + id.size()) bad_cursor();
    if (sort_->text) {
      after_value_ = Value{std::string(value)};
    } else {
      std::int64_t v = 0;
      auto [vend, vec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (vec != std::errc{} || vend != value.data() + value.size()) bad_cursor();
      after_value_ = Value{v};
    }
  }

  w_ << spec.select_from << " WHERE " << spec.tenant_column << " = ";
  w_.bind(partner_id);
}

void ListBuilder::contains(std::string_view expr, std::string_view needle) {
  std::string pattern = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  // SQLite's LIKE is case-insensitive for ASCII already
  and_where() << expr << (w_.dialect() == Dialect::postgresql ? " ILIKE " : " LIKE ");
  w_.bind(std::move(pattern));
  w_ << " ESCAPE '\\'";
}

SqlWriter& ListBuilder::and_where() { return w_ << " AND "; }

void ListBuilder::compare(std::string_view expr, std::string_view op, Value value) {
  and_where() << expr << " " << op << " ";
  w_.bind(std::move(value));
}

Sql ListBuilder::finish() {
  const char* cmp = descending_ ? "<" : ">";
  const char* dir = descending_ ? " DESC" : "";
  if (after_value_) {
    w_ << " AND (" << sort_->expr << " " << cmp << " ";
    w_.bind(*after_value_);
    w_ << " OR (" << sort_->expr << " = ";
    w_.bind(*after_value_);
    w_ << " AND " << spec_.id_expr << " " << cmp << " ";
    w_.bind(after_id_);
    w_ << "))";
  }
  w_ << " ORDER BY " << sort_->expr << dir << ", " << spec_.id_expr << dir << " LIMIT ";
  w_.bind(static_cast<std::int64_t>(limit_ + 1));
  return w_.take();
}

Sql get_by_id(std::string_view select_from, std::string_view tenant_column, std::string_view id_expr,
              std::int64_t partner_id, Dialect dialect, std::int64_t id) {
  SqlWriter w(dialect);
  w << select_from;
  where_partner_and_id(w, tenant_column, id_expr, partner_id, id);
  return w.take();
}

void where_partner_and_id(SqlWriter& w, std::string_view tenant_column, std::string_view id_expr,
                          std::int64_t partner_id, std::int64_t id) {
  w << " WHERE " << tenant_column << " = ";
  w.bind(partner_id);
  w << " AND " << id_expr << " = ";
  w.bind(id);
}

std::string next_cursor(const ListSpec& spec, const RowsView& rows, const PageRequest& request) {
  if (rows.row_count() <= request.limit) return {};
  std::string_view sort = request.sort.empty() ? spec.default_sort : std::string_view(request.sort);
  std::string_view name = sort.starts_with('-') ? sort.substr(1) : sort;
  auto key = std::find_if(spec.sorts.begin(), spec.sorts.end(), [&](const SortKey& k) { return k.name == name; });
  const std::size_t last = request.limit - 1;
  return base64url(fmt::format("{}{}{}{}{}", sort, kSep, as_text(to_value(rows.cell(last, rows.column(key->column)))), kSep,
                               as_text(to_value(rows.cell(last, rows.column(spec.id_column))))));
}

Page make_page(const ListSpec& spec, ResultSet rows, const PageRequest& request) {
  Page page;
  page.next_cursor = next_cursor(spec, ResultSetView(rows), request);
  if (rows.rows.size() > request.limit) rows.rows.resize(request.limit);
  page.rows = std::move(rows);
  return page;
}

}  // namespace racetiming::query
