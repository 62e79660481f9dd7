//===- CostModel.cpp - Estimated cycles of a layer per target -------------===//

#include "tinyq/Dialect/TinyQ/Transforms/CostModel.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace tinyq;

// Until TinyQ's own Cortex-M kernels are measured (issue 7), the figures
// are those of the reference library there: CMSIS-NN 7.0's instructions
// per MAC on the MLPerf Tiny layers of issue 7's table (conv 3x3 16->16 at
// 32x32, pointwise 64->64 at 25x5, depthwise 3x3 64 channels at 25x5,
// fully connected 640->128), with int8 and int4 weights; e.g. the M4's
// int8 conv is 6,077,042 instructions / 2,359,296 MACs. SPARQ's extra cost
// is TinyQ's own: on the same layers, the instructions of the int8 layer
// with SPARQ activations minus those without, over the MACs, counted in
// QEMU by `bench/cortex_m_layers.py` (2026-11-22, docs/results/
// cortex-m-layers.md). Depthwise SPARQ is dear: its pairs run across taps,
// so the lowering materializes every window; SPARQ fully connected and
// pointwise layers also leave the DSP kernels for the portable code.
static const CostModel kCostModels[] = {
    {"cortex-m4",
     {6077042.0 / 2359296, 1303135.0 / 512000, 661743.0 / 72000,
      180106.0 / 81920},
     {9108048.0 / 2359296, 1887214.0 / 512000, 1075649.0 / 72000,
      333762.0 / 81920},
     {(11292081.0 - 10518600) / 2359296, (3001272.0 - 1433831) / 512000,
      (4921029.0 - 709638) / 72000, (375331.0 - 144569) / 81920}},
    {"cortex-m7",
     {5512854.0 / 2359296, 1339997.0 / 512000, 675444.0 / 72000,
      169800.0 / 81920},
     {9003405.0 / 2359296, 1978842.0 / 512000, 992399.0 / 72000,
      333339.0 / 81920},
     {(11270642.0 - 10520716) / 2359296, (3000524.0 - 1319887) / 512000,
      (4929438.0 - 729640) / 72000, (375334.0 - 157403) / 81920}},
    {"cortex-m55",
     {896855.0 / 2359296, 200782.0 / 512000, 162547.0 / 72000, 14370.0 / 81920},
     {1064602.0 / 2359296, 299109.0 / 512000, 201083.0 / 72000,
      27499.0 / 81920},
     {(10957435.0 - 10322444) / 2359296, (2559729.0 - 1039210) / 512000,
      (4033118.0 - 425212) / 72000, (343868.0 - 86161) / 81920}},
};

std::optional<CostModel> tinyq::lookupCostModel(StringRef name) {
  for (const CostModel &model : kCostModels)
    if (model.name == name)
      return model;
  return std::nullopt;
}

StringRef tinyq::getCostModelNames() {
  return "cortex-m4, cortex-m7, cortex-m55";
}

KernelKind tinyq::getKernelKind(Operation *op) {
  if (isa<tosa::DepthwiseConv2DOp>(op))
    return KernelKind::Depthwise;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    auto weights = cast<ShapedType>(conv.getWeight().getType());
    return weights.getDimSize(1) == 1 && weights.getDimSize(2) == 1
               ? KernelKind::Pointwise
               : KernelKind::Convolution;
  }
  return KernelKind::FullyConnected;
}

double CostModel::estimateCycles(KernelKind kind, int64_t macs,
                                 unsigned weightBits, bool sparq) const {
  auto index = static_cast<unsigned>(kind);
  double perMac = weightBits <= 4 ? int4PerMac[index] : int8PerMac[index];
  if (sparq)
    perMac += sparqExtraPerMac[index];
  return perMac * double(macs);
}

double CostModel::estimateCycles(Operation *op, unsigned weightBits,
                                 bool sparq) const {
  std::optional<QuantizableWeights> weights =
      getQuantizableWeights(op, /*perTensor=*/false);
  if (!weights)
    return 0;
  return estimateCycles(getKernelKind(op), getMacCount(op, *weights),
                        weightBits, sparq);
}
