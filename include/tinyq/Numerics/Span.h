//===- Span.h - Non-owning view over contiguous elements --------*- C++ -*-===//
//
// The numerics library is plain C++17 so that the runtime and bare-metal
// builds can reuse it; this is its stand-in for std::span.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_SPAN_H
#define TINYQ_NUMERICS_SPAN_H

#include <cassert>
#include <cstddef>
#include <type_traits>

namespace tinyq::numerics {

/// A pointer and a length. Converts implicitly from any container with
/// data() and size() whose elements convert to T*.
template <typename T>
class Span {
public:
  constexpr Span() = default;
  constexpr Span(T *data, size_t size) : ptr(data), length(size) {}
  template <typename Container,
            typename = std::enable_if_t<std::is_convertible_v<
                decltype(std::declval<Container &>().data()), T *>>>
  constexpr Span(Container &container)
      : ptr(container.data()), length(container.size()) {}

  constexpr T *data() const { return ptr; }
  constexpr size_t size() const { return length; }
  constexpr bool empty() const { return length == 0; }
  constexpr T *begin() const { return ptr; }
  constexpr T *end() const { return ptr + length; }
  constexpr T &operator[](size_t index) const {
    assert(index < length && "Span index out of range");
    return ptr[index];
  }

private:
  T *ptr = nullptr;
  size_t length = 0;
};

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_SPAN_H
