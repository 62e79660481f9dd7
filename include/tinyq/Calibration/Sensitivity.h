//===- Sensitivity.h - Local quantization errors in two inferences -*- C++
//-*-===//
//
// The local metrics that mixed-precision choice ranks layers by (QuantuneV2,
// Kim et al., 2025): for every layer with weights, the SQNR and MSE of its
// weights at each candidate precision and of its output activations,
// gathered in exactly two inferences over the calibration samples: the
// float model, and the model with every layer at the lowest candidate.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_CALIBRATION_SENSITIVITY_H
#define TINYQ_CALIBRATION_SENSITIVITY_H

#include "tinyq/Calibration/Calibration.h"

#include "tinyq/Numerics/Sparq.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace tinyq {

struct SensitivityOptions {
  /// Candidate weight widths, each with `activationBits` activations; the
  /// smallest is the low candidate the second inference runs.
  llvm::SmallVector<unsigned, 2> weightBits = {8, 4};
  unsigned activationBits = 8;
  bool perTensor = false;
  /// The SPARQ candidate: when set, every layer whose input range starts
  /// at 0 also gets tinyq.input_sparq_sqnr, from the float inference.
  std::optional<numerics::SparqConfig> sparq;
};

struct SensitivityReport {
  /// Layers annotated.
  unsigned layers = 0;
  /// Passes over the samples the models ran, counted.
  unsigned inferences = 0;
};

/// Annotates every layer with weights (conv2d, depthwise_conv2d, matmul) of
/// function \p entry of the calibrated \p module with `tinyq.sensitivity`:
/// one `#tinyq.candidate` per weight width. Weight SQNR / MSE compare the
/// layer's float weights with their quantization at that width (no
/// inference). Activation SQNR / MSE compare the layer's output (its
/// calibration point, after bias and activation) in the float run with: for
/// the low candidate, the same tensor in the run with every layer at the low
/// candidate; for the others, its own quantization on its activation grid.
llvm::Expected<SensitivityReport>
analyzeSensitivity(mlir::ModuleOp module, const Array &samples,
                   const CalibrationOptions &calibration,
                   const SensitivityOptions &options,
                   llvm::StringRef entry = "main");

/// The usual ground truth the two-inference analysis is compared with:
/// for each layer with weights, the SQNR (dB) of the model's output (its
/// last calibration point) when only that layer's weights are at the
/// lowest candidate width and every other layer's at the highest, against
/// the float model — one inference per layer plus the float one. Annotates
/// each layer with `tinyq.single_layer_sqnr` (f64); `inferences` counts the
/// passes the models ran.
llvm::Expected<SensitivityReport>
analyzeSingleLayerSensitivity(mlir::ModuleOp module, const Array &samples,
                              const CalibrationOptions &calibration,
                              const SensitivityOptions &options,
                              llvm::StringRef entry = "main");

} // namespace tinyq

#endif // TINYQ_CALIBRATION_SENSITIVITY_H
