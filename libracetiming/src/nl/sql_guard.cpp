#include "nl/sql_guard.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pg_query.h>
#include <rapidjson/document.h>

#include "racetiming/error.hpp"

// The parse tree is libpg_query's JSON: every node is an object with one member, its type
// ({"ColumnRef": {"fields": [...]}}); fields typed as a particular struct (TypeName, Alias, WindowDef)
// hold that struct's body without the wrapper. Empty lists, false, zero and empty strings are left out.
namespace racetiming::nl {
namespace {

using Json = rapidjson::Value;
using Names = std::set<std::string, std::less<>>;

constexpr std::size_t kMaxSqlBytes = 64 * 1024;
// Deeper trees are refused before the walk below could run out of stack.
constexpr int kMaxDepth = 200;

[[noreturn]] void refuse(std::string reason) { throw Error(ErrorCode::forbidden, std::move(reason)); }

// A libpg_query result, freed with its own function.
template <class Result, void (*free_result)(Result)>
class Owned {
 public:
  explicit Owned(Result r) : result_(r) {}
  ~Owned() { free_result(result_); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;

  const Result* operator->() const noexcept { return &result_; }

 private:
  Result result_;
};
using ParseResult = Owned<PgQueryParseResult, pg_query_free_parse_result>;
using ScanResult = Owned<PgQueryScanResult, pg_query_free_scan_result>;

// ---- lexing that SQLite would read the same way

// The tokens of pg_query_scan that matter here (values of the Token enum of pg_query.proto).
constexpr std::uint64_t kUnicodeIdent = 259, kString = 261, kUnicodeString = 262, kLineComment = 275,
                        kBlockComment = 276;

struct Token {
  std::uint64_t start = 0, end = 0, kind = 0;
};

// Reads the protobuf of pg_query_scan: ScanResult { repeated ScanToken tokens = 2; } and
// ScanToken { int32 start = 1; int32 end = 2; Token token = 4; ... }. Only varint and length-delimited
// fields occur, which is all this reads; protobuf-c itself is not worth a dependency for it.
class ProtoReader {
 public:
  explicit ProtoReader(std::string_view bytes) : rest_(bytes) {}
  bool done() const noexcept { return rest_.empty(); }

  struct Field {
    std::uint64_t number = 0, value = 0;  // value: a varint's
    std::string_view bytes;               // a length-delimited field's
  };

  Field next() {
    Field f;
    const auto tag = varint();
    f.number = tag >> 3;
    if ((tag & 7) == 0) {
      f.value = varint();
    } else if ((tag & 7) == 2) {
      const auto size = varint();
      if (size > rest_.size()) bad();
      f.bytes = rest_.substr(0, size);
      rest_.remove_prefix(size);
    } else {
      bad();
    }
    return f;
  }

 private:
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) bad();
      const auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    bad();
  }
  [[noreturn]] static void bad() { throw Error(ErrorCode::internal, "unreadable scan of the SQL"); }

  std::string_view rest_;
};

std::vector<Token> scan(const std::string& sql) {
  const ScanResult scanned(pg_query_scan(sql.c_str()));
  if (scanned->error) refuse(fmt::format("{} (at character {})", scanned->error->message, scanned->error->cursorpos));
  std::vector<Token> tokens;
  ProtoReader result({scanned->pbuf.data, scanned->pbuf.len});
  while (!result.done()) {
    const auto field = result.next();
    if (field.number != 2) continue;
    Token t;
    ProtoReader token(field.bytes);
    while (!token.done()) {
      const auto f = token.next();
      if (f.number == 1) t.start = f.value;
      if (f.number == 2) t.end = f.value;
      if (f.number == 4) t.kind = f.value;
    }
    if (t.start > t.end || t.end > sql.size()) throw Error(ErrorCode::internal, "unreadable scan of the SQL");
    tokens.push_back(t);
  }
  return tokens;
}

// The verdict also stands for SQLite, whose lexer ends some comments and strings elsewhere than
// PostgreSQL's: text one of them reads as a comment or string, the other could run as SQL.
void check_lexing(const std::string& sql) {
  for (const auto& t : scan(sql)) {
    const std::string_view token = std::string_view(sql).substr(t.start, t.end - t.start);
    if (t.kind == kBlockComment && token.find("/*", 2) != std::string_view::npos)
      refuse("nested /* comments */ are not allowed");  // PostgreSQL nests them, SQLite ends at the first */
    if (t.kind == kLineComment && t.end < sql.size() && sql[t.end] == '\r' &&
        (t.end + 1 == sql.size() || sql[t.end + 1] != '\n'))
      refuse("a -- comment must end with a newline");  // PostgreSQL ends it at a carriage return too
    if ((t.kind == kString || t.kind == kUnicodeString) && !token.starts_with('\''))
      refuse("only plain '...' string literals are allowed (no E'', $$ or U& strings)");
    if (t.kind == kUnicodeIdent) refuse("U& identifiers are not allowed");
  }
}

// ---- reading the tree

std::string_view text(const Json& v) { return {v.GetString(), v.GetStringLength()}; }

const Json* member(const Json& body, std::string_view name) {
  const auto it = body.FindMember(Json(rapidjson::StringRef(name.data(), name.size())));
  return it == body.MemberEnd() ? nullptr : &it->value;
}

std::string_view string_member(const Json& body, std::string_view name) {
  const Json* v = member(body, name);
  return v && v->IsString() ? text(*v) : std::string_view{};
}

bool bool_member(const Json& body, std::string_view name) {
  const Json* v = member(body, name);
  return v && v->IsBool() && v->GetBool();
}

// A wrapped node: one member named after its type (which starts with a capital), holding an object.
bool is_node(const Json& v) {
  if (!v.IsObject() || v.MemberCount() != 1) return false;
  const auto& m = *v.MemberBegin();
  const auto type = text(m.name);
  return !type.empty() && type[0] >= 'A' && type[0] <= 'Z' && m.value.IsObject();
}

struct Node {
  std::string_view type;
  const Json& body;
};

Node unwrap(const Json& v) {
  if (!is_node(v)) refuse("the parse tree has an unexpected shape");
  return {text(v.MemberBegin()->name), v.MemberBegin()->value};
}

// The items of a list member; an absent list is empty.
std::span<const Json> items(const Json& body, std::string_view name) {
  const Json* v = member(body, name);
  if (!v || !v->IsArray()) return {};
  return {v->Begin(), v->Size()};
}

// {"String": {"sval": "x"}} -> x; an empty optional for anything else (A_Star).
std::optional<std::string_view> string_node(const Json& v) {
  if (!is_node(v)) return std::nullopt;
  const auto n = unwrap(v);
  if (n.type != "String") return std::nullopt;
  return string_member(n.body, "sval");
}

// The dotted names of a list of String nodes (function, operator and type names).
std::vector<std::string_view> names_of(const Json& body, std::string_view list) {
  std::vector<std::string_view> out;
  for (const auto& item : items(body, list)) {
    const auto s = string_node(item);
    if (!s) refuse("the parse tree has an unexpected shape");
    out.push_back(*s);
  }
  return out;
}

std::string dotted(const std::vector<std::string_view>& names) { return fmt::format("{}", fmt::join(names, ".")); }

// ---- what is allowed besides the policy

bool allowed_operator(std::string_view op) {
  static constexpr std::string_view kOperators[] = {"=", "<>", "<", ">",  "<=", ">=",  "+",   "-",
                                                    "*", "/",  "%", "||", "~~", "!~~", "~~*", "!~~*"};
  for (auto o : kOperators)
    if (o == op) return true;
  return false;
}

// Plain scalar types, as the parser spells them (integer is pg_catalog.int4). No reg* types: their
// input functions look names up in the catalog.
bool allowed_type(std::string_view type) {
  static constexpr std::string_view kTypes[] = {"int2",      "int4",        "int8",    "numeric", "float4",
                                                "float8",    "text",        "varchar", "date",    "bool",
                                                "timestamp", "timestamptz", "interval"};
  for (auto t : kTypes)
    if (t == type) return true;
  return false;
}

std::string_view locking_name(std::string_view strength) {
  if (strength == "LCS_FORNOKEYUPDATE") return "FOR NO KEY UPDATE";
  if (strength == "LCS_FORSHARE") return "FOR SHARE";
  if (strength == "LCS_FORKEYSHARE") return "FOR KEY SHARE";
  return "FOR UPDATE";
}

// The name PostgreSQL gives an unnamed output column, as its FigureColname does: with a strength of
// 2 when the expression names it, 1 for a type or CASE, 0 for none ("?column?"). It must not name a
// column that PostgreSQL would not: a name wrongly thought to be a subquery's would let a reference
// slip past it to a table further out.
struct Figured {
  std::string name;
  int strength = 0;
};

Figured figure(const Json& val);

// The output name of a subquery's first column (an EXPR sublink is named after it).
std::string first_output(const Json& select) {
  const Json* arm = &select;
  while (const Json* left = member(*arm, "larg")) arm = left;  // set operation arms are bodies, not nodes
  if (!items(*arm, "valuesLists").empty()) return "column1";
  const auto targets = items(*arm, "targetList");
  if (targets.empty()) return {};
  const auto t = unwrap(targets[0]);
  if (const auto name = string_member(t.body, "name"); !name.empty()) return std::string(name);
  const Json* val = member(t.body, "val");
  return val ? figure(*val).name : std::string();
}

Figured figure(const Json& val) {
  const auto n = unwrap(val);
  const auto& t = n.type;
  if (t == "ColumnRef") {
    std::string last;
    for (const auto& f : items(n.body, "fields"))
      if (const auto s = string_node(f)) last = *s;
    return {last, last.empty() ? 0 : 2};
  }
  if (t == "FuncCall") {
    const auto names = names_of(n.body, "funcname");
    return {names.empty() ? std::string() : std::string(names.back()), 2};
  }
  if (t == "A_Expr") return string_member(n.body, "kind") == "AEXPR_NULLIF" ? Figured{"nullif", 2} : Figured{};
  if (t == "TypeCast") {
    const Json* arg = member(n.body, "arg");
    auto inner = arg ? figure(*arg) : Figured{};
    const Json* type = member(n.body, "typeName");
    if (inner.strength <= 1 && type) {
      const auto names = names_of(*type, "names");
      return {names.empty() ? std::string() : std::string(names.back()), 1};
    }
    return inner;
  }
  if (t == "SubLink") {
    const auto type = string_member(n.body, "subLinkType");
    if (type == "EXISTS_SUBLINK") return {"exists", 2};
    if (type == "ARRAY_SUBLINK") return {"array", 2};
    const Json* query = member(n.body, "subselect");
    if (type == "EXPR_SUBLINK" && query) return {first_output(unwrap(*query).body), 2};
    return {};
  }
  if (t == "CaseExpr") return {"case", 1};
  if (t == "A_ArrayExpr") return {"array", 2};
  if (t == "RowExpr") return {"row", 2};
  if (t == "CoalesceExpr") return {"coalesce", 2};
  if (t == "MinMaxExpr") return {string_member(n.body, "op") == "IS_GREATEST" ? "greatest" : "least", 2};
  if (t == "SQLValueFunction" && string_member(n.body, "op") == "SVFOP_CURRENT_DATE") return {"current_date", 2};
  return {};
}

// Column aliases (`AS s(a, b)`, `WITH w(a, b)`) rename the first outputs by position.
Names rename(std::vector<std::string> outputs, const Json* alias_names) {
  if (alias_names && alias_names->IsArray()) {
    for (rapidjson::SizeType i = 0; i < alias_names->Size(); ++i) {
      const auto name = string_node((*alias_names)[i]);
      if (!name) refuse("the parse tree has an unexpected shape");
      if (i < outputs.size())
        outputs[i] = std::string(*name);
      else
        outputs.emplace_back(*name);
    }
  }
  Names out;
  for (auto& o : outputs)
    if (!o.empty()) out.insert(std::move(o));
  return out;
}

// ---- scopes

// One FROM item of a query level.
struct Range {
  std::string refname;             // the alias, else the table or CTE name
  std::string table;               // the policy table; empty for a CTE or subquery
  const Names* allowed = nullptr;  // the policy columns of a table
  Names columns;                   // the output columns of a CTE or subquery
  bool scoped = false;
  std::string scoped_otherwise;  // the value a partner conjunct compared with instead, for the message

  std::string describe() const { return refname == table ? table : fmt::format("{} {}", table, refname); }
};

// CTE names visible at a point, innermost first.
struct Ctes {
  std::map<std::string, Names, std::less<>> names;
  const Ctes* outer = nullptr;

  const Names* find(std::string_view name) const {
    for (const Ctes* c = this; c; c = c->outer)
      if (auto it = c->names.find(name); it != c->names.end()) return &it->second;
    return nullptr;
  }
};

// The FROM items of one SELECT, and the levels around it that a correlated subquery can see.
struct Level {
  std::vector<Range> ranges;
  const Level* outer = nullptr;
  const Ctes* ctes = nullptr;

  const Range* find(std::string_view refname) const {
    for (const Level* l = this; l; l = l->outer)
      for (const auto& r : l->ranges)
        if (r.refname == refname) return &r;
    return nullptr;
  }
};

// A partner predicate's right-hand side: the id it names, if any, and how to show it.
struct PartnerValue {
  std::optional<std::int64_t> id;
  std::string shown;
};

class Checker {
 public:
  Checker(const GuardPolicy& policy, std::int64_t partner_id, std::span<const Value> params)
      : policy_(policy), partner_id_(partner_id), params_(params) {}

  // Checks a SelectStmt body; returns its output column names (empty where unnamed).
  std::vector<std::string> select(const Json& body, const Level* outer, const Ctes* ctes);

 private:
  // Counts nesting while a node is being checked.
  class Depth {
   public:
    explicit Depth(int& depth) : depth_(depth) {
      if (++depth_ > kMaxDepth) refuse("the statement is nested too deeply");
    }
    ~Depth() { --depth_; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;

   private:
    int& depth_;
  };

  void with(const Json& body, const Level* outer, Ctes& ctes);
  void from_item(const Json& node, Level& level);
  void join(const Json& body, Level& level);
  void range_var(const Json& body, Level& level);
  void add_range(Level& level, Range range);
  void expr(const Json& node, const Level& level);
  void children(const Json& body, const Level& level, std::initializer_list<std::string_view> skip = {});
  void column(const Json& body, const Level& level);
  bool bare_column_allowed(std::string_view name, const Level& level) const;
  void function(const Json& body, const Level& level);
  void check_function_name(std::string_view name);
  void type_name(const Json& body);
  void a_expr(const Json& body, const Level& level);
  void sub_link(const Json& body, const Level& level);
  void window(const Json& body, const Level& level);
  void check_operators(const Json& body, std::string_view list);
  void param(const Json& body) const;
  // ORDER BY and DISTINCT ON items, where a bare name may be an output column.
  void sort_items(std::span<const Json> list, const Level& level, const Names& outputs);
  void group_items(std::span<const Json> list, const Level& level, const Names& outputs);

  // Marks the ranges in [begin, end) of level that a top-level conjunct of quals scopes to the partner.
  void scope(const Json& quals, Level& level, std::size_t begin, std::size_t end, bool bare_column);
  void require_scoped(const Level& level) const;
  std::optional<PartnerValue> partner_value(const Json& node) const;

  const GuardPolicy& policy_;
  std::int64_t partner_id_;
  std::span<const Value> params_;
  int depth_ = 0;
};

std::vector<std::string> Checker::select(const Json& body, const Level* outer, const Ctes* ctes) {
  Depth depth(depth_);
  static constexpr std::string_view kClauses[] = {
      "distinctClause", "intoClause",   "targetList",  "fromClause", "whereClause", "groupClause", "groupDistinct",
      "havingClause",   "windowClause", "valuesLists", "sortClause", "limitOffset", "limitCount",  "limitOption",
      "lockingClause",  "withClause",   "op",          "all",        "larg",        "rarg"};
  for (const auto& m : body.GetObject()) {
    const auto name = text(m.name);
    if (std::find(std::begin(kClauses), std::end(kClauses), name) == std::end(kClauses))
      refuse(fmt::format("SELECT with {} is not allowed", name));
  }
  if (member(body, "intoClause")) refuse("SELECT INTO is not allowed");
  if (const auto locks = items(body, "lockingClause"); !locks.empty())
    refuse(fmt::format("{} is not allowed", locking_name(string_member(unwrap(locks[0]).body, "strength"))));

  Ctes own{{}, ctes};
  if (const Json* w = member(body, "withClause")) {
    with(*w, outer, own);
    ctes = &own;
  }

  Level level{{}, outer, ctes};
  std::vector<std::string> outputs;
  const auto op = string_member(body, "op");
  if (!op.empty() && op != "SETOP_NONE") {
    // Each arm is a query of its own; ORDER BY can name only the result's columns.
    const Json* left = member(body, "larg");
    const Json* right = member(body, "rarg");
    if (!left || !right) refuse("the parse tree has an unexpected shape");
    outputs = select(*left, outer, ctes);
    select(*right, outer, ctes);
  } else if (const auto rows = items(body, "valuesLists"); !rows.empty()) {
    for (const auto& row : rows) expr(row, level);
    const auto width = items(unwrap(rows[0]).body, "items").size();
    for (std::size_t i = 1; i <= width; ++i) outputs.push_back(fmt::format("column{}", i));
  } else {
    for (const auto& item : items(body, "fromClause")) from_item(item, level);
    if (const Json* where = member(body, "whereClause")) {
      expr(*where, level);
      scope(*where, level, 0, level.ranges.size(), level.ranges.size() == 1);
    }
    require_scoped(level);
    for (const auto& target : items(body, "targetList")) {
      const auto t = unwrap(target);
      if (member(t.body, "indirection")) refuse("subscripts on an output column are not allowed");
      const Json* val = member(t.body, "val");
      if (!val) refuse("the parse tree has an unexpected shape");
      expr(*val, level);
      const auto alias = string_member(t.body, "name");
      outputs.push_back(alias.empty() ? figure(*val).name : std::string(alias));
    }
  }

  const Names named = rename(outputs, nullptr);
  group_items(items(body, "groupClause"), level, named);
  if (const Json* having = member(body, "havingClause")) expr(*having, level);
  for (const auto& def : items(body, "windowClause")) expr(def, level);
  sort_items(items(body, "distinctClause"), level, named);
  sort_items(items(body, "sortClause"), level, named);
  if (const Json* limit = member(body, "limitCount")) expr(*limit, level);
  if (const Json* offset = member(body, "limitOffset")) expr(*offset, level);
  return outputs;
}

void Checker::with(const Json& body, const Level* outer, Ctes& ctes) {
  if (bool_member(body, "recursive")) refuse("recursive WITH is not allowed");
  for (const auto& item : items(body, "ctes")) {
    const auto cte = unwrap(item);
    if (cte.type != "CommonTableExpr") refuse("the parse tree has an unexpected shape");
    const Json* query = member(cte.body, "ctequery");
    if (!query || unwrap(*query).type != "SelectStmt") refuse("only SELECT statements are allowed in WITH");
    if (member(cte.body, "search_clause") || member(cte.body, "cycle_clause"))
      refuse("SEARCH and CYCLE are not allowed in WITH");
    // A CTE sees the ones before it, not itself or later ones
    auto outputs = select(unwrap(*query).body, outer, &ctes);
    ctes.names[std::string(string_member(cte.body, "ctename"))] =
        rename(std::move(outputs), member(cte.body, "aliascolnames"));
  }
}

void Checker::from_item(const Json& node, Level& level) {
  Depth depth(depth_);
  const auto n = unwrap(node);
  if (n.type == "RangeVar") return range_var(n.body, level);
  if (n.type == "JoinExpr") return join(n.body, level);
  if (n.type == "RangeSubselect") {
    const Json* alias = member(n.body, "alias");
    const Json* query = member(n.body, "subquery");
    if (!alias) refuse("a subquery in FROM needs an alias");
    if (!query || unwrap(*query).type != "SelectStmt") refuse("the parse tree has an unexpected shape");
    // A LATERAL subquery sees the FROM items before it; any other only the levels around this one.
    const Level* sees = bool_member(n.body, "lateral") ? &level : level.outer;
    auto outputs = select(unwrap(*query).body, sees, level.ctes);
    Range r;
    r.refname = std::string(string_member(*alias, "aliasname"));
    r.columns = rename(std::move(outputs), member(*alias, "colnames"));
    return add_range(level, std::move(r));
  }
  if (n.type == "RangeFunction") refuse("functions in FROM are not allowed");
  refuse(fmt::format("{} in FROM is not allowed", n.type));
}

void Checker::range_var(const Json& body, Level& level) {
  const auto schema = string_member(body, "schemaname");
  const auto name = string_member(body, "relname");
  const auto qualified = schema.empty() ? std::string(name) : fmt::format("{}.{}", schema, name);
  if (member(body, "catalogname") || (!schema.empty() && schema != "public"))
    refuse(fmt::format("table {} is not allowed", qualified));
  const Json* alias = member(body, "alias");
  Range r;
  r.refname = alias ? std::string(string_member(*alias, "aliasname")) : std::string(name);
  // a schema-qualified name is never a CTE
  if (const Names* cte = schema.empty() && level.ctes ? level.ctes->find(name) : nullptr) {
    r.columns = rename({cte->begin(), cte->end()}, alias ? member(*alias, "colnames") : nullptr);
    return add_range(level, std::move(r));
  }
  const auto table = policy_.tables.find(name);
  if (table == policy_.tables.end()) refuse(fmt::format("table {} is not allowed", qualified));
  // `ct_results r(a, b)` renames the table's columns by position, unseen columns included
  if (alias && member(*alias, "colnames")) refuse(fmt::format("column aliases on table {} are not allowed", name));
  r.table = table->first;
  r.allowed = &table->second;
  add_range(level, std::move(r));
}

void Checker::add_range(Level& level, Range range) {
  for (const auto& r : level.ranges)
    if (r.refname == range.refname) refuse(fmt::format("table name {} is used twice in one FROM", r.refname));
  level.ranges.push_back(std::move(range));
}

void Checker::join(const Json& body, Level& level) {
  if (bool_member(body, "isNatural")) refuse("NATURAL JOIN is not allowed: name the join columns");
  if (member(body, "alias") || member(body, "join_using_alias")) refuse("an alias on a JOIN is not allowed");
  const Json* left = member(body, "larg");
  const Json* right = member(body, "rarg");
  if (!left || !right) refuse("the parse tree has an unexpected shape");
  const auto begin = level.ranges.size();
  from_item(*left, level);
  const auto middle = level.ranges.size();
  from_item(*right, level);
  const auto end = level.ranges.size();

  // USING (c) compares c of each side: it must be a column this statement may name on both
  for (const auto& item : items(body, "usingClause")) {
    const auto name = string_node(item);
    if (!name) refuse("the parse tree has an unexpected shape");
    auto side_has = [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        const Range& r = level.ranges[i];
        if (r.allowed ? r.allowed->contains(*name) : r.columns.contains(*name)) return true;
      }
      return false;
    };
    if (!side_has(begin, middle) || !side_has(middle, end)) refuse(fmt::format("column {} is not allowed", *name));
  }

  if (const Json* quals = member(body, "quals")) {
    expr(*quals, level);
    // ON filters the rows of an inner join, but of an outer join only those of its nullable side
    const auto type = string_member(body, "jointype");
    if (type == "JOIN_INNER" || type.empty())
      scope(*quals, level, begin, end, false);
    else if (type == "JOIN_LEFT")
      scope(*quals, level, middle, end, false);
    else if (type == "JOIN_RIGHT")
      scope(*quals, level, begin, middle, false);
  }
}

void Checker::expr(const Json& node, const Level& level) {
  Depth depth(depth_);
  const auto n = unwrap(node);
  const auto& t = n.type;
  if (t == "A_Const") return;
  if (t == "ParamRef") return param(n.body);
  if (t == "ColumnRef") return column(n.body, level);
  if (t == "FuncCall") return function(n.body, level);
  if (t == "A_Expr") return a_expr(n.body, level);
  if (t == "SubLink") return sub_link(n.body, level);
  if (t == "WindowDef") return window(n.body, level);
  if (t == "TypeCast") {
    const Json* type = member(n.body, "typeName");
    if (!type) refuse("the parse tree has an unexpected shape");
    type_name(*type);
    return children(n.body, level, {"typeName"});
  }
  if (t == "SQLValueFunction") {
    const auto op = string_member(n.body, "op");
    if (op != "SVFOP_CURRENT_DATE")
      refuse(fmt::format("{} is not allowed", op.starts_with("SVFOP_") ? op.substr(6) : op));
    return;
  }
  if (t == "CoalesceExpr") check_function_name("coalesce");
  if (t == "MinMaxExpr") check_function_name(string_member(n.body, "op") == "IS_GREATEST" ? "greatest" : "least");
  if (t == "SortBy") {
    check_operators(n.body, "useOp");
    return children(n.body, level, {"useOp"});
  }
  static constexpr std::string_view kPlain[] = {"BoolExpr", "NullTest",     "BooleanTest", "CaseExpr",
                                                "CaseWhen", "CoalesceExpr", "MinMaxExpr",  "List",
                                                "RowExpr",  "A_ArrayExpr",  "GroupingSet"};
  if (std::find(std::begin(kPlain), std::end(kPlain), t) == std::end(kPlain))
    refuse(fmt::format("{} is not allowed", t));
  children(n.body, level);
}

// Checks every node below body. A nested object that is not a node would be a struct this walk does
// not know, so it is refused rather than skipped.
void Checker::children(const Json& body, const Level& level, std::initializer_list<std::string_view> skip) {
  auto visit = [&](const Json& v) {
    if (is_node(v))
      expr(v, level);
    else if (v.IsObject() && v.MemberCount() > 0)
      refuse("the parse tree has an unexpected shape");
  };
  for (const auto& m : body.GetObject()) {
    if (std::find(skip.begin(), skip.end(), text(m.name)) != skip.end()) continue;
    if (m.value.IsArray()) {
      for (const auto& item : m.value.GetArray()) visit(item);
    } else {
      visit(m.value);
    }
  }
}

void Checker::column(const Json& body, const Level& level) {
  std::vector<std::string_view> fields;
  for (const auto& f : items(body, "fields")) {
    const auto s = string_node(f);
    if (!s) refuse("* is not allowed: name the columns");
    fields.push_back(*s);
  }
  if (fields.size() == 1) {
    if (!bare_column_allowed(fields[0], level)) refuse(fmt::format("column {} is not allowed", fields[0]));
    return;
  }
  if (fields.size() != 2) refuse(fmt::format("column {} is not allowed", dotted(fields)));
  const Range* r = level.find(fields[0]);
  if (!r) refuse(fmt::format("{} is not a table of this statement", fields[0]));
  if (r->allowed ? !r->allowed->contains(fields[1]) : !r->columns.contains(fields[1]))
    refuse(fmt::format("column {} of {} is not allowed", fields[1], r->allowed ? r->table : r->refname));
}

// PostgreSQL takes a bare name from the innermost level where some FROM item has such a column (two
// there are an error), and only failing that as a whole row of the item so named. Any table may have
// columns the policy leaves out, so a level with a table that does not allow the name ends the search:
// the name could be that table's unseen column, or (as a whole row) all of its columns.
bool Checker::bare_column_allowed(std::string_view name, const Level& level) const {
  for (const Level* l = &level; l; l = l->outer) {
    bool table = false;
    for (const auto& r : l->ranges) {
      if (r.allowed ? r.allowed->contains(name) : r.columns.contains(name)) return true;
      table = table || r.allowed;
    }
    if (table) return false;
  }
  return false;
}

void Checker::function(const Json& body, const Level& level) {
  const auto names = names_of(body, "funcname");
  // EXTRACT(...), TRIM(...), SUBSTRING(... FROM ...) come out of the grammar as pg_catalog functions
  const bool sql_syntax = string_member(body, "funcformat") == "COERCE_SQL_SYNTAX";
  if (names.size() == 2 && names[0] == "pg_catalog" && sql_syntax)
    check_function_name(names[1]);
  else if (names.size() != 1)
    refuse(fmt::format("function {} is not allowed", dotted(names)));
  else
    check_function_name(names[0]);
  if (bool_member(body, "agg_star") && names.back() != "count") refuse("* is not allowed: name the columns");
  if (const Json* over = member(body, "over")) window(*over, level);
  children(body, level, {"funcname", "over"});
}

void Checker::check_function_name(std::string_view name) {
  if (!policy_.functions.contains(name)) refuse(fmt::format("function {} is not allowed", name));
}

void Checker::type_name(const Json& body) {
  const auto names = names_of(body, "names");
  const bool plain = names.size() == 1 || (names.size() == 2 && names[0] == "pg_catalog");
  if (!plain || !allowed_type(names.back()) || bool_member(body, "setof") || bool_member(body, "pct_type") ||
      member(body, "arrayBounds"))
    refuse(fmt::format("cast to {} is not allowed", dotted(names)));
  for (const auto& mod : items(body, "typmods"))
    if (unwrap(mod).type != "A_Const") refuse("type modifiers must be numbers");
}

void Checker::a_expr(const Json& body, const Level& level) {
  const auto kind = string_member(body, "kind");
  if (kind == "AEXPR_NULLIF") {
    check_function_name("nullif");
  } else if (kind == "AEXPR_OP" || kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL" || kind == "AEXPR_DISTINCT" ||
             kind == "AEXPR_NOT_DISTINCT" || kind == "AEXPR_IN" || kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
    check_operators(body, "name");
  } else if (kind != "AEXPR_BETWEEN" && kind != "AEXPR_NOT_BETWEEN" && kind != "AEXPR_BETWEEN_SYM" &&
             kind != "AEXPR_NOT_BETWEEN_SYM") {
    refuse(kind == "AEXPR_SIMILAR" ? std::string("SIMILAR TO is not allowed") : fmt::format("{} is not allowed", kind));
  }
  children(body, level, {"name"});
}

void Checker::check_operators(const Json& body, std::string_view list) {
  const auto names = names_of(body, list);
  if (names.empty()) return;
  if (names.size() != 1 || !allowed_operator(names[0]))
    refuse(fmt::format("operator {} is not allowed", dotted(names)));
}

void Checker::sub_link(const Json& body, const Level& level) {
  static constexpr std::string_view kTypes[] = {"EXISTS_SUBLINK", "ALL_SUBLINK", "ANY_SUBLINK", "EXPR_SUBLINK",
                                                "ARRAY_SUBLINK"};
  const auto type = string_member(body, "subLinkType");
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes))
    refuse(fmt::format("{} is not allowed", type));
  check_operators(body, "operName");
  if (const Json* test = member(body, "testexpr")) expr(*test, level);
  const Json* query = member(body, "subselect");
  if (!query || unwrap(*query).type != "SelectStmt") refuse("the parse tree has an unexpected shape");
  select(unwrap(*query).body, &level, level.ctes);
}

void Checker::window(const Json& body, const Level& level) { children(body, level); }

void Checker::param(const Json& body) const {
  const Json* number = member(body, "number");
  const auto n = number && number->IsInt() ? number->GetInt() : 0;
  if (n < 1 || static_cast<std::size_t>(n) > params_.size()) refuse(fmt::format("parameter ${} is not bound", n));
}

void Checker::sort_items(std::span<const Json> list, const Level& level, const Names& outputs) {
  for (const auto& item : list) {
    if (item.IsObject() && item.MemberCount() == 0) continue;  // plain DISTINCT is a list of one empty node
    const auto n = unwrap(item);
    const Json* target = &item;
    if (n.type == "SortBy") {
      check_operators(n.body, "useOp");
      target = member(n.body, "node");
      if (!target) refuse("the parse tree has an unexpected shape");
    }
    // a bare name is first an output column here (PostgreSQL looks there first for ORDER BY)
    const auto t = unwrap(*target);
    if (t.type == "ColumnRef") {
      const auto fields = items(t.body, "fields");
      const auto name = fields.size() == 1 ? string_node(fields[0]) : std::nullopt;
      if (name && outputs.contains(*name)) continue;
    }
    expr(*target, level);
  }
}

void Checker::group_items(std::span<const Json> list, const Level& level, const Names& outputs) {
  for (const auto& item : list) {
    // PostgreSQL reads a bare GROUP BY name as an input column first, so an output alias that is not
    // an allowed column could be a column the policy leaves out
    const auto n = unwrap(item);
    if (n.type == "ColumnRef") {
      const auto fields = items(n.body, "fields");
      const auto name = fields.size() == 1 ? string_node(fields[0]) : std::nullopt;
      if (name && outputs.contains(*name) && !bare_column_allowed(*name, level))
        refuse(fmt::format("GROUP BY {0}: group by the expression or its position, not the output name {0}", *name));
    }
    expr(item, level);
  }
}

// ---- tenant scoping

void collect_conjuncts(const Json& node, std::vector<const Json*>& out) {
  const auto n = unwrap(node);
  if (n.type == "BoolExpr" && string_member(n.body, "boolop") == "AND_EXPR") {
    for (const auto& arg : items(n.body, "args")) collect_conjuncts(arg, out);
  } else {
    out.push_back(&node);
  }
}

std::optional<PartnerValue> Checker::partner_value(const Json& node) const {
  const auto n = unwrap(node);
  if (n.type == "ParamRef") {
    const Json* number = member(n.body, "number");
    const auto i = number && number->IsInt() ? number->GetInt() : 0;
    if (i < 1 || static_cast<std::size_t>(i) > params_.size()) return std::nullopt;
    const auto& v = params_[static_cast<std::size_t>(i) - 1];
    if (const auto* id = std::get_if<std::int64_t>(&v))
      return PartnerValue{*id, fmt::format("${} bound to {}", i, *id)};
    return PartnerValue{std::nullopt, fmt::format("${} bound to '{}'", i, as_text(v))};
  }
  if (n.type == "TypeCast") {  // $1::bigint
    const Json* type = member(n.body, "typeName");
    const auto names = type ? names_of(*type, "names") : std::vector<std::string_view>{};
    const Json* arg = member(n.body, "arg");
    if (names.empty() || (names.back() != "int4" && names.back() != "int8") || !arg) return std::nullopt;
    return partner_value(*arg);
  }
  if (n.type != "A_Const") return std::nullopt;
  // libpg_query 15's JSON leaves out integers below 1 ("ival": {}), so those never match
  if (const Json* ival = member(n.body, "ival")) {
    const Json* v = member(*ival, "ival");
    if (!v || !v->IsInt64()) return PartnerValue{std::nullopt, "a number below 1"};
    return PartnerValue{v->GetInt64(), fmt::format("{}", v->GetInt64())};
  }
  if (const Json* fval = member(n.body, "fval")) {  // integers past 32 bits and decimals
    const auto s = string_member(*fval, "fval");
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    const bool whole = ec == std::errc{} && end == s.data() + s.size();
    return PartnerValue{whole ? std::optional(id) : std::nullopt, std::string(s)};
  }
  return PartnerValue{std::nullopt, "a value that is not an integer"};
}

void Checker::scope(const Json& quals, Level& level, std::size_t begin, std::size_t end, bool bare_column) {
  std::vector<const Json*> conjuncts;
  collect_conjuncts(quals, conjuncts);
  for (const Json* c : conjuncts) {
    const auto n = unwrap(*c);
    if (n.type != "A_Expr" || string_member(n.body, "kind") != "AEXPR_OP") continue;
    const auto op = names_of(n.body, "name");
    const Json* lhs = member(n.body, "lexpr");
    const Json* rhs = member(n.body, "rexpr");
    if (op.size() != 1 || op[0] != "=" || !lhs || !rhs) continue;
    for (auto [col, val] : {std::pair{lhs, rhs}, std::pair{rhs, lhs}}) {
      const auto cn = unwrap(*col);
      if (cn.type != "ColumnRef") continue;
      std::vector<std::string_view> fields;
      for (const auto& f : items(cn.body, "fields"))
        if (auto s = string_node(f)) fields.push_back(*s);
      if (fields.empty() || fields.size() > 2 || fields.back() != policy_.tenant_column) continue;
      if (fields.size() == 1 && !bare_column) continue;
      const auto value = partner_value(*val);
      if (!value) continue;
      for (std::size_t i = begin; i < end; ++i) {
        Range& r = level.ranges[i];
        if (fields.size() == 2 && r.refname != fields[0]) continue;
        if (value->id == partner_id_)
          r.scoped = true;
        else
          r.scoped_otherwise = value->shown;
      }
    }
  }
}

void Checker::require_scoped(const Level& level) const {
  for (const auto& r : level.ranges) {
    if (r.table.empty() || r.scoped || !policy_.tenant_tables.contains(r.table)) continue;
    const auto& column = policy_.tenant_column;
    if (!r.scoped_otherwise.empty())
      refuse(fmt::format("{} is scoped to another partner ({} = {}, not {})", r.describe(), column, r.scoped_otherwise,
                         partner_id_));
    refuse(fmt::format("{} is not scoped to {} = {} (a top-level AND condition of its WHERE or JOIN ... ON)",
                       r.describe(), column, partner_id_));
  }
}

}  // namespace

GuardPolicy default_policy() {
  GuardPolicy p;
  p.tables = {
      {"ct_events",
       {"event_id", "timing_partner_id", "event_name", "event_date", "city", "state", "country", "status"}},
      {"ct_races",
       {"race_id", "timing_partner_id", "event_id", "race_name", "distance_m", "start_time", "placement_basis"}},
      {"ct_participants",
       {"participant_id", "timing_partner_id", "event_id", "race_id", "bib", "first_name", "last_name", "gender", "age",
        "division", "city", "state", "country", "team", "status", "finish_time_ms"}},
      {"ct_results",
       {"result_id", "timing_partner_id", "event_id", "race_id", "participant_id", "interval_name",
        "interval_distance_m", "is_final", "results_time_ms", "gun_time_ms", "overall_place", "gender_place",
        "division_place", "pace_ms_per_km"}},
      {"race_tallies",
       {"timing_partner_id", "race_id", "dimension", "status", "value", "entries", "timed", "time_sum_ms"}},
  };
  p.tenant_tables = {"ct_events", "ct_races", "ct_participants", "ct_results", "race_tallies"};
  // TRIM(...) is spelled btrim, ltrim or rtrim in the parse tree
  p.functions = {
      "count",      "sum",        "avg",     "min",       "max",     "round",           "floor",           "ceil",
      "abs",        "coalesce",   "nullif",  "lower",     "upper",   "length",          "substr",          "substring",
      "trim",       "btrim",      "ltrim",   "rtrim",     "concat",  "percentile_cont", "percentile_disc", "rank",
      "dense_rank", "row_number", "extract", "date_part", "to_char", "greatest",        "least",           "mode",
      "stddev"};
  return p;
}

void check_sql(std::string_view sql, std::int64_t partner_id, std::span<const Value> params,
               const GuardPolicy& policy) {
  // the parser reads a C string: text after a NUL would run without having been checked
  if (sql.find('\0') != std::string_view::npos) refuse("the SQL contains a NUL byte");
  if (sql.size() > kMaxSqlBytes) refuse(fmt::format("the SQL is longer than {} bytes", kMaxSqlBytes));
  const std::string owned(sql);
  const ParseResult parsed(pg_query_parse(owned.c_str()));
  if (const auto* e = parsed->error) refuse(fmt::format("{} (at character {})", e->message, e->cursorpos));
  check_lexing(owned);

  rapidjson::Document tree;
  tree.Parse<rapidjson::kParseIterativeFlag>(parsed->parse_tree);
  if (tree.HasParseError() || !tree.IsObject()) throw Error(ErrorCode::internal, "unreadable parse tree");
  const auto statements = items(tree, "stmts");
  if (statements.size() != 1) refuse(fmt::format("exactly one statement is allowed, found {}", statements.size()));
  const Json* stmt = member(statements[0], "stmt");
  if (!stmt) refuse("the parse tree has an unexpected shape");
  const auto n = unwrap(*stmt);
  if (n.type != "SelectStmt") refuse(fmt::format("only SELECT statements are allowed, not {}", n.type));
  Checker(policy, partner_id, params).select(n.body, nullptr, nullptr);
}

void check_sql(std::string_view sql, std::int64_t partner_id, std::span<const Value> params) {
  static const GuardPolicy kDefault = default_policy();
  check_sql(sql, partner_id, params, kDefault);
}

}  // namespace racetiming::nl
