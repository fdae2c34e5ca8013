#pragma once
// A value or the ordinary reason there is none (a question the engine will not answer): what a call
// returns where failing is not exceptional. Exceptions stay for what stops an operation (the database is
// gone, bad arguments). A small stand-in for C++23's std::expected, which this C++20 library cannot use.
#include <utility>
#include <variant>

namespace racetiming {

template <class T, class E>
class Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Expected(E error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // The value; calling these without one is a programming error (std::bad_variant_access).
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The reason; calling it when there is a value is a programming error.
  const E& error() const& { return std::get<1>(state_); }
  E&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, E> state_;
};

}  // namespace racetiming
