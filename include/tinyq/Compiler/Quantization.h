//===- Quantization.h - Post-training quantization stage -------*- C++ -*-===//
//
// The quantization stage of the compiler: its flags, shared by
// tinyq-compile and tinyq-run so that tinyq-run evaluates exactly what
// tinyq-compile ships, and its steps (graph preparation, calibration, bias
// correction, precision choice, quantize and fuse).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_COMPILER_QUANTIZATION_H
#define TINYQ_COMPILER_QUANTIZATION_H

#include "tinyq/Calibration/Calibration.h"
#include "tinyq/Calibration/Sensitivity.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Support/Datasets.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace tinyq {

/// Everything post-training quantization takes.
struct QuantizationOptions {
  /// Calibration samples; quantization runs only with some.
  std::string calibrationPath;
  CalibrationOptions calibration;
  unsigned weightBits = 8;
  bool perTensor = false;
  bool biasCorrection = false;
  bool crossLayerEqualization = false;
  /// Stop once every observer has its range (the calibrated float model).
  bool stopAfterCalibration = false;
  /// `--weights auto`: per-layer widths from the sensitivity analysis
  /// under a budget, as a fraction of the all-int8 weight bytes or in
  /// bytes (the other 0) ...
  bool automaticWeights = false;
  double budgetFraction = 0;
  int64_t budgetBytes = 0;
  /// Or estimated cycles of one inference on `costModel`'s target.
  double budgetCycles = 0;
  std::string costModel = "cortex-m4";
  /// `--activations sparq:SPEC`: SPARQ activations (tinyq-assign-sparq)
  /// on 8-bit activations, optionally not in the first and last layer.
  /// With automaticWeights SPARQ is a candidate of the precision choice,
  /// and sparqBudget the fraction of the MACs of the layers that can take
  /// it that keep 8-bit activations.
  std::string sparqSpec;
  /// The configuration sparqSpec names, parsed once.
  std::optional<numerics::SparqConfig> sparq;
  bool sparqKeepFirstLast = false;
  double sparqBudget = 0;
  /// Where the chosen precisions are printed (none if null).
  llvm::raw_ostream *log = nullptr;

  bool isEnabled() const { return !calibrationPath.empty(); }
  /// The sensitivity analysis these options call for.
  SensitivityOptions getSensitivityOptions() const;
  /// tinyq-assign-precision at these options' budget.
  TinyQAssignPrecisionOptions getAssignmentOptions() const;
};

/// The quantization flags of both tools, registered in a category.
class QuantizationFlags {
public:
  explicit QuantizationFlags(llvm::cl::OptionCategory &category);

  /// The options the flags spell, or what is wrong with them.
  llvm::Expected<QuantizationOptions> getOptions() const;

private:
  llvm::cl::opt<std::string> calibrationPath;
  llvm::cl::opt<std::string> calibrationMethod;
  llvm::cl::opt<int64_t> calibrationSamples;
  llvm::cl::opt<double> calibrationPercentile;
  llvm::cl::opt<double> calibrationNorm;
  llvm::cl::opt<std::string> activations;
  llvm::cl::opt<bool> sparqKeepFirstLast;
  llvm::cl::opt<double> sparqBudget;
  llvm::cl::opt<std::string> weights;
  llvm::cl::opt<bool> perTensor;
  llvm::cl::opt<bool> biasCorrection;
  llvm::cl::opt<bool> crossLayerEqualization;
  llvm::cl::opt<double> inputScale;
  llvm::cl::opt<std::string> budget;
  llvm::cl::opt<std::string> costModel;
};

/// The steps of quantizeModel, for tools that run them apart (the precision
/// sweep): graph preparation, calibration and bias correction ...
llvm::Error calibrateModel(mlir::ModuleOp module, llvm::StringRef entry,
                           const Array &samples,
                           const QuantizationOptions &options);
/// ... tinyq-assign-precision on a module with sensitivity records ...
llvm::Error assignPrecisions(mlir::ModuleOp module,
                             const TinyQAssignPrecisionOptions &options);
/// ... and tinyq-quantize + tinyq-fuse-qdq of the calibrated model.
llvm::Error quantizeCalibratedModel(mlir::ModuleOp module,
                                    const QuantizationOptions &options);

/// Post-training quantization of function \p entry of the float TOSA
/// \p module: batch-norm folding, cross-layer equalization (if asked),
/// calibration on \p samples, bias correction (if asked), then
/// tinyq-quantize and tinyq-fuse-qdq (unless `stopAfterCalibration`).
/// Without calibration data only the
/// graph preparation runs (CLE is a float transformation). The result is
/// an integer model as tinyq-fuse-qdq leaves it.
llvm::Error quantizeModel(mlir::ModuleOp module, llvm::StringRef entry,
                          const Array &samples,
                          const QuantizationOptions &options);

} // namespace tinyq

#endif // TINYQ_COMPILER_QUANTIZATION_H
