//===- LayerCost.h - Estimated cycles of a float layer ----------*- C++ -*-===//
//
// A target's cost model (tinyq/Target/CostModel.h) applied to a layer of
// the float model, as the precision choice and its reports see it.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQ_TRANSFORMS_LAYERCOST_H
#define TINYQ_DIALECT_TINYQ_TRANSFORMS_LAYERCOST_H

#include "tinyq/Target/CostModel.h"

#include "mlir/IR/Operation.h"

namespace tinyq {

/// The kernel family that runs layer \p op (a conv2d, depthwise conv2d or
/// matmul).
KernelKind getKernelKind(mlir::Operation *op);

/// Estimated cycles of one run of the layer \p op (with constant weights)
/// on \p model's target with \p weightBits-bit weights, and SPARQ
/// activations if \p sparq; 0 for an op that is no such layer.
double estimateLayerCycles(const CostModel &model, mlir::Operation *op,
                           unsigned weightBits, bool sparq = false);

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_LAYERCOST_H
