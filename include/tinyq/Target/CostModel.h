//===- CostModel.h - Estimated cycles of a layer per target -----*- C++ -*-===//
//
// The cycles objective of tinyq-assign-precision: a first-order estimate
// of what one run of a layer costs on a target at a weight width, as
// instructions per multiply-accumulate times the layer's MACs. The figures
// of each target are in its row of the target table (Target.h).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TARGET_COSTMODEL_H
#define TINYQ_TARGET_COSTMODEL_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tinyq {

/// The kernel families a cost model distinguishes.
enum class KernelKind { Convolution, Pointwise, Depthwise, FullyConnected };

struct CostModel {
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
};

/// The cost model of the target named \p name (cortex-m4, cortex-m7 or
/// cortex-m55), if it has one.
const CostModel *lookupCostModel(llvm::StringRef name);

/// The names of the targets that have a cost model, comma-separated.
std::string getCostModelNames();

} // namespace tinyq

#endif // TINYQ_TARGET_COSTMODEL_H
