#pragma once
// Internal: reading providers' JSON, whose fields arrive as strings or numbers, null or "" when empty.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "racetiming/ingest/entry.hpp"
#include "racetiming/integrations/provider.hpp"

namespace racetiming::integrations::detail {

// The member as text: a string as is, a number written out, anything else (missing, null) "".
std::string text(const rapidjson::Value& object, const char* key);
// The member if it is an object or array of that kind, else nullptr.
const rapidjson::Value* object_member(const rapidjson::Value& object, const char* key);
const rapidjson::Value* array_member(const rapidjson::Value& object, const char* key);

// "H:MM:SS[.f]", "MM:SS[.f]" or "M:SS[.f]" to milliseconds; nullopt otherwise.
std::optional<std::int64_t> race_time_ms(std::string_view text) noexcept;
// "M", "Male", "F", "Female" (any case); anything else is X.
char gender_of(std::string_view text) noexcept;

// Parses a document, Error(invalid_input) naming the provider when it is not JSON.
rapidjson::Document parse_document(Provider provider, std::string_view json);

// A provider's answer to `path` as JSON; Error(unavailable) naming the provider and path when it is not.
rapidjson::Document answer_document(Provider provider, const std::string& path, std::string_view body);

// An entry of `race` with its event and race fields filled in.
ingest::Entry entry_of(const RaceContext& race);

// Checks and completes one row: bib and names present, age 1-120 or unknown (0), a finish time for a
// finisher. Returns the error for the row, or "" when the entry is good.
std::string validate(ingest::Entry& entry);

}  // namespace racetiming::integrations::detail
