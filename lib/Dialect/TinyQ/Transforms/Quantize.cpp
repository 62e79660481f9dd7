//===- Quantize.cpp - Calibrated model to Q/DQ form -----------------------===//

#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQQUANTIZE
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

/// \p storage (integer tensor) reinterpreted as \p type and dequantized.
static Value buildDequantize(OpBuilder &builder, Location loc, Value storage,
                             quant::QuantizedType type) {
  auto storageType = cast<RankedTensorType>(storage.getType());
  Value quantized = quant::StorageCastOp::create(
      builder, loc, storageType.clone(type), storage);
  return quant::DequantizeCastOp::create(
      builder, loc, storageType.clone(type.getExpressedType()), quantized);
}

namespace {
struct QuantizePass : tinyq::impl::TinyQQuantizeBase<QuantizePass> {
  using Base::Base;

  void runOnOperation() override {
    auto quantizeActivation = [](OpBuilder &builder, Location loc, Value value,
                                 quant::UniformQuantizedType type) -> Value {
      auto floatType = cast<RankedTensorType>(value.getType());
      Value quantized = quant::QuantizeCastOp::create(
          builder, loc, floatType.clone(type), value);
      Value storage = quant::StorageCastOp::create(
          builder, loc, floatType.clone(type.getStorageType()), quantized);
      return buildDequantize(builder, loc, storage, type);
    };
    auto quantizeWeights = [](OpBuilder &builder, Location loc,
                              const QuantizableWeights &weights,
                              quant::QuantizedType type) -> Value {
      DenseElementsAttr integers = tinyq::quantizeWeights(weights, type);
      Value storage =
          tosa::ConstOp::create(builder, loc, integers.getType(), integers);
      return buildDequantize(builder, loc, storage, type);
    };
    if (failed(rewriteForQuantization(getOperation(), weightBits,
                                      activationBits, perTensor,
                                      quantizeActivation, quantizeWeights)))
      signalPassFailure();
  }
};
} // namespace
