//===- PrecisionSweep.h - Mixed precision against its baselines -*- C++ -*-===//
//
// The honest comparison of the two-inference precision assignment: the same
// calibrated model assigned at a range of weight budgets by the
// two-inference ranking, by the single-layer (exhaustive) ranking and by
// random orders, each assignment quantized and measured by the caller.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DRIVER_PRECISIONSWEEP_H
#define TINYQ_DRIVER_PRECISIONSWEEP_H

#include "tinyq/Compiler/Quantization.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>
#include <vector>

namespace tinyq {

struct SweepOptions {
  /// Budgets, as fractions of the all-int8 weight bytes.
  std::vector<double> budgets = {0.5, 0.625, 0.75, 0.875, 1.0};
  /// Random orders per budget (seeds 1..N); their median is reported.
  unsigned randomOrders = 5;
};

/// One layer with weights, as the analyses saw it.
struct SweepLayer {
  std::string name;
  /// conv2d, depthwise_conv2d or matmul.
  std::string kind;
  int64_t weights = 0;
  int64_t macs = 0;
  /// The two-inference records: weight and output SQNR (dB) at 8 and 4
  /// bits, the layer's SQNR drop in the all-4-bit run (NaN without one).
  double weightSqnr8 = 0, weightSqnr4 = 0;
  double activationSqnr8 = 0, activationSqnr4 = 0;
  double sqnrDrop = 0;
  /// The single-layer baseline: the model output's SQNR with only this
  /// layer at 4 bits.
  double singleLayerSqnr = 0;
  /// Fractions of the layer's input values at the zero point (8-bit grid)
  /// and of innermost-axis pairs with one (what SPARQ exploits), over the
  /// calibration samples.
  double zeroFraction = 0, pairZeroFraction = 0;
  /// The assignment's score (lower is raised first).
  double score = 0;
  /// Weight width the two-inference method chose at the requested budget,
  /// and the layer's estimated cycles at it.
  unsigned chosenBits = 0;
  double cycles = 0;
};

/// One assignment and what it measured.
struct SweepPoint {
  /// two-inference, single-layer, random, uniform-int4 or uniform-int8.
  std::string method;
  /// Seed of a random order, else 0.
  unsigned seed = 0;
  double budget = 0;
  int64_t bytes = 0;
  std::vector<unsigned> bits;
  double accuracy = 0;
};

struct PrecisionSweep {
  std::vector<SweepLayer> layers;
  std::vector<SweepPoint> points;
  /// Weight bytes with every layer at 8 and at 4 bits.
  int64_t int8Bytes = 0, int4Bytes = 0;
  /// Weight bytes and estimated cycles (on `costModel`'s target) of the
  /// two-inference choice at the requested budget.
  int64_t chosenBytes = 0;
  double chosenCycles = 0;
  std::string costModel;
  /// Passes over the calibration samples each analysis ran, counted.
  unsigned inferences = 0, singleLayerInferences = 0;
  /// Wall times: one plain calibration pass, the two-inference analysis,
  /// the single-layer analysis.
  double calibrationSeconds = 0, analysisSeconds = 0, singleLayerSeconds = 0;
  /// Spearman's correlation of the two-inference score with the
  /// single-layer SQNR.
  double spearman = 0;
  /// Distinct assignments quantized and measured.
  unsigned evaluations = 0;

  /// The median accuracy of \p method's points at \p budget (NaN if none).
  double getAccuracy(llvm::StringRef method, double budget) const;
};

/// Measures a quantized (integer) model, e.g. its accuracy on labelled
/// data; it may modify the module.
using AccuracyFunction =
    llvm::function_ref<llvm::Expected<double>(mlir::ModuleOp integerModel)>;

/// Runs both analyses on the calibrated \p module (function \p entry;
/// annotating it), then for every budget of \p sweep assigns precisions by
/// the two-inference ranking, the single-layer ranking and
/// `sweep.randomOrders` random orders (keep-first-last as in
/// tinyq-assign-precision's default), quantizes each distinct assignment
/// with \p options and measures it with \p measure. Progress and the
/// measured points are printed to \p log.
llvm::Expected<PrecisionSweep>
sweepPrecisions(mlir::ModuleOp module, llvm::StringRef entry,
                const Array &samples, const QuantizationOptions &options,
                const SweepOptions &sweep, AccuracyFunction measure,
                llvm::raw_ostream &log);

/// The sweep as Markdown: the per-layer table and accuracy by budget.
void printSweepMarkdown(const PrecisionSweep &sweep, llvm::StringRef model,
                        llvm::raw_ostream &os);

/// The sweep as one self-contained HTML page (inline SVG, no scripts, no
/// network): per-layer sensitivity bars, chosen precision, weight bytes and
/// MACs per layer, accuracy versus weight bytes with the baselines.
void writeSweepReport(const PrecisionSweep &sweep, llvm::StringRef model,
                      llvm::raw_ostream &os);

} // namespace tinyq

#endif // TINYQ_DRIVER_PRECISIONSWEEP_H
