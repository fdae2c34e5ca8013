// The Python module `racetiming` (its compiled part, racetiming._racetiming): the Engine's calls with
// Python values in and out. Rows come back as lists of dicts, failures as racetiming.Error (with the
// library's stable .code), refusals as racetiming.Refused. Every call that reaches the database runs
// with the GIL released, so Python threads sharing one Engine run their queries at once.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <mutex>
#include <tuple>

#include "racetiming/auth/permissions.hpp"
#include "racetiming/format/printed_columns.hpp"
#include "racetiming/racetiming.hpp"
#include "racetiming/sport/durations.hpp"

namespace py = pybind11;
namespace rt = racetiming;
using namespace py::literals;

namespace {

// --- Python values from the library's ---------------------------------------------------------------
// Rows are built with the C API, keys made once (per result, or per record type for an Engine's life):
// a page of results is hundreds of values, and this is most of what a call adds to the C++ time.

PyObject* new_value(const rt::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return PyLong_FromLongLong(*i);
  if (const auto* d = std::get_if<double>(&v)) return PyFloat_FromDouble(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return PyUnicode_FromStringAndSize(s->data(), static_cast<Py_ssize_t>(s->size()));
  Py_RETURN_NONE;
}

PyObject* new_value(std::int64_t v) { return PyLong_FromLongLong(v); }
PyObject* new_value(bool v) { return PyBool_FromLong(v); }
PyObject* new_value(double v) { return PyFloat_FromDouble(v); }
PyObject* new_value(const std::string& v) { return PyUnicode_FromStringAndSize(v.data(), static_cast<Py_ssize_t>(v.size())); }
template <class T>
PyObject* new_value(const std::optional<T>& v) {
  if (v) return new_value(*v);
  Py_RETURN_NONE;
}

// Puts a new reference into a dict and lets go of it; a failed allocation becomes a Python exception.
void put(PyObject* dict, PyObject* key, PyObject* value) {
  if (!value) throw py::error_already_set();
  const int failed = PyDict_SetItem(dict, key, value);
  Py_DECREF(value);
  if (failed) throw py::error_already_set();
}

py::object to_python(const rt::Value& v) { return py::reinterpret_steal<py::object>(new_value(v)); }

py::list rows_to_python(const rt::ResultSet& rows) {
  std::vector<py::str> keys;
  std::vector<bool> flags;  // yes/no columns (format/printed_columns.hpp): a bool, as the JSON has
  keys.reserve(rows.columns.size());
  for (const auto& c : rows.columns) {
    keys.emplace_back(c);
    flags.push_back(rt::format::printed_form(c) == rt::format::Printed::flag);
  }
  py::list out(rows.rows.size());
  for (std::size_t r = 0; r < rows.rows.size(); ++r) {
    auto d = py::reinterpret_steal<py::dict>(_PyDict_NewPresized(static_cast<Py_ssize_t>(keys.size())));
    if (!d) throw py::error_already_set();
    for (std::size_t c = 0; c < keys.size(); ++c) {
      const rt::Value& v = rows.rows[r][c];
      put(d.ptr(), keys[c].ptr(), flags[c] && !rt::is_null(v) ? new_value(rt::as_int(v).value_or(0) != 0) : new_value(v));
    }
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(r), d.release().ptr());
  }
  return out;
}

// {"kind": ..., "races": [rows], then each table by name: [rows]}, as the REST API's JSON.
py::dict report_to_python(const rt::Report& report) {
  py::dict out("kind"_a = report.kind, "races"_a = rows_to_python(report.races));
  for (const auto& [name, rows] : report.tables) out[py::str(name)] = rows_to_python(rows);
  return out;
}

py::dict row_to_python(const rt::ResultSet& rows) {
  if (rows.rows.empty()) return py::dict();
  return rows_to_python(rows)[0].cast<py::dict>();
}

// The field names of a record type as Python strings, in record_fields<Record>() order.
template <class Record>
std::vector<py::str> record_keys() {
  std::vector<py::str> keys;
  std::apply([&](const auto&... f) { (keys.emplace_back(f.name.data(), f.name.size()), ...); }, rt::record_fields<Record>());
  return keys;
}

template <class Record>
py::dict record_to_python(const Record& record, const std::vector<py::str>& keys) {
  // sized for its fields up front: a dict grown one key at a time is rebuilt twice on the way to 23
  auto d = py::reinterpret_steal<py::dict>(_PyDict_NewPresized(static_cast<Py_ssize_t>(keys.size())));
  if (!d) throw py::error_already_set();
  std::size_t i = 0;
  std::apply([&](const auto&... f) { (put(d.ptr(), keys[i++].ptr(), new_value(record.*(f.member))), ...); },
             rt::record_fields<Record>());
  return d;
}

template <class Record>
py::dict page_to_python(const rt::PageOf<Record>& page, const std::vector<py::str>& keys) {
  py::list data(page.items.size());
  for (std::size_t i = 0; i < page.items.size(); ++i)
    PyList_SET_ITEM(data.ptr(), static_cast<Py_ssize_t>(i), record_to_python(page.items[i], keys).release().ptr());
  return py::dict("data"_a = data, "next_cursor"_a = page.next_cursor.empty() ? py::object(py::none()) : py::str(page.next_cursor));
}

py::dict answer_to_python(const rt::nl::Answer& a) {
  py::list params;
  for (const auto& p : a.sql.params) params.append(to_python(p));
  return py::dict("query"_a = a.question, "engine"_a = a.engine, "template"_a = a.template_name,
                  "confidence"_a = a.confidence, "sql"_a = a.sql.text, "params"_a = params, "columns"_a = a.rows.columns,
                  "rows"_a = rows_to_python(a.rows), "summary"_a = a.summary, "interpretation"_a = a.interpretation,
                  "context"_a = py::dict("questions"_a = a.context.questions),
                  "execution_time_ms"_a = a.execution_time_ms, "cached"_a = a.cached);
}

py::dict report_to_python(const rt::ingest::ImportReport& r) {
  py::list errors;
  for (const auto& e : r.errors) errors.append(py::dict("line"_a = e.line, "column"_a = e.column, "message"_a = e.message));
  return py::dict("sync_run_id"_a = r.sync_run_id, "rows_read"_a = r.rows_read, "created"_a = r.created,
                  "updated"_a = r.updated, "unchanged"_a = r.unchanged, "removed"_a = r.removed, "skipped"_a = r.skipped,
                  "events"_a = r.events,
                  "races"_a = r.races, "errors"_a = errors);
}

py::dict run_to_python(const rt::ingest::SyncRun& r) {
  return py::dict("sync_run_id"_a = r.sync_run_id, "provider"_a = r.provider, "source"_a = r.source, "mode"_a = r.mode,
                  "status"_a = r.status, "started_at"_a = r.started_at,
                  "finished_at"_a = r.finished_at.empty() ? py::object(py::none()) : py::str(r.finished_at),
                  "races_total"_a = r.races_total, "races_done"_a = r.races_done, "read"_a = r.read, "created"_a = r.created,
                  "updated"_a = r.updated, "removed"_a = r.removed, "skipped"_a = r.skipped, "failed"_a = r.failed,
                  "error"_a = r.error.empty() ? py::object(py::none()) : py::str(r.error));
}

py::dict integration_to_python(const rt::integrations::Integration& i) {
  return py::dict("provider"_a = std::string(rt::integrations::to_string(i.provider)), "base_url"_a = i.base_url,
                  "credential_fields"_a = i.credential_fields, "event_ids"_a = i.event_ids, "enabled"_a = i.enabled,
                  "watermark"_a = i.watermark, "created_at"_a = i.created_at, "updated_at"_a = i.updated_at);
}

// --- library values from Python's ---------------------------------------------------------------------

rt::service::Resource resource_of(const std::string& name) {
  for (auto r : {rt::service::Resource::event, rt::service::Resource::race, rt::service::Resource::participant,
                 rt::service::Resource::result})
    if (name == rt::service::to_string(r) || name == std::string(rt::service::to_string(r)) + "s") return r;
  throw rt::Error(rt::ErrorCode::invalid_parameter, "resource must be event, race, participant or result", "resource");
}

rt::Value value_of(const py::handle& v, const std::string& field) {
  if (v.is_none()) return {};
  if (py::isinstance<py::bool_>(v)) return std::int64_t{v.cast<bool>() ? 1 : 0};
  if (py::isinstance<py::int_>(v)) return v.cast<std::int64_t>();
  if (py::isinstance<py::float_>(v)) return v.cast<double>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  throw rt::Error(rt::ErrorCode::invalid_parameter, "field " + field + " must be a str, int, float, bool or None", field);
}

rt::service::FieldValues fields_of(const py::dict& fields) {
  rt::service::FieldValues out;
  for (const auto& [k, v] : fields) {
    if (!py::isinstance<py::str>(k)) throw rt::Error(rt::ErrorCode::invalid_parameter, "field names must be strings", "fields");
    const auto name = k.cast<std::string>();
    out.emplace_back(name, value_of(v, name));
  }
  return out;
}

// A time bound: milliseconds, or "H:MM:SS" as the REST API takes it.
std::optional<std::int64_t> time_of(const py::object& v, const char* name) {
  if (v.is_none()) return std::nullopt;
  if (py::isinstance<py::int_>(v)) return v.cast<std::int64_t>();
  if (py::isinstance<py::str>(v))
    if (auto ms = rt::sport::parse_duration_ms(v.cast<std::string>())) return ms;
  throw rt::Error(rt::ErrorCode::invalid_parameter, std::string(name) + " must be milliseconds or H:MM:SS", name);
}

rt::ingest::ImportOptions import_options(const std::string& on_error, bool ignore_unknown_columns) {
  if (on_error != "abort" && on_error != "skip")
    throw rt::Error(rt::ErrorCode::invalid_parameter, "on_error must be abort or skip", "on_error");
  rt::ingest::ImportOptions o;
  o.on_error = on_error == "skip" ? rt::ingest::OnError::skip : rt::ingest::OnError::abort;
  o.ignore_unknown_columns = ignore_unknown_columns;
  return o;
}

rt::PageRequest page_of(std::size_t limit, const std::optional<std::string>& cursor, const std::optional<std::string>& sort) {
  return {limit, cursor.value_or(""), sort.value_or("")};
}

rt::nl::AskContext ask_context_of(const py::object& context, const std::optional<std::string>& today) {
  rt::nl::AskContext c;
  if (today) c.today = *today;
  if (context.is_none()) return c;
  if (!py::isinstance<py::dict>(context))
    throw rt::Error(rt::ErrorCode::invalid_parameter, "context must be the dict an answer returned", "context");
  auto d = context.cast<py::dict>();
  if (d.contains("previous") && !d["previous"].is_none()) d = d["previous"].cast<py::dict>();
  if (d.contains("questions")) {
    try {
      c.previous = rt::nl::FollowUp{d["questions"].cast<std::vector<std::string>>()};
    } catch (const py::cast_error&) {
      throw rt::Error(rt::ErrorCode::invalid_parameter, "context['questions'] must be a list of str", "context");
    }
  }
  if (d.contains("today") && !d["today"].is_none() && !today) c.today = d["today"].cast<std::string>();
  return c;
}

// --- the module's Engine --------------------------------------------------------------------------------

// Holds the library's Engine and the Tenants made for partner ids (a partner is looked up once).
class PyEngine {
 public:
  PyEngine(const std::string& url, std::size_t pool_size, bool migrate, std::size_t answer_cache, const std::string& data_dir,
           std::size_t report_cache, const std::string& credentials_key, const std::string& read_url)
      : engine_(open(url, pool_size, migrate, answer_cache, data_dir, report_cache, credentials_key, read_url)) {}

  rt::Engine& engine() { return engine_; }

  // The keys of a record type's dicts (made with the GIL held, at construction).
  template <class Record>
  const std::vector<py::str>& keys() const {
    if constexpr (std::is_same_v<Record, rt::Event>) return event_keys_;
    else if constexpr (std::is_same_v<Record, rt::Race>) return race_keys_;
    else if constexpr (std::is_same_v<Record, rt::Participant>) return participant_keys_;
    else return result_keys_;
  }

  rt::Tenant tenant(std::int64_t partner) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = tenants_.find(partner); it != tenants_.end()) return it->second;
    }
    auto t = engine_.tenant(partner);  // not_found for an unknown partner
    std::lock_guard lock(mutex_);
    return tenants_.emplace(partner, t).first->second;
  }

 private:
  static rt::Engine open(const std::string& url, std::size_t pool_size, bool migrate, std::size_t answer_cache,
                         const std::string& data_dir, std::size_t report_cache, const std::string& credentials_key,
                         const std::string& read_url) {
    rt::EngineOptions o{.pool_size = pool_size, .migrate = migrate};
    o.credentials_key = credentials_key;
    o.read_url = read_url;
    o.nl.cache_entries = answer_cache;
    o.reference_dir = data_dir;
    o.report_cache_entries = report_cache;
    py::gil_scoped_release released;
    return rt::Engine(url, o);
  }

  rt::Engine engine_;
  std::vector<py::str> event_keys_ = record_keys<rt::Event>(), race_keys_ = record_keys<rt::Race>(),
                       participant_keys_ = record_keys<rt::Participant>(), result_keys_ = record_keys<rt::Result>();
  std::mutex mutex_;
  std::map<std::int64_t, rt::Tenant> tenants_;
};

// Runs f without the GIL: the library's work never touches Python objects.
template <class F>
auto released(F&& f) {
  py::gil_scoped_release r;
  return f();
}

py::object raise_refusal(const rt::nl::Refusal& refusal) {
  auto module = py::module_::import("racetiming");
  py::object error = module.attr("Refused")(refusal.reason, refusal.suggestions, refusal.unknown_words);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
  throw py::error_already_set();
}

}  // namespace

PYBIND11_MODULE(_racetiming, m) {
  m.doc() = "The compiled core of the racetiming package: use racetiming.Engine.";

  // racetiming.Error and its subclasses are defined in racetiming/__init__.py; errors of the library
  // become them here, with the stable code, the message and the parameter it names.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rt::Error& e) {
      py::object error = py::module_::import("racetiming").attr("_error")(std::string(rt::to_string(e.code())), e.what(),
                                                                           e.parameter());
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
    }
  });

  m.def("permissions", [] {
    std::vector<std::string> all(rt::auth::all_permissions().begin(), rt::auth::all_permissions().end());
    return all;
  });
  m.def("format_duration", &rt::sport::format_duration, "ms"_a, "Milliseconds as H:MM:SS (fractions kept).");

  py::class_<PyEngine>(m, "Engine",
                       "One database (sqlite:PATH or postgresql://...) and everything done to it. Safe to share "
                       "between threads: calls release the GIL while the database works.")
      .def(py::init<const std::string&, std::size_t, bool, std::size_t, const std::string&, std::size_t, const std::string&,
                    const std::string&>(),
           "url"_a, "pool_size"_a = 4, "migrate"_a = true, "answer_cache"_a = 4096, "data_dir"_a = "", "report_cache"_a = 256,
           "credentials_key"_a = "", "read_url"_a = "")
      .def_property_readonly("dialect",
                             [](PyEngine& e) { return e.engine().dialect() == rt::Dialect::sqlite ? "sqlite" : "postgresql"; })
      .def("migrate", [](PyEngine& e) { return released([&] { return e.engine().migrate(); }); },
           "Creates or upgrades the schema; returns the number of migrations applied.")
      .def("schema_version", [](PyEngine& e) { return released([&] { return e.engine().schema_version(); }); },
           "The highest migration applied (0: no schema).")
      .def("ping", [](PyEngine& e) { return released([&] { return e.engine().ping(); }); },
           "True when the database answers.")
      // administration
      .def("add_partner",
           [](PyEngine& e, const std::string& name, const std::string& slug, const std::string& domain) {
             return released([&] { return e.engine().add_partner(name, slug, domain); });
           },
           "name"_a, "slug"_a, "domain"_a = "",
           "Adds a timing partner (a tenant); returns its id. Raises Conflict for a taken name or slug.")
      .def("partners",
           [](PyEngine& e) {
             auto [partners, counts] = released([&] { return std::pair(e.engine().partners(), e.engine().partner_counts()); });
             py::list out;
             for (std::size_t i = 0; i < partners.size(); ++i)
               out.append(py::dict("timing_partner_id"_a = partners[i].timing_partner_id, "name"_a = partners[i].name,
                                   "slug"_a = partners[i].slug, "events"_a = counts.at(i).events, "races"_a = counts.at(i).races,
                                   "participants"_a = counts.at(i).participants, "results"_a = counts.at(i).results));
             return out;
           },
           "Every partner, with how many events, races, participants and results it holds.")
      .def("add_user",
           [](PyEngine& e, std::int64_t partner, const std::string& name, const std::string& email,
              std::vector<std::string> permissions) {
             return released([&] { return e.engine().add_user(partner, name, email, std::move(permissions)); });
           },
           "partner"_a, "name"_a, "email"_a = "", "permissions"_a = std::vector<std::string>{},
           "Adds a person at a partner; permissions default to reading everything and asking questions.")
      .def("create_key",
           [](PyEngine& e, std::int64_t partner, std::optional<std::int64_t> user, std::vector<std::string> scopes) {
             auto key = released([&] { return e.engine().create_key(partner, user, std::move(scopes)); });
             return py::dict("key_id"_a = key.key_id, "api_key"_a = key.api_key);
           },
           "partner"_a, "user"_a = py::none(), "scopes"_a = std::vector<std::string>{},
           "Creates an API key: {'key_id', 'api_key'}; the secret is shown this once.")
      .def("revoke_key", [](PyEngine& e, std::int64_t key_id) { released([&] { e.engine().revoke_key(key_id); }); }, "key_id"_a,
           "Revokes an API key.")
      .def("authenticate",
           [](PyEngine& e, const std::string& api_key) {
             auto t = released([&] { return e.engine().authenticate_key(api_key); });
             const auto& c = t.context();
             return py::dict("partner_id"_a = c.partner_id, "user_id"_a = c.user_id, "key_id"_a = c.key_id,
                             "permissions"_a = c.permissions);
           },
           "api_key"_a,
           "The identity an API key proves: {'partner_id', 'user_id', 'key_id', 'permissions'}. Raises Unauthenticated.")
      .def("seed",
           [](PyEngine& e, const std::string& scale, std::uint64_t seed) {
             if (scale != "demo" && scale != "prod")
               throw rt::Error(rt::ErrorCode::invalid_parameter, "scale must be demo or prod", "scale");
             auto r = released([&] {
               return e.engine().seed({scale == "prod" ? rt::seed::Scale::prod : rt::seed::Scale::demo, seed, {}});
             });
             return py::dict("partners"_a = r.partners, "events"_a = r.events, "races"_a = r.races, "entries"_a = r.entries,
                             "results"_a = r.results);
           },
           "scale"_a = "demo", "seed"_a = 42,
           "Loads the deterministic demo data (13 partners; scale 'demo' or 'prod').")
      // imports
      .def("import_csv",
           [](PyEngine& e, std::int64_t partner, const std::string& path, const std::string& on_error,
              bool ignore_unknown_columns) {
             const auto o = import_options(on_error, ignore_unknown_columns);
             return report_to_python(released([&] { return e.tenant(partner).import_file(path, o); }));
           },
           "partner"_a, "path"_a, "on_error"_a = "abort", "ignore_unknown_columns"_a = false,
           "Imports an interchange CSV file for a partner. on_error='abort' imports nothing when a row is bad (InvalidInput); 'skip' leaves bad rows out and lists them in the report.")
      .def("import_text",
           [](PyEngine& e, std::int64_t partner, const std::string& csv, const std::string& on_error,
              bool ignore_unknown_columns, const std::string& source) {
             auto o = import_options(on_error, ignore_unknown_columns);
             o.source = source;
             return report_to_python(released([&] { return e.tenant(partner).import_csv(csv, o); }));
           },
           "partner"_a, "csv"_a, "on_error"_a = "abort", "ignore_unknown_columns"_a = false, "source"_a = "python",
           "Imports interchange CSV text for a partner (as import_csv).")
      .def("import_results",
           [](PyEngine& e, std::int64_t partner, const std::string& provider, const std::string& document,
              const std::string& event_name, const std::string& event_date, const std::string& race_name,
              std::optional<std::int32_t> distance_m, const std::string& event_city, const std::string& event_state,
              const std::string& event_country, const std::string& event_external_id, const std::string& race_external_id,
              const std::string& on_error, const std::string& source) {
             const auto p = rt::integrations::parse_provider(provider);
             auto o = import_options(on_error, false);
             o.source = source;
             rt::integrations::RaceContext race{event_name, event_date, event_city, event_state, event_country,
                                                event_external_id, race_name,
                                                distance_m.value_or(0),
                                                race_external_id};
             return report_to_python(released([&] { return e.tenant(partner).import_results(p, document, race, o); }));
           },
           "partner"_a, "provider"_a, "document"_a, py::kw_only(), "event_name"_a, "event_date"_a, "race_name"_a,
           "distance_m"_a = py::none(), "event_city"_a = "", "event_state"_a = "", "event_country"_a = "",
           "event_external_id"_a = "", "race_external_id"_a = "", "on_error"_a = "abort", "source"_a = "python",
           "Imports a provider's results document (runsignup, chronotrack or raceroster JSON, as its API returns it) as the entries of one race. distance_m defaults to the distance the race name says ('5K', 'Half Marathon').")
      // integrations
      .def("integrations",
           [](PyEngine& e, std::int64_t partner) {
             py::list out;
             for (const auto& i : released([&] { return e.tenant(partner).integrations(); })) out.append(integration_to_python(i));
             return out;
           },
           "partner"_a, "The partner's links to providers (credentials are never returned: only their field names).")
      .def("integration",
           [](PyEngine& e, std::int64_t partner, const std::string& provider) {
             const auto p = rt::integrations::parse_provider(provider);
             return integration_to_python(released([&] { return e.tenant(partner).integration(p); }));
           },
           "partner"_a, "provider"_a, "One link to a provider; raises NotFound when there is none.")
      .def("put_integration",
           [](PyEngine& e, std::int64_t partner, const std::string& provider, const std::string& base_url,
              std::map<std::string, std::string> credentials, std::vector<std::string> event_ids, bool enabled) {
             const auto p = rt::integrations::parse_provider(provider);
             const rt::integrations::IntegrationInput input{base_url, std::move(credentials), std::move(event_ids), enabled};
             return integration_to_python(released([&] { return e.tenant(partner).put_integration(p, input); }));
           },
           "partner"_a, "provider"_a, "base_url"_a, "credentials"_a = std::map<std::string, std::string>{},
           "event_ids"_a = std::vector<std::string>{}, "enabled"_a = true,
           "Creates or replaces the link to a provider. credentials (sealed at rest; an empty dict keeps those stored): runsignup api_key + api_secret or access_token; chronotrack client_id + user_id + password (only its SHA-1 is kept) or access_token; raceroster access_token or none.")
      .def("remove_integration",
           [](PyEngine& e, std::int64_t partner, const std::string& provider) {
             const auto p = rt::integrations::parse_provider(provider);
             released([&] { e.tenant(partner).remove_integration(p); });
           },
           "partner"_a, "provider"_a, "Removes the link to a provider (its data stays).")
      .def("sync",
           [](PyEngine& e, std::int64_t partner, const std::string& provider, bool full, std::size_t request_budget,
              int max_attempts, std::int64_t initial_backoff_ms, std::int64_t max_backoff_ms, std::int64_t connect_timeout_ms,
              std::int64_t read_timeout_ms, std::size_t page_size, const std::string& ca_file, const py::object& progress) {
             const auto p = rt::integrations::parse_provider(provider);
             rt::integrations::SyncOptions o;
             o.full = full;
             o.request_budget = request_budget;
             o.max_attempts = max_attempts;
             o.initial_backoff = std::chrono::milliseconds(initial_backoff_ms);
             o.max_backoff = std::chrono::milliseconds(max_backoff_ms);
             o.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
             o.read_timeout = std::chrono::milliseconds(read_timeout_ms);
             o.page_size = page_size;
             o.ca_file = ca_file;
             rt::integrations::SyncProgress on_progress;
             if (!progress.is_none())
               on_progress = [&progress](const rt::ingest::SyncRun& run) {
                 py::gil_scoped_acquire held;
                 progress(run_to_python(run));
               };
             return run_to_python(released([&] { return e.tenant(partner).sync(p, o, on_progress); }));
           },
           "partner"_a, "provider"_a, py::kw_only(), "full"_a = false, "request_budget"_a = 10000, "max_attempts"_a = 5,
           "initial_backoff_ms"_a = 250, "max_backoff_ms"_a = 30000, "connect_timeout_ms"_a = 5000,
           "read_timeout_ms"_a = 30000, "page_size"_a = 1000, "ca_file"_a = "", "progress"_a = py::none(),
           "Syncs the partner's data from a provider and returns the run (a dict as sync_run gives). Incremental from the last good run unless full=True; progress(run) is called after each race. A provider failure does not raise: the run's status is 'failed' and its error says why.")
      .def("sync_runs",
           [](PyEngine& e, std::int64_t partner, std::size_t limit, const std::string& provider) {
             py::list out;
             for (const auto& r : released([&] { return e.tenant(partner).sync_runs(limit, provider); })) out.append(run_to_python(r));
             return out;
           },
           "partner"_a, "limit"_a = 50, "provider"_a = "", "The latest syncs and imports first.")
      .def("sync_run",
           [](PyEngine& e, std::int64_t partner, std::int64_t sync_run_id) {
             return run_to_python(released([&] { return e.tenant(partner).sync_run(sync_run_id); }));
           },
           "partner"_a, "sync_run_id"_a, "One sync or import: status, counts, progress and error.")
      // the audit trail the daemon writes
      .def("audit_entries",
           [](PyEngine& e, std::int64_t partner, std::size_t limit, std::optional<std::int64_t> before_id) {
             py::list out;
             const auto optional = [](const std::optional<std::int64_t>& v) { return v ? py::object(py::int_(*v)) : py::object(py::none()); };
             for (const auto& r : released([&] { return e.tenant(partner).audit_entries({.limit = limit, .before_id = before_id}); }))
               out.append(py::dict("audit_id"_a = r.audit_id, "occurred_at"_a = r.occurred_at, "user_id"_a = optional(r.user_id),
                                   "key_id"_a = optional(r.key_id), "method"_a = r.method, "route"_a = r.route,
                                   "status"_a = r.status, "request_id"_a = r.request_id, "duration_ms"_a = r.duration_ms,
                                   "client_address"_a = r.client_address, "hash"_a = r.hash));
             return out;
           },
           "partner"_a, "limit"_a = 100, "before_id"_a = py::none(),
           "The partner's audit rows, newest first; before_id pages back.")
      .def("verify_audit",
           [](PyEngine& e, std::optional<std::int64_t> partner) {
             const auto report = released([&] { return e.engine().verify_audit(partner); });
             py::list findings;
             for (const auto& f : report.findings)
               findings.append(py::dict("partner_id"_a = f.partner_id ? py::object(py::int_(*f.partner_id)) : py::object(py::none()),
                                        "audit_id"_a = f.audit_id, "problem"_a = f.problem, "detail"_a = f.detail));
             return py::dict("rows"_a = report.rows, "intact"_a = report.intact(), "findings"_a = findings);
           },
           "partner"_a = py::none(),
           "Walks each partner's audit chain (or one's): {'rows', 'intact', 'findings': [{'partner_id', 'audit_id', 'problem', 'detail'}]}.")
      // questions
      .def("ask",
           [](PyEngine& e, std::int64_t partner, const std::string& question, const std::string& format,
              const py::object& context, std::optional<std::string> today) -> py::object {
             if (format != "json" && format != "csv" && format != "summary")
               throw rt::Error(rt::ErrorCode::invalid_parameter, "format must be json, csv or summary", "format");
             const auto ctx = ask_context_of(context, today);
             auto asked = released([&] { return e.tenant(partner).ask(question, ctx); });
             if (!asked) return raise_refusal(asked.error());
             if (format == "csv") return py::str(rt::format::rows_csv(asked->rows));
             if (format == "summary") return py::str(asked->summary);
             return answer_to_python(*asked);
           },
           "partner"_a, "question"_a, "format"_a = "json", "context"_a = py::none(), "today"_a = py::none(),
           "Answers a question in plain English about the partner's data. format='json' returns a dict (rows, sql, params, summary, interpretation, context); 'csv' and 'summary' return text. Pass an answer's context back to ask a follow-up. Raises Refused (with suggestions) when the question is not fully understood.")
      // reads
      .def("events",
           [](PyEngine& e, std::int64_t partner, std::optional<std::string> status, std::optional<int> year,
              std::optional<std::string> name, std::size_t limit, std::optional<std::string> cursor,
              std::optional<std::string> sort) {
             rt::EventsQuery::Filter f{status, year, name};
             return page_to_python(released([&] { return e.tenant(partner).events(f, page_of(limit, cursor, sort)); }),
                                   e.keys<rt::Event>());
           },
           "partner"_a, py::kw_only(), "status"_a = py::none(), "year"_a = py::none(), "name"_a = py::none(),
           "limit"_a = 50, "cursor"_a = py::none(), "sort"_a = py::none(),
           "A page of the partner's events: {'data': [dict, ...], 'next_cursor': str or None}.")
      .def("races",
           [](PyEngine& e, std::int64_t partner, std::optional<std::int64_t> event_id, std::size_t limit,
              std::optional<std::string> cursor, std::optional<std::string> sort) {
             return page_to_python(released([&] { return e.tenant(partner).races({event_id}, page_of(limit, cursor, sort)); }),
                                   e.keys<rt::Race>());
           },
           "partner"_a, py::kw_only(), "event_id"_a = py::none(), "limit"_a = 50, "cursor"_a = py::none(),
           "sort"_a = py::none(),
           "A page of the partner's races.")
      .def("participants",
           [](PyEngine& e, std::int64_t partner, std::optional<std::int64_t> event_id, std::optional<std::int64_t> race_id,
              std::optional<std::string> bib, std::optional<std::string> name, std::optional<std::string> gender,
              std::optional<std::string> division, std::optional<std::string> status, std::size_t limit,
              std::optional<std::string> cursor, std::optional<std::string> sort) {
             rt::ParticipantsQuery::Filter f{event_id, race_id, bib, name, gender, division, status};
             return page_to_python(released([&] { return e.tenant(partner).participants(f, page_of(limit, cursor, sort)); }),
                                   e.keys<rt::Participant>());
           },
           "partner"_a, py::kw_only(), "event_id"_a = py::none(), "race_id"_a = py::none(), "bib"_a = py::none(),
           "name"_a = py::none(), "gender"_a = py::none(), "division"_a = py::none(), "status"_a = py::none(),
           "limit"_a = 50, "cursor"_a = py::none(), "sort"_a = py::none(),
           "A page of the partner's entries (participants).")
      .def("results",
           [](PyEngine& e, std::int64_t partner, std::optional<std::int64_t> event_id, std::optional<std::int64_t> race_id,
              std::optional<std::string> gender, std::optional<std::string> division, std::optional<std::string> status,
              const py::object& min_time, const py::object& max_time, std::size_t limit, std::optional<std::string> cursor,
              std::optional<std::string> sort) {
             rt::ResultsQuery::Filter f{event_id, race_id, gender, division, status, time_of(min_time, "min_time"),
                                        time_of(max_time, "max_time")};
             return page_to_python(released([&] { return e.tenant(partner).results(f, page_of(limit, cursor, sort)); }),
                                   e.keys<rt::Result>());
           },
           "partner"_a, py::kw_only(), "event_id"_a = py::none(), "race_id"_a = py::none(), "gender"_a = py::none(),
           "division"_a = py::none(), "status"_a = py::none(), "min_time"_a = py::none(), "max_time"_a = py::none(),
           "limit"_a = 50, "cursor"_a = py::none(), "sort"_a = py::none(),
           "A page of final results; min_time and max_time take milliseconds or 'H:MM:SS'.")
      .def("get",
           [](PyEngine& e, std::int64_t partner, const std::string& resource, std::int64_t id) {
             const auto r = resource_of(resource);
             return row_to_python(released([&] { return e.tenant(partner).record(r, id); }));
           },
           "partner"_a, "resource"_a, "id"_a,
           "One event, race, participant or result as a dict; raises NotFound when it is not the partner's.")
      // writes
      .def("create",
           [](PyEngine& e, std::int64_t partner, const std::string& resource, const py::dict& fields,
              std::optional<std::string> idempotency_key) {
             const auto r = resource_of(resource);
             const auto values = fields_of(fields);
             auto created = released([&] { return e.tenant(partner).create(r, values, idempotency_key); });
             return row_to_python(created.row);
           },
           "partner"_a, "resource"_a, "fields"_a, "idempotency_key"_a = py::none(),
           "Creates an event, race, participant or result from a dict of fields; returns the stored row.")
      .def("update",
           [](PyEngine& e, std::int64_t partner, const std::string& resource, std::int64_t id, const py::dict& fields,
              bool replace) {
             const auto r = resource_of(resource);
             const auto values = fields_of(fields);
             return row_to_python(released([&] { return e.tenant(partner).update(r, id, values, replace); }));
           },
           "partner"_a, "resource"_a, "id"_a, "fields"_a, "replace"_a = false,
           "Updates some fields of a record (replace=True: all of them); returns the stored row.")
      .def("delete",
           [](PyEngine& e, std::int64_t partner, const std::string& resource, std::int64_t id, bool cascade) {
             const auto r = resource_of(resource);
             released([&] { e.tenant(partner).remove(r, id, cascade); });
           },
           "partner"_a, "resource"_a, "id"_a, "cascade"_a = false,
           "Deletes a record (cascade=True: with what it holds).")
      // event aliases
      .def("event_aliases",
           [](PyEngine& e, std::int64_t partner) {
             py::list out;
             for (const auto& a : released([&] { return e.tenant(partner).event_aliases(); }))
               out.append(py::dict("event_alias_id"_a = a.event_alias_id, "alias"_a = a.alias, "event_name"_a = a.event_name));
             return out;
           },
           "partner"_a,
           "The partner's own names for its events, read by ask().")
      .def("add_event_alias",
           [](PyEngine& e, std::int64_t partner, const std::string& alias, const std::string& event_name) {
             auto a = released([&] { return e.tenant(partner).add_event_alias(alias, event_name); });
             return py::dict("event_alias_id"_a = a.event_alias_id, "alias"_a = a.alias, "event_name"_a = a.event_name);
           },
           "partner"_a, "alias"_a, "event_name"_a,
           "Registers a name for an event (every edition of its name), read by ask().")
      .def("remove_event_alias",
           [](PyEngine& e, std::int64_t partner, std::int64_t event_alias_id) {
             released([&] { e.tenant(partner).remove_event_alias(event_alias_id); });
           },
           "partner"_a, "event_alias_id"_a,
           "Removes an event alias.")
      // analytics and reports: dicts of tables (lists of row dicts), as the REST API answers them
      .def("performance",
           [](PyEngine& e, std::int64_t partner, std::optional<std::int64_t> race_id, std::optional<std::int64_t> event_id) {
             return report_to_python(released([&] { return e.tenant(partner).performance({race_id, event_id}); }));
           },
           "partner"_a, "race_id"_a = py::none(), "event_id"_a = py::none(),
           "Finish-time statistics (min, mean, p10-p90, max; pace; mean and best age grade) overall, by gender and by division, and a histogram, for a race or each race of an event.")
      .def("demographics",
           [](PyEngine& e, std::int64_t partner, std::optional<std::int64_t> race_id, std::optional<std::int64_t> event_id,
              std::optional<int> year) {
             return report_to_python(released([&] { return e.tenant(partner).demographics({race_id, event_id, year}); }));
           },
           "partner"_a, "race_id"_a = py::none(), "event_id"_a = py::none(), "year"_a = py::none(),
           "Entries, starters, finishers and finish rate in all and by gender, division, age band, state, country and team.")
      .def("trends",
           [](PyEngine& e, std::int64_t partner, const std::string& event_name, std::optional<int> year_from,
              std::optional<int> year_to, std::optional<std::int64_t> distance_m) {
             return report_to_python(released([&] { return e.tenant(partner).trends({event_name, year_from, year_to, distance_m}); }));
           },
           "partner"_a, "event_name"_a = "", "year_from"_a = py::none(), "year_to"_a = py::none(), "distance_m"_a = py::none(),
           "Per edition of an event (event_name) or per year: entries, finishers, finish rate, median time, women and masters shares.")
      .def("finishers",
           [](PyEngine& e, std::int64_t partner, std::int64_t race_id) {
             return report_to_python(released([&] { return e.tenant(partner).finishers(race_id); }));
           },
           "partner"_a, "race_id"_a, "A race's official results list, with age grades.")
      .def("awards",
           [](PyEngine& e, std::int64_t partner, std::int64_t race_id, int overall, int masters, int division, bool double_awards,
              const std::string& division_bands) {
             const rt::reports::AwardsRequest q{race_id, overall, masters, division, double_awards, division_bands};
             return report_to_python(released([&] { return e.tenant(partner).awards(q); }));
           },
           "partner"_a, "race_id"_a, "overall"_a = 3, "masters"_a = 0, "division"_a = 3, "double_awards"_a = false,
           "division_bands"_a = "",
           "A race's awards: top overall per gender, masters (40+) per gender, top per division (the entries' divisions, or division_bands such as '1-19,20-29,30-39,40-49,50-59,60+'); one award each unless double_awards.")
      .def("boston_qualifiers",
           [](PyEngine& e, std::int64_t partner, std::int64_t race_id) {
             return report_to_python(released([&] { return e.tenant(partner).boston_qualifiers(race_id); }));
           },
           "partner"_a, "race_id"_a, "A marathon's finishers at or under their Boston standard, with the margin.");
}
