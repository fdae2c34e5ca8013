#pragma once
// Reading header values as RFC 9110 5.6 writes them: lists of elements and the optional whitespace
// (spaces and tabs) around them.
#include <string_view>

namespace racetimingd::http {

// The value without optional whitespace at either end.
std::string_view trim_ows(std::string_view s);

// Calls f with each element of a list separated by `separator` ("gzip;q=1, br" by ',', "gzip;q=1" by
// ';'), in order and as written: untrimmed, empty elements included.
template <class F>
void for_each_element(std::string_view list, char separator, F&& f) {
  while (!list.empty()) {
    const auto at = list.find(separator);
    f(list.substr(0, at));
    list = at == std::string_view::npos ? std::string_view{} : list.substr(at + 1);
  }
}

}  // namespace racetimingd::http
