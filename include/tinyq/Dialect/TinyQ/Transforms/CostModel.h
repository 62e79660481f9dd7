//===- CostModel.h - Estimated cycles of a layer per target -----*- C++ -*-===//
//
// The cycles objective of tinyq-assign-precision: a first-order estimate
// of what one run of a layer costs on a target at a weight width, as
// instructions per multiply-accumulate times the layer's MACs.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQ_TRANSFORMS_COSTMODEL_H
#define TINYQ_DIALECT_TINYQ_TRANSFORMS_COSTMODEL_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace tinyq {

/// The kernel families a cost model distinguishes.
enum class KernelKind { Convolution, Pointwise, Depthwise, FullyConnected };

struct CostModel {
  llvm::StringRef name;
  /// Instructions per MAC, by KernelKind, with int8 and with int4 weights.
  double int8PerMac[4];
  double int4PerMac[4];
  /// Extra instructions per MAC of SPARQ activations, by KernelKind.
  double sparqExtraPerMac[4];

  /// Estimated cycles of one run of a layer of kernel family \p kind and
  /// \p macs multiply-accumulates with \p weightBits-bit weights (8 or 4),
  /// and SPARQ activations if \p sparq, one instruction per cycle.
  double estimateCycles(KernelKind kind, int64_t macs, unsigned weightBits,
                        bool sparq = false) const;

  /// The same for the layer \p op (a conv2d, depthwise conv2d or matmul
  /// with constant weights).
  double estimateCycles(mlir::Operation *op, unsigned weightBits,
                        bool sparq = false) const;
};

/// The kernel family that runs layer \p op.
KernelKind getKernelKind(mlir::Operation *op);

/// The cost model of target \p name (cortex-m4, cortex-m7 or cortex-m55).
std::optional<CostModel> lookupCostModel(llvm::StringRef name);

/// The names lookupCostModel knows, comma-separated.
llvm::StringRef getCostModelNames();

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_COSTMODEL_H
