#pragma once
// What each resource holds and which of its fields a client may write. One table per resource serves
// three readers: the write path validates bodies against it, the JSON reader types them with it, and
// the daemon's OpenAPI document describes the resources from it.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "racetiming/store/value.hpp"

namespace racetiming::service {

enum class Resource { event, race, participant, result };

std::string_view to_string(Resource r) noexcept;  // "event", "race", ...
// The permissions that read and write a resource (races go with their events).
std::string_view read_permission(Resource r) noexcept;   // "read:events", ...
std::string_view write_permission(Resource r) noexcept;  // "write:events", ...

enum class FieldType {
  text,
  integer,
  boolean,      // travels as integer 0/1
  date,         // YYYY-MM-DD
  duration_ms,  // milliseconds; the JSON reader also takes "H:MM:SS[.f]"
  enumeration,  // text, one of FieldSpec::allowed
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  std::string_view description;
  bool required = false;     // needed on create and on full replace
  bool create_only = false;  // a parent reference: set on create, never changed afterwards
  std::span<const std::string_view> allowed = {};
  std::int64_t min = 0, max = 0;  // integer and duration bounds (max 0: no bound); text: max length
};

// A column of a resource's rows as reads return them (writes return the same row).
struct ColumnSpec {
  std::string_view name;
  FieldType type;
  std::string_view description;
};

std::span<const FieldSpec> writable_fields(Resource r) noexcept;
std::span<const ColumnSpec> resource_columns(Resource r) noexcept;

// A write body: field name and value, in the order given. NULL clears an optional field.
using FieldValues = std::vector<std::pair<std::string, Value>>;

}  // namespace racetiming::service
