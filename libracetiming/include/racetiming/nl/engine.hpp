#pragma once
// Natural-language questions about one partner's data: parse (rules, no model), render a template,
// check it with sqlguard, run it read-only in the partner's TenantSession, and say the answer in a
// sentence. Answers are cached per partner, question and data version (writes and imports move it).
#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "racetiming/error.hpp"
#include "racetiming/nl/plan.hpp"
#include "racetiming/sport/reference_tables.hpp"
#include "racetiming/service/tenant_context.hpp"
#include "racetiming/store/database.hpp"
#include "racetiming/store/sql.hpp"

namespace racetiming::nl {

struct Answer {
  std::string question;
  Intent intent = Intent::count_finishers;
  std::string engine = "rules";
  std::string entities_json;  // what the parser read: {"event": {...}, "max_time_ms": ..., ...}
  std::string template_name;
  double confidence = 0;
  Sql sql;         // as run (SQL text and bound values)
  ResultSet rows;  // columns and rows
  std::string summary;
  std::string interpretation;  // how the question was read, in one sentence
  FollowUp context;            // send back as AskContext::previous to ask a follow-up
  double execution_time_ms = 0;
  bool cached = false;
};

// A question the engine will not answer, with up to three it would and the words it did not understand.
// Error code nl_unsupported.
class NlUnsupported : public Error {
 public:
  NlUnsupported(const std::string& reason, std::vector<std::string> suggestions, std::vector<std::string> unknown_words = {})
      : Error(ErrorCode::nl_unsupported, reason), suggestions_(std::move(suggestions)), unknown_words_(std::move(unknown_words)) {}
  const std::vector<std::string>& suggestions() const noexcept { return suggestions_; }
  const std::vector<std::string>& unknown_words() const noexcept { return unknown_words_; }

 private:
  std::vector<std::string> suggestions_;
  std::vector<std::string> unknown_words_;
};

// An OpenAI-compatible chat-completions endpoint, asked only when the parser refuses. Its SQL must pass
// sqlguard and runs in the same read-only tenant session; its answers say engine "llm".
struct LlmFallback {
  std::string url;      // http(s)://host[:port]/v1/chat/completions
  std::string model;    // e.g. "gpt-4o-mini"
  std::string api_key;  // sent as a Bearer token; empty: none
  std::chrono::milliseconds timeout{15000};
};

struct NlOptions {
  std::chrono::milliseconds statement_timeout{5000};
  std::size_t cache_entries = 4096;  // answers kept (0: no cache)
  std::chrono::seconds cache_ttl{600};
  std::optional<LlmFallback> llm = {};  // off by default
};

class NlEngine {
 public:
  // Boston questions read tables.boston_qualifying, which must outlive the engine.
  explicit NlEngine(Database& db, NlOptions options = {},
                    const sport::ReferenceTables& tables = sport::ReferenceTables::built_in());
  // Reads a partner's data where `reads_from` says (a read replica, say); `db` gives the dialect.
  using ReadsFrom = std::function<Database&(std::int64_t partner_id)>;
  NlEngine(Database& db, ReadsFrom reads_from, NlOptions options = {},
           const sport::ReferenceTables& tables = sport::ReferenceTables::built_in());
  ~NlEngine();
  NlEngine(const NlEngine&) = delete;
  NlEngine& operator=(const NlEngine&) = delete;

  // Throws NlUnsupported for a question it cannot answer with confidence, Error(invalid_parameter) for
  // text that is not UTF-8, and the store's errors (unavailable, ...) as they come.
  Answer ask(const TenantContext& ctx, std::string_view question, const AskContext& context = {});

  // The follow-up context of a conversation: of its questions, in order, those the engine understands
  // as asked after the ones kept before them (a refused turn does not derail the next). Parses only;
  // runs no question's SQL.
  FollowUp follow_up_of(const TenantContext& ctx, const std::vector<std::string>& questions, const AskContext& context = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The partner's catalog of events and races (and its team names), as the parser reads names against it.
Catalog load_catalog(Database& db, std::int64_t partner_id);

// The context an answer returns, as JSON ({"previous": {"questions": [...]}}), and read back; a context
// that is not of that shape is Error(invalid_parameter).
std::string follow_up_json(const FollowUp& f);
FollowUp follow_up_from_json(std::string_view json);

}  // namespace racetiming::nl
