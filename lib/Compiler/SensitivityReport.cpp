//===- SensitivityReport.cpp - Printed sensitivity tables -----------------===//

#include "tinyq/Compiler/SensitivityReport.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Numerics/Metrics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace tinyq;

void tinyq::printSensitivity(ModuleOp module, const SensitivityReport &report,
                             llvm::raw_ostream &os) {
  os << "sensitivity: " << report.layers << " layers, " << report.inferences
     << " inferences\n";
  os << "layer                      candidate  weight SQNR  "
        "weight MSE   act. SQNR  act. MSE\n";
  module.walk([&](Operation *op) {
    auto record =
        op->getAttrOfType<SensitivityAttr>(SensitivityAttr::kAttrName);
    if (!record)
      return;
    std::string name = op->getName().getStringRef().str();
    if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
      name = loc.getName().str();
    for (CandidateAttr candidate : record.getCandidates())
      os << llvm::format("%-26s W%uA%u %12.2f %11.3e %11.2f %10.3e\n",
                         name.substr(0, 26).c_str(),
                         candidate.getPrecision().getWeightBits(),
                         candidate.getPrecision().getActivationBits(),
                         candidate.getWeightSqnr().convertToDouble(),
                         candidate.getWeightMse().convertToDouble(),
                         candidate.getActivationSqnr().convertToDouble(),
                         candidate.getActivationMse().convertToDouble());
    if (auto sparq = op->getAttrOfType<FloatAttr>(kInputSparqSqnrAttrName))
      os << llvm::format("%-26s SPARQ input SQNR %.2f\n",
                         name.substr(0, 26).c_str(), sparq.getValueAsDouble());
  });
}

void tinyq::printSingleLayerSensitivity(ModuleOp module,
                                        const SensitivityReport &report,
                                        llvm::raw_ostream &os) {
  os << "single-layer sensitivity: " << report.layers << " layers, "
     << report.inferences << " inferences\n";
  std::vector<double> singleLayer;
  SmallVector<Operation *> layers;
  module.walk([&](Operation *op) {
    auto sqnr = op->getAttrOfType<FloatAttr>(kSingleLayerSqnrAttrName);
    if (!sqnr)
      return;
    std::string name = op->getName().getStringRef().str();
    if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
      name = loc.getName().str();
    os << llvm::format("  %-26s output SQNR %.2f dB\n",
                       name.substr(0, 26).c_str(), sqnr.getValueAsDouble());
    singleLayer.push_back(sqnr.getValueAsDouble());
    layers.push_back(op);
  });
  if (layers.empty() || !layers.front()->hasAttr(SensitivityAttr::kAttrName))
    return;
  FailureOr<std::vector<double>> scores =
      getSensitivityScores(layers, /*lowBits=*/4);
  if (failed(scores))
    return;
  os << llvm::format(
      "spearman (two-inference score vs single-layer SQNR): %.3f\n",
      numerics::spearmanCorrelation(*scores, singleLayer));
}
