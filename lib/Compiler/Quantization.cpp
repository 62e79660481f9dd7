//===- Quantization.cpp - Post-training quantization stage ----------------===//

#include "tinyq/Compiler/Quantization.h"
#include "tinyq/Calibration/Sensitivity.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/LayerCost.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"
#include "tinyq/Import/ONNX.h"
#include "tinyq/Import/TFLite.h"
#include "tinyq/Pipelines/Pipelines.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace tinyq;
namespace cl = llvm::cl;

QuantizationFlags::QuantizationFlags(cl::OptionCategory &category)
    : calibrationPath(
          "calibration",
          cl::desc("Quantize the model after calibrating it on the samples "
                   "of this .npy or IDX file (first dimension = samples)"),
          cl::value_desc("file"), cl::cat(category)),
      calibrationMethod(
          "calibration-method",
          cl::desc("Range setting: minmax (default), meanmax (mean over "
                   "samples of each sample's min and max), percentile, mse "
                   "(least expected Lp quantization error) or kl (TensorRT's "
                   "entropy calibration)"),
          cl::init("minmax"), cl::cat(category)),
      calibrationSamples(
          "calibration-samples",
          cl::desc("Use at most N calibration samples (default 1000, 0 = "
                   "all)"),
          cl::init(1000), cl::cat(category)),
      calibrationPercentile(
          "calibration-percentile",
          cl::desc("Percentile kept by --calibration-method=percentile, in "
                   "(50, 100] (default 99.99)"),
          cl::init(99.99), cl::cat(category)),
      calibrationNorm("calibration-norm",
                      cl::desc("Exponent p of the Lp error "
                               "--calibration-method=mse minimizes (default "
                               "2)"),
                      cl::init(2.0), cl::cat(category)),
      activations(
          "activations",
          cl::desc("Activation precision: i8 (default), i4 (held in bytes "
                   "with the range [-8, 7]), or sparq:<n>,<opts>,<rounding>"
                   "[,pairs] (8-bit activations through SPARQ in every layer "
                   "whose input range starts at 0; opts 5opt, 3opt, 2opt, "
                   "all or shifts like 0/2/4; rounding truncate or "
                   "nearest_even; e.g. sparq:4,5opt,nearest_even,pairs)"),
          cl::init("i8"), cl::cat(category)),
      sparqKeepFirstLast(
          "sparq-keep-first-last",
          cl::desc("With --activations sparq:...: keep the first and the "
                   "last layer's activations plain (SPARQ's own setup)"),
          cl::init(false), cl::cat(category)),
      sparqBudget(
          "sparq-budget",
          cl::desc("With --weights auto and --activations sparq:...: the "
                   "fraction of the MACs of the layers SPARQ can take that "
                   "keep 8-bit activations, the layers SPARQ harms most "
                   "first (default 0: SPARQ wherever it can go)"),
          cl::init(0.0), cl::cat(category)),
      weights("weights",
              cl::desc("Weight precision: i8 (default), i4, or auto "
                       "(per layer, from the sensitivity analysis, under "
                       "--budget)"),
              cl::init("i8"), cl::cat(category)),
      perTensor("per-tensor",
                cl::desc("One weight scale per tensor instead of per output "
                         "channel"),
                cl::init(false), cl::cat(category)),
      biasCorrection(
          "bias-correction",
          cl::desc("After calibration, correct conv and depthwise biases for "
                   "the mean shift that quantization at "
                   "--weights/--activations causes, then calibrate again"),
          cl::init(false), cl::cat(category)),
      crossLayerEqualization(
          "cle",
          cl::desc("Equalize the weight ranges of conv/depthwise -> ReLU -> "
                   "conv pairs before calibration "
                   "(tinyq-cross-layer-equalization)"),
          cl::init(false), cl::cat(category)),
      inputScale("input-scale",
                 cl::desc("Factor applied to integer (uint8/int8) input and "
                          "calibration data, e.g. 0.00392156862745098 (1/255) "
                          "for MNIST pixels (default 1)"),
                 cl::init(1.0), cl::cat(category)),
      budget("budget",
             cl::desc("Size or speed for --weights auto: a fraction of the "
                      "all-int8 weight bytes (default 0.75; 0.5 is all-int4), "
                      "a size (96KiB, 40000B), or estimated cycles of one "
                      "inference on --cost-model (2.5Mcycles, 900Kcycles)"),
             cl::init("0.75"), cl::cat(category)),
      costModel("cost-model",
                cl::desc("Target whose estimated cycles --budget ...cycles "
                         "limits and the precision choice prints: cortex-m4 "
                         "(default), cortex-m7 or cortex-m55"),
                cl::init("cortex-m4"), cl::cat(category)) {}

/// The bit width a precision flag spells.
static std::optional<unsigned> parseBits(StringRef precision) {
  if (precision == "i8")
    return 8;
  if (precision == "i4")
    return 4;
  return std::nullopt;
}

llvm::Expected<QuantizationOptions> QuantizationFlags::getOptions() const {
  QuantizationOptions options;
  std::optional<RangeMethod> method = parseRangeMethod(calibrationMethod);
  if (!method)
    return llvm::createStringError(
        "unknown --calibration-method '" + calibrationMethod +
        "' (expected minmax, meanmax, percentile, mse or kl)");
  options.automaticWeights = weights == "auto";
  std::optional<unsigned> weightBits =
      options.automaticWeights ? 8 : parseBits(weights);
  if (!weightBits)
    return llvm::createStringError("unknown --weights '" + weights +
                                   "' (expected i8, i4 or auto)");
  if (budget.getNumOccurrences() && !options.automaticWeights)
    return llvm::createStringError("--budget goes with --weights auto");
  if (options.automaticWeights) {
    StringRef text = StringRef(budget).trim();
    bool cycles = text.consume_back("cycles");
    int64_t unit = cycles                     ? 1
                   : text.consume_back("KiB") ? 1024
                   : text.consume_back("B")   ? 1
                                              : 0;
    if (cycles)
      unit = text.consume_back("M")   ? 1000000
             : text.consume_back("K") ? 1000
                                      : 1;
    double value = 0;
    if (text.getAsDouble(value) || !(value > 0) || (unit == 0 && value > 1))
      return llvm::createStringError(
          "--budget '" + budget +
          "' is neither a fraction in (0, 1], a size like 96KiB or 40000B, "
          "nor cycles like 2.5Mcycles");
    if (cycles)
      options.budgetCycles = value * double(unit);
    else if (unit)
      options.budgetBytes = int64_t(value * double(unit));
    else
      options.budgetFraction = value;
  }
  if (!lookupCostModel(costModel))
    return llvm::createStringError("unknown --cost-model '" + costModel +
                                   "' (expected " + getCostModelNames() + ")");
  if (costModel.getNumOccurrences() && !options.automaticWeights)
    return llvm::createStringError("--cost-model goes with --weights auto");
  options.costModel = costModel;
  StringRef sparqSpec = activations;
  if (sparqSpec.consume_front("sparq:")) {
    MLIRContext context;
    context.loadDialect<TinyQDialect>();
    std::string error;
    SparqAttr sparq = parseSparqSpec(&context, sparqSpec, error);
    if (!sparq)
      return llvm::createStringError("--activations '" + activations +
                                     "': " + error);
    options.sparqSpec = sparqSpec.str();
    options.sparq = getSparqConfig(sparq);
  } else if (sparqKeepFirstLast.getNumOccurrences()) {
    return llvm::createStringError(
        "--sparq-keep-first-last goes with --activations sparq:...");
  }
  options.sparqKeepFirstLast = sparqKeepFirstLast;
  if (sparqBudget.getNumOccurrences() &&
      (options.sparqSpec.empty() || !options.automaticWeights))
    return llvm::createStringError(
        "--sparq-budget goes with --weights auto and --activations sparq:...");
  if (!(sparqBudget >= 0 && sparqBudget <= 1))
    return llvm::createStringError("--sparq-budget must be in [0, 1]");
  options.sparqBudget = sparqBudget;
  std::optional<unsigned> activationBits =
      options.sparqSpec.empty() ? parseBits(activations) : 8;
  if (!activationBits)
    return llvm::createStringError(
        "unknown --activations '" + activations +
        "' (expected i8, i4 or sparq:<n>,<opts>,<rounding>[,pairs])");
  if (calibrationSamples < 0)
    return llvm::createStringError(
        "--calibration-samples must not be negative");
  if (!(inputScale > 0))
    return llvm::createStringError("--input-scale must be positive");
  options.calibrationPath = calibrationPath;
  if (!options.isEnabled()) {
    const llvm::cl::Option *needCalibration[] = {
        &weights,         &activations,          &perTensor,
        &biasCorrection,  &calibrationMethod,    &calibrationSamples,
        &calibrationNorm, &calibrationPercentile};
    for (const llvm::cl::Option *flag : needCalibration)
      if (flag->getNumOccurrences())
        return llvm::createStringError("--" + flag->ArgStr +
                                       " needs --calibration");
  }
  options.calibration.method = *method;
  options.calibration.maxSamples = calibrationSamples;
  options.calibration.percentile = calibrationPercentile;
  options.calibration.norm = calibrationNorm;
  options.calibration.bits = int(*activationBits);
  options.calibration.inputScale = inputScale;
  options.weightBits = *weightBits;
  options.perTensor = perTensor;
  options.biasCorrection = biasCorrection;
  options.crossLayerEqualization = crossLayerEqualization;
  return options;
}

/// Prints the weight width chosen for every layer and the total weight bytes.
static void printPrecisions(ModuleOp module, const SensitivityReport &report,
                            StringRef costModelName, const CostModel &costModel,
                            llvm::raw_ostream &os) {
  os << "precision (" << report.layers << " layers, " << report.inferences
     << " inferences):\n";
  int64_t bytes = 0, highBytes = 0;
  double cycles = 0, highCycles = 0;
  module.walk([&](Operation *op) {
    auto precision = op->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName);
    std::optional<QuantizableWeights> weights =
        getQuantizableWeights(op, /*perTensor=*/false);
    if (!precision || !weights)
      return;
    int64_t count = weights->values.getNumElements();
    bytes += getPackedWeightBytes(count, precision.getWeightBits());
    highBytes += count;
    std::string name = op->getName().getStringRef().str();
    if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
      name = loc.getName().str();
    bool sparq = bool(precision.getSparq());
    double layerCycles =
        estimateLayerCycles(costModel, op, precision.getWeightBits(), sparq);
    cycles += layerCycles;
    highCycles += estimateLayerCycles(costModel, op, 8);
    os << "  " << name << ": int" << precision.getWeightBits()
       << (sparq ? " + SPARQ" : "") << ", " << count << " weights, "
       << llvm::format("%.0f", layerCycles) << " cycles\n";
  });
  os << "  weights: " << bytes << " bytes (" << highBytes << " at int8)\n";
  os << "  estimated cycles on " << costModelName << ": "
     << llvm::format("%.0f (%.0f at W8A8)", cycles, highCycles) << "\n";
}

/// \p error with its message prefixed by \p prefix.
static llvm::Error prefixError(StringRef prefix, llvm::Error error) {
  return llvm::createStringError(prefix + llvm::toString(std::move(error)));
}

llvm::Error tinyq::calibrateModel(ModuleOp module, StringRef entry,
                                  const Array &samples,
                                  const QuantizationOptions &options) {
  MLIRContext *context = module.getContext();
  // Graph preparation: one layer per quantized kernel.
  if (options.isEnabled() || options.crossLayerEqualization) {
    PassManager pm(context);
    pm.addNestedPass<func::FuncOp>(createTinyQFoldBatchNorm());
    if (options.crossLayerEqualization)
      pm.addNestedPass<func::FuncOp>(createTinyQCrossLayerEqualization());
    if (failed(pm.run(module)))
      return llvm::createStringError("graph preparation failed");
  }
  if (!options.isEnabled())
    return llvm::Error::success();

  if (llvm::Error error =
          calibrate(module, samples, options.calibration, entry))
    return prefixError("calibration: ", std::move(error));
  if (!options.biasCorrection)
    return llvm::Error::success();
  BiasCorrectionOptions quantization;
  quantization.weightBits = options.weightBits;
  quantization.perTensor = options.perTensor;
  auto corrected =
      correctBiases(module, samples, options.calibration, quantization, entry);
  if (!corrected)
    return prefixError("bias correction: ", corrected.takeError());
  // The corrected layers have new output ranges.
  if (llvm::Error error =
          calibrate(module, samples, options.calibration, entry))
    return prefixError("calibration: ", std::move(error));
  return llvm::Error::success();
}

SensitivityOptions QuantizationOptions::getSensitivityOptions() const {
  SensitivityOptions sensitivity;
  sensitivity.activationBits = unsigned(calibration.bits);
  sensitivity.perTensor = perTensor;
  sensitivity.sparq = sparq;
  return sensitivity;
}

TinyQAssignPrecisionOptions QuantizationOptions::getAssignmentOptions() const {
  TinyQAssignPrecisionOptions precision;
  precision.budget = budgetFraction;
  precision.budgetBytes = budgetBytes;
  precision.costModel = costModel;
  if (budgetCycles > 0) {
    precision.objective = "cycles";
    precision.budgetCycles = budgetCycles;
  }
  precision.sparq = sparqSpec;
  precision.sparqBudget = sparqBudget;
  precision.sparqKeepFirstLast = sparqKeepFirstLast;
  return precision;
}

llvm::Error
tinyq::assignPrecisions(ModuleOp module,
                        const TinyQAssignPrecisionOptions &options) {
  PassManager assign(module.getContext());
  assign.addNestedPass<func::FuncOp>(createTinyQAssignPrecision(options));
  if (failed(assign.run(module)))
    return llvm::createStringError("precision assignment failed");
  return llvm::Error::success();
}

llvm::Error tinyq::quantizeCalibratedModel(ModuleOp module,
                                           const QuantizationOptions &options) {
  PassManager pm(module.getContext());
  TinyQQuantizeOptions quantize;
  quantize.weightBits = options.weightBits;
  quantize.activationBits = unsigned(options.calibration.bits);
  quantize.perTensor = options.perTensor;
  pm.addNestedPass<func::FuncOp>(createTinyQQuantize(quantize));
  pm.addNestedPass<func::FuncOp>(createTinyQFuseQDQ());
  if (failed(pm.run(module)))
    return llvm::createStringError("quantization failed");
  return llvm::Error::success();
}

llvm::Error tinyq::quantizeModel(ModuleOp module, StringRef entry,
                                 const Array &samples,
                                 const QuantizationOptions &options) {
  if (llvm::Error error = calibrateModel(module, entry, samples, options))
    return error;
  if (!options.isEnabled())
    return llvm::Error::success();
  if (options.automaticWeights) {
    auto report = analyzeSensitivity(module, samples, options.calibration,
                                     options.getSensitivityOptions(), entry);
    if (!report)
      return prefixError("sensitivity: ", report.takeError());
    if (llvm::Error error =
            assignPrecisions(module, options.getAssignmentOptions()))
      return error;
    if (options.log)
      printPrecisions(module, *report, options.costModel,
                      *lookupCostModel(options.costModel), *options.log);
  }
  if (!options.sparqSpec.empty() && !options.automaticWeights) {
    TinyQAssignSparqOptions sparq;
    sparq.spec = options.sparqSpec;
    sparq.keepFirstLast = options.sparqKeepFirstLast;
    sparq.weightBits = options.weightBits;
    PassManager pm(module.getContext());
    pm.addNestedPass<func::FuncOp>(createTinyQAssignSparq(sparq));
    if (failed(pm.run(module)))
      return llvm::createStringError("SPARQ assignment failed");
  }
  if (options.stopAfterCalibration)
    return llvm::Error::success();
  return quantizeCalibratedModel(module, options);
}
