//===- Indexing.h - Small helpers over tensor layouts and uses --*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_UTILS_INDEXING_H
#define TINYQ_DIALECT_TINYQ_UTILS_INDEXING_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"

#include <optional>

namespace tinyq {

/// The index along one dimension (the channel of per-channel parameters) of
/// each row-major flat element index of a tensor; without an axis, always
/// 0 (per-tensor parameters).
class AxisIndexer {
public:
  AxisIndexer(llvm::ArrayRef<int64_t> shape, std::optional<int64_t> axis) {
    if (!axis)
      return;
    extent = shape[*axis];
    for (int64_t dim : shape.drop_front(*axis + 1))
      inner *= dim;
  }

  int64_t operator()(int64_t flatIndex) const {
    return (flatIndex / inner) % extent;
  }
  /// The size of the dimension (1 without an axis).
  int64_t getExtent() const { return extent; }

private:
  int64_t inner = 1, extent = 1;
};

/// The only user of \p value, if it has exactly one.
inline mlir::Operation *getSingleUser(mlir::Value value) {
  return value.hasOneUse() ? *value.getUsers().begin() : nullptr;
}

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_UTILS_INDEXING_H
