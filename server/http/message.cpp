#include "http/message.hpp"

#include <boost/beast/core/string.hpp>

namespace racetimingd::http {

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (boost::beast::iequals(key, name)) return value;
  return {};
}

}  // namespace racetimingd::http
