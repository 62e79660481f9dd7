//===- Runner.h - Run a model on the host -----------------------*- C++ -*-===//
//
// What tinyq-run does: load a model, quantize it with the compiler's flags,
// JIT-compile exactly what tinyq-compile ships (or evaluate it with the
// numerics library's reference kernels), run it over data, and report
// outputs, accuracy, or the precision sweep.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_COMPILER_RUNNER_H
#define TINYQ_COMPILER_RUNNER_H

#include "tinyq/Compiler/Quantization.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace tinyq {

/// Everything tinyq-run takes.
struct RunOptions {
  std::string modelPath;
  /// One .npy file per graph input (batch first), or evaluation data and
  /// labels.
  std::vector<std::string> inputPaths, outputPaths;
  std::string dataPath, labelsPath;
  /// Samples per invocation (a quantized model takes one at a time), and
  /// whether the user set it.
  int64_t batchSize = 64;
  bool batchSizeGiven = false;
  /// Each input file is a whole graph input; the model runs once.
  bool unbatched = false;
  /// Evaluate with the reference kernels instead of compiling.
  bool useReference = false;
  QuantizationOptions quantization;
  /// Use only the first samples (0: all).
  int64_t limit = 0;
  /// The precision sweep, as Markdown (sweep) or HTML (reportPath).
  bool sweep = false;
  std::string reportPath;
  unsigned randomOrders = 5;
  bool randomOrdersGiven = false;
  /// Results (accuracy, tables), and progress and timings.
  llvm::raw_ostream *out = &llvm::outs();
  llvm::raw_ostream *log = &llvm::errs();
};

/// Runs the model of \p options on \p context (see createCompilerContext).
llvm::Error runModel(mlir::MLIRContext &context, const RunOptions &options);

} // namespace tinyq

#endif // TINYQ_COMPILER_RUNNER_H
