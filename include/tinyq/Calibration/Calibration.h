//===- Calibration.h - Ranges of float tensors from sample data -*- C++ -*-===//
//
// Post-training quantization needs the range of every tensor it quantizes.
// Calibration marks those tensors with `tinyq.observe`, runs the float model
// (JIT-compiled) over calibration samples, and records each tensor's range as
// the `range` attribute of its observer.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_CALIBRATION_CALIBRATION_H
#define TINYQ_CALIBRATION_CALIBRATION_H

#include "tinyq/Support/Datasets.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <optional>

namespace tinyq {

/// How a tensor's range is set from its values over the samples.
enum class RangeMethod {
  /// The smallest and largest value seen.
  MinMax,
  /// The means over the samples of each sample's minimum and maximum.
  MeanMinMax,
  /// The (100 - p)-th and p-th percentiles of all values.
  Percentile,
  /// The range with the least expected Lp quantization error (findLpRange).
  LpSearch,
  /// TensorRT's entropy calibration on absolute values (findKlThreshold).
  KlDivergence,
};

/// Parses the command-line spelling of a method (`minmax`, `meanmax`,
/// `percentile`, `mse`, `kl`).
std::optional<RangeMethod> parseRangeMethod(llvm::StringRef name);

struct CalibrationOptions {
  RangeMethod method = RangeMethod::MinMax;
  /// Use at most this many samples (all when 0).
  int64_t maxSamples = 0;
  /// Percentile kept by RangeMethod::Percentile, in (50, 100].
  double percentile = 99.99;
  /// Exponent of the error RangeMethod::LpSearch minimizes.
  double norm = 2.0;
  /// Bits of the quantized activations (LpSearch and KlDivergence).
  int bits = 8;
  /// Factor applied to integer sample data fed to a float input.
  double inputScale = 1.0;
  /// Show a progress bar on stderr when it is a terminal.
  bool showProgress = true;
};

/// Calibrates function \p entry of \p module, a float TOSA model with one
/// input: inserts `tinyq.observe` points (see tinyq-insert-observers), runs a
/// copy of the model over the leading-dimension samples of \p samples and
/// sets every observer's `range`. The model's batch size is its input's
/// leading dimension; a last partial batch is padded with zeros that do not
/// enter the statistics. With a batch above one, a tensor whose leading
/// dimension is not the batch counts as one sample per batch. Percentile,
/// LpSearch and KlDivergence run the samples a second time to fill a
/// 2048-bin histogram per tensor.
llvm::Error calibrate(mlir::ModuleOp module, const Array &samples,
                      const CalibrationOptions &options,
                      llvm::StringRef entry = "main");

/// The quantization a bias correction compensates for.
struct BiasCorrectionOptions {
  unsigned weightBits = 8;
  bool perTensor = false;
};

/// Empirical bias correction: runs the float model and its simulated
/// quantized version (tinyq-simulate-quantization with \p quantization and
/// `options.bits`-bit activations) over the calibration samples, and adds
/// to the bias of every conv2d and depthwise_conv2d with a constant bias the
/// per-channel difference of the mean outputs, float minus quantized, so
/// that quantization no longer shifts them. \p module must be calibrated.
/// Returns the number of corrected layers.
llvm::Expected<unsigned>
correctBiases(mlir::ModuleOp module, const Array &samples,
              const CalibrationOptions &options,
              const BiasCorrectionOptions &quantization,
              llvm::StringRef entry = "main");

} // namespace tinyq

#endif // TINYQ_CALIBRATION_CALIBRATION_H
