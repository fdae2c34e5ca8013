#pragma once
// Internal: checks of enumerated filter values shared by the builders.
#include <string_view>

#include "racetiming/error.hpp"

namespace racetiming::query {

inline void require_gender(std::string_view g) {
  if (g != "M" && g != "F" && g != "X") throw Error(ErrorCode::invalid_parameter, "gender must be M, F or X", "gender");
}

inline void require_entry_status(std::string_view s) {
  if (s != "registered" && s != "started" && s != "finished" && s != "dnf" && s != "dns" && s != "dq")
    throw Error(ErrorCode::invalid_parameter, "status must be registered, started, finished, dnf, dns or dq", "status");
}

}  // namespace racetiming::query
