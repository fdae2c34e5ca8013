// Creates, updates and deletes of events, races, entries and results: the body checked against the
// resource schema, the derived values of the sport filled in, and places recomputed, in one transaction.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "query/list_builder.hpp"
#include "text/utf8.hpp"
#include "query/record_statements.hpp"
#include "racetiming/auth/secret_hash.hpp"
#include "racetiming/error.hpp"
#include "racetiming/service/resources.hpp"
#include "racetiming/sport/dates.hpp"
#include "racetiming/sport/divisions.hpp"
#include "racetiming/sport/durations.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::service {
namespace {

enum class Mode { create, replace, patch };

const query::RecordTable& table_of(Resource r) {
  static const query::RecordTable kTables[] = {{"ct_events", "event_id", true},
                                               {"ct_races", "race_id", false},
                                               {"ct_participants", "participant_id", false},
                                               {"ct_results", "result_id", false, false}};
  return kTables[static_cast<int>(r)];
}

[[noreturn]] void bad(std::string_view field, std::string_view why) {
  throw Error(ErrorCode::invalid_parameter, fmt::format("{} {}", field, why), std::string(field));
}

// One value checked against its field; text that is empty clears an optional field.
Value checked(const FieldSpec& f, const Value& v) {
  if (is_null(v)) {
    if (f.required) bad(f.name, "is required");
    return v;
  }
  const auto* text = std::get_if<std::string>(&v);
  const auto* number = std::get_if<std::int64_t>(&v);
  // stored text is UTF-8 without NUL, whichever host sent it (a JSON "\u0000" decodes to a NUL)
  if (text && !text::is_utf8_text(*text)) bad(f.name, "must be UTF-8 text without NUL characters");
  const auto in_range = [&f](std::int64_t n) { return n >= f.min && (f.max == 0 || n <= f.max); };
  switch (f.type) {
    case FieldType::text:
      if (!text) bad(f.name, "must be a string");
      if (text->empty() && !f.required) return Value{};
      if (static_cast<std::int64_t>(text->size()) < f.min || static_cast<std::int64_t>(text->size()) > f.max)
        bad(f.name, fmt::format("must be {}-{} characters", f.min, f.max));
      return v;
    case FieldType::enumeration:
      if (!text || std::find(f.allowed.begin(), f.allowed.end(), *text) == f.allowed.end())
        bad(f.name, fmt::format("must be one of {}", fmt::join(f.allowed, ", ")));
      return v;
    case FieldType::date:
      if (!text || !sport::is_iso_date(*text)) bad(f.name, "must be a date (YYYY-MM-DD)");
      return v;
    case FieldType::integer:
      if (!number) bad(f.name, "must be an integer");
      if (!in_range(*number)) bad(f.name, f.max ? fmt::format("must be between {} and {}", f.min, f.max)
                                               : fmt::format("must be at least {}", f.min));
      return v;
    case FieldType::boolean:
      if (!number || (*number != 0 && *number != 1)) bad(f.name, "must be true or false");
      return v;
    case FieldType::duration_ms: {
      const auto ms = text ? sport::parse_duration_ms(*text) : (number ? std::optional(*number) : std::nullopt);
      if (!ms || !in_range(*ms)) bad(f.name, "must be a duration (milliseconds or H:MM:SS) of at most a week");
      return Value{*ms};
    }
  }
  bad(f.name, "has an unknown type");
}

const Value* find(const query::Columns& cols, std::string_view name) {
  auto it = std::find_if(cols.begin(), cols.end(), [&](const auto& c) { return c.first == name; });
  return it == cols.end() ? nullptr : &it->second;
}

// The body as columns to write. A full replace resets every field it leaves out (an enumeration to its
// first value, its default), except parent references, which never change.
query::Columns validate(Resource r, const FieldValues& in, Mode mode) {
  const auto specs = writable_fields(r);
  query::Columns out;
  for (const auto& [name, value] : in) {
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const FieldSpec& f) { return f.name == name; });
    if (spec == specs.end()) bad(name, "is not a field of " + std::string(to_string(r)));
    if (find(out, name)) bad(name, "is given twice");
    out.emplace_back(name, checked(*spec, value));
  }
  if (mode == Mode::patch) return out;
  for (const FieldSpec& f : specs) {
    if (find(out, f.name)) continue;
    if (mode == Mode::create && f.required) bad(f.name, "is required");
    if (mode == Mode::replace && !f.create_only) {
      if (f.required) bad(f.name, "is required");
      out.emplace_back(f.name, f.type == FieldType::enumeration ? Value{std::string(f.allowed.front())} : Value{});
    }
  }
  return out;
}

void set(query::Columns& cols, std::string_view name, Value v) {
  for (auto& c : cols)
    if (c.first == name) {
      c.second = std::move(v);
      return;
    }
  cols.emplace_back(name, std::move(v));
}

// One write: the session, the partner, and the stored row being changed (empty on create).
class RecordWrite {
 public:
  RecordWrite(Database& db, const TenantContext& ctx, Resource r)
      : r_(r), ctx_(ctx), partner_(ctx.partner_id), session_(db, ctx.partner_id, Access::read_write) {}

  Dialect dialect() const { return session_.dialect(); }
  TenantSession& session() { return session_; }

  // The whole stored row of any resource (not the reading's joined view); not_found when not the partner's.
  ResultSet stored(Resource r, std::int64_t id) {
    const auto& t = table_of(r);
    ResultSet row = session_.query(query::get_by_id(fmt::format("SELECT * FROM {}", t.name), "timing_partner_id",
                                                    t.id_column, partner_, dialect(), id));
    if (row.rows.empty()) throw Error(ErrorCode::not_found, fmt::format("no {} {}", to_string(r), id));
    return row;
  }

  // A row as the API shows it (the resource's read view), read inside this write's own transaction: the
  // answer needs no second connection, so a write that committed is never answered with a 503.
  ResultSet shown(std::int64_t id) {
    const auto read = plan_get(dialect(), ctx_, r_, id);
    const ResultSet rows = session_.query(read.statement);
    return read.finish(ResultSetView(rows));
  }

  // A value as it will be after the write: the new one, else the stored one.
  Value merged(const query::Columns& cols, const ResultSet& current, std::string_view name) const {
    if (const Value* v = find(cols, name)) return *v;
    return current.rows.empty() ? Value{} : current.at(0, name);
  }

  // Fills in what the sport derives; returns the race whose places the write may move (0: none).
  std::int64_t derive(query::Columns& cols, const ResultSet& current) {
    switch (r_) {
      case Resource::event: return 0;
      case Resource::race:
        if (current.rows.empty()) stored(Resource::event, as_int(*find(cols, "event_id")).value_or(0));
        return current.rows.empty() || (!find(cols, "distance_m") && !find(cols, "placement_basis"))
                   ? 0
                   : as_int(current.at(0, "race_id")).value_or(0);
      case Resource::participant: return derive_entry(cols, current);
      case Resource::result: return derive_result(cols, current);
    }
    return 0;
  }

  // After the row is written: the rules that span rows.
  void settle(std::int64_t id, const query::Columns& cols, const ResultSet& current, std::int64_t race_id) {
    if (r_ == Resource::result && as_int(merged(cols, current, "is_final")).value_or(0) == 1) {
      const auto participant = as_int(merged(cols, current, "participant_id")).value_or(0);
      auto other = session_.query(query::other_final_result(dialect(), partner_, participant, id));
      if (!other.rows.empty())
        throw Error(ErrorCode::conflict, fmt::format("participant {} already has a final result ({})", participant,
                                                     as_text(other.rows[0][0])));
      // a finish reading makes a registered or started entry a finisher
      const auto entry = stored(Resource::participant, participant);
      const std::string status = as_text(entry.at(0, "status"));
      if (status == "registered" || status == "started")
        session_.query(query::update_record(dialect(), table_of(Resource::participant), partner_, participant,
                                            {{"status", Value{std::string("finished")}}}));
    }
    // after the check above: an entry has at most one final reading to copy the time of
    if (r_ == Resource::result) refinish(as_int(merged(cols, current, "participant_id")).value_or(0));
    if (race_id) recompute(race_id);
  }

  void recompute(std::int64_t race_id) {
    for (const Sql& sql : query::recompute_race(dialect(), partner_, race_id)) session_.execute(sql);
  }

  // The entry's copy of its finish time, after one of its readings changed.
  void refinish(std::int64_t participant_id) { session_.execute(query::refinish_entry(dialect(), partner_, participant_id)); }

  // A parent reference may be repeated on update, never changed.
  void keep_parents(query::Columns& cols, const ResultSet& current) const {
    for (const FieldSpec& f : writable_fields(r_)) {
      const Value* v = find(cols, f.name);
      if (!f.create_only || !v) continue;
      if (as_int(*v) != as_int(current.at(0, f.name))) bad(f.name, "cannot be changed");
      cols.erase(std::find_if(cols.begin(), cols.end(), [&](const auto& c) { return c.first == f.name; }));
    }
  }

  // PostgreSQL takes booleans as 'true'/'false' (an integer does not cast); SQLite keeps 0/1.
  query::Columns bound(query::Columns cols) const {
    if (dialect() != Dialect::postgresql) return cols;
    for (auto& [name, value] : cols)
      if (name == "is_final" && !is_null(value)) value = std::string(as_int(value).value_or(0) ? "true" : "false");
    return cols;
  }

 private:
  std::int64_t derive_entry(query::Columns& cols, const ResultSet& current) {
    if (current.rows.empty()) {
      const auto race = stored(Resource::race, as_int(*find(cols, "race_id")).value_or(0));
      set(cols, "event_id", race.at(0, "event_id"));
    }
    // the division follows gender and age unless the body names one
    if (!find(cols, "division") && (current.rows.empty() || find(cols, "gender") || find(cols, "age"))) {
      const auto age = as_int(merged(cols, current, "age"));
      const std::string gender = as_text(merged(cols, current, "gender"));
      set(cols, "division", age ? Value{sport::division_for(gender.at(0), static_cast<int>(*age))} : Value{});
    }
    const bool moves_places = !current.rows.empty() && (find(cols, "gender") || find(cols, "division") ||
                                                        find(cols, "status") || find(cols, "age"));
    return moves_places ? as_int(current.at(0, "race_id")).value_or(0) : 0;
  }

  std::int64_t derive_result(query::Columns& cols, const ResultSet& current) {
    ResultSet entry = current.rows.empty()
                          ? stored(Resource::participant, as_int(*find(cols, "participant_id")).value_or(0))
                          : ResultSet{};
    if (!entry.rows.empty()) {
      set(cols, "event_id", entry.at(0, "event_id"));
      set(cols, "race_id", entry.at(0, "race_id"));
    }
    if (is_null(merged(cols, current, "interval_name"))) set(cols, "interval_name", Value{std::string("FINISH")});
    if (is_null(merged(cols, current, "is_final")))
      set(cols, "is_final", Value{std::int64_t{as_text(merged(cols, current, "interval_name")) == "FINISH"}});
    // a split's pace is over its own distance; final readings are paced over the race by recompute()
    const auto time = as_int(merged(cols, current, "results_time_ms"));
    const auto distance = as_int(merged(cols, current, "interval_distance_m"));
    const bool final_reading = as_int(merged(cols, current, "is_final")).value_or(0) == 1;
    set(cols, "pace_ms_per_km",
        !final_reading && time && distance && *distance > 0 ? Value{sport::pace_ms_per_km(*time, *distance)} : Value{});
    return as_int(entry.rows.empty() ? current.at(0, "race_id") : entry.at(0, "race_id")).value_or(0);
  }

  Resource r_;
  const TenantContext& ctx_;
  std::int64_t partner_;
  TenantSession session_;
};

Sql find_idempotency_key(Dialect d, std::int64_t partner_id, const std::string& key) {
  SqlWriter w(d);
  w << "SELECT request_hash, resource, resource_id FROM idempotency_keys WHERE timing_partner_id = ";
  w.bind(partner_id) << " AND idempotency_key = ";
  w.bind(key);
  return w.take();
}

// What makes two creates the same request: the resource and the validated fields, in body order.
std::string request_hash(Resource r, const query::Columns& cols) {
  std::string canonical(to_string(r));
  for (const auto& [name, value] : cols) canonical += fmt::format("\x1f{}\x1e{}\x1e{}", name, value.index(), as_text(value));
  return auth::sha256_hex(canonical);
}

Sql remember_idempotency_key(Dialect d, std::int64_t partner_id, const std::string& key, const std::string& hash,
                             Resource r, std::int64_t id) {
  SqlWriter w(d);
  w << "INSERT INTO idempotency_keys (timing_partner_id, idempotency_key, request_hash, resource, resource_id) VALUES (";
  w.bind(partner_id) << ", ";
  w.bind(key) << ", ";
  w.bind(hash) << ", ";
  w.bind(std::string(to_string(r))) << ", ";
  w.bind(id) << ")";
  return w.take();
}

}  // namespace

Created create_record(Database& db, const TenantContext& ctx, Resource r, const FieldValues& fields,
                      const std::optional<std::string>& key) {
  if (key && (key->empty() || key->size() > 255))
    throw Error(ErrorCode::invalid_parameter, "Idempotency-Key must be 1-255 characters", "Idempotency-Key");
  query::Columns cols = validate(r, fields, Mode::create);
  const std::string hash = key ? request_hash(r, cols) : std::string();
  RecordWrite write(db, ctx, r);
  if (key) {
    auto seen = write.session().query(find_idempotency_key(write.dialect(), ctx.partner_id, *key));
    if (!seen.rows.empty()) {
      if (as_text(seen.at(0, "request_hash")) != hash || as_text(seen.at(0, "resource")) != to_string(r))
        throw Error(ErrorCode::conflict, "this Idempotency-Key was used with another request", "Idempotency-Key");
      const auto id = as_int(seen.at(0, "resource_id")).value_or(0);
      ResultSet row = write.shown(id);
      write.session().commit();
      return {std::move(row), id, true};
    }
  }
  const std::int64_t race = write.derive(cols, {});
  const auto& table = table_of(r);
  auto returned = write.session().query(query::insert_record(write.dialect(), table, ctx.partner_id, write.bound(cols)));
  const auto id = as_int(returned.rows.at(0).at(0)).value_or(0);
  write.settle(id, cols, {}, race);
  if (key) write.session().execute(remember_idempotency_key(write.dialect(), ctx.partner_id, *key, hash, r, id));
  write.session().execute(query::bump_data_version(write.dialect(), ctx.partner_id));
  ResultSet row = write.shown(id);
  write.session().commit();
  return {std::move(row), id, false};
}

ResultSet update_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id, const FieldValues& fields,
                        bool replace) {
  query::Columns cols = validate(r, fields, replace ? Mode::replace : Mode::patch);
  RecordWrite write(db, ctx, r);
  const ResultSet current = write.stored(r, id);
  write.keep_parents(cols, current);
  const std::int64_t race = write.derive(cols, current);
  write.session().query(query::update_record(write.dialect(), table_of(r), ctx.partner_id, id, write.bound(cols)));
  write.settle(id, cols, current, race);
  write.session().execute(query::bump_data_version(write.dialect(), ctx.partner_id));
  ResultSet row = write.shown(id);
  write.session().commit();
  return row;
}

void delete_record(Database& db, const TenantContext& ctx, Resource r, std::int64_t id, bool cascade) {
  RecordWrite write(db, ctx, r);
  const ResultSet current = write.stored(r, id);
  const auto& table = table_of(r);
  if (r != Resource::result) {
    const auto results =
        as_int(write.session().query(query::count_results(write.dialect(), ctx.partner_id, table.id_column, id)).rows.at(0).at(0))
            .value_or(0);
    if (results > 0 && !cascade)
      throw Error(ErrorCode::conflict, fmt::format("{} {} has {} results: delete with cascade=true to remove them too",
                                                   to_string(r), id, results));
  }
  write.session().query(query::delete_record(write.dialect(), table, ctx.partner_id, id));  // children by ON DELETE CASCADE
  if (r == Resource::result) write.refinish(as_int(current.at(0, "participant_id")).value_or(0));
  if (r == Resource::participant || r == Resource::result) write.recompute(as_int(current.at(0, "race_id")).value_or(0));
  write.session().execute(query::bump_data_version(write.dialect(), ctx.partner_id));
  write.session().commit();
}

}  // namespace racetiming::service
