#pragma once
// Internal: checks of enumerated filter values shared by the builders.
#include <string_view>

#include <optional>
#include <string>

#include "query/list_builder.hpp"
#include "racetiming/error.hpp"

namespace racetiming::query {

inline void require_gender(std::string_view g) {
  if (g != "M" && g != "F" && g != "X") throw Error(ErrorCode::invalid_parameter, "gender must be M, F or X", "gender");
}

inline void require_entry_status(std::string_view s) {
  if (s != "registered" && s != "started" && s != "finished" && s != "dnf" && s != "dns" && s != "dq")
    throw Error(ErrorCode::invalid_parameter, "status must be registered, started, finished, dnf, dns or dq", "status");
}

// The entry's own filters, shared by participants and results lists (ct_participants aliased "p").
inline void add_entry_filters(ListBuilder& b, const std::optional<std::string>& gender,
                              const std::optional<std::string>& division, const std::optional<std::string>& status) {
  if (gender) {
    require_gender(*gender);
    b.compare("p.gender", "=", *gender);
  }
  if (division) b.compare("p.division", "=", *division);
  if (status) {
    require_entry_status(*status);
    b.compare("p.status", "=", *status);
  }
}

}  // namespace racetiming::query
