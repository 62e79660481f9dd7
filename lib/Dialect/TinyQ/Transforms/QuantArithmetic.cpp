//===- QuantArithmetic.cpp - Quantization as elementwise code -------------===//

#include "QuantArithmetic.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace tinyq;

Value tinyq::buildQuantStep(OpBuilder &builder, Location loc, Value input,
                            quant::QuantizedType type, QuantStep step) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type f32 = builder.getF32Type();
  int64_t rank = inputType.getRank();

  // Scales and zero points as f32: scalars per tensor, vectors read through
  // the quantized dimension per axis.
  SmallVector<float> scales, zeroPoints;
  std::optional<int64_t> axis;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    scales.push_back(float(perTensor.getScale()));
    zeroPoints.push_back(float(perTensor.getZeroPoint()));
  } else {
    auto perAxis = cast<quant::UniformQuantizedPerAxisType>(type);
    axis = perAxis.getQuantizedDimension();
    for (double scale : perAxis.getScales())
      scales.push_back(float(scale));
    for (int64_t zeroPoint : perAxis.getZeroPoints())
      zeroPoints.push_back(float(zeroPoint));
  }

  SmallVector<Value> inputs{input};
  SmallVector<AffineMap> maps{builder.getMultiDimIdentityMap(rank)};
  if (axis) {
    auto vectorType = RankedTensorType::get({int64_t(scales.size())}, f32);
    AffineMap channelMap = AffineMap::get(
        rank, 0, builder.getAffineDimExpr(*axis), builder.getContext());
    for (ArrayRef<float> values : {ArrayRef(scales), ArrayRef(zeroPoints)}) {
      inputs.push_back(arith::ConstantOp::create(
          builder, loc, DenseElementsAttr::get(vectorType, values)));
      maps.push_back(channelMap);
    }
  }
  maps.push_back(builder.getMultiDimIdentityMap(rank));

  auto storage = cast<IntegerType>(type.getStorageType());
  Type resultElement = step == QuantStep::Quantize ? Type(storage) : f32;
  Value init = tensor::EmptyOp::create(
      builder, loc, tensor::getMixedSizes(builder, loc, input), resultElement);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  float qmin = float(type.getStorageTypeMin());
  float qmax = float(type.getStorageTypeMax());
  bool isSigned = type.isSigned();
  auto generic = linalg::GenericOp::create(
      builder, loc, TypeRange{inputType.clone(resultElement)}, inputs,
      ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        auto constant = [&](float value) -> Value {
          return arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(value));
        };
        Value scale = axis ? args[1] : constant(scales.front());
        Value zeroPoint = axis ? args[2] : constant(zeroPoints.front());
        Value quantized;
        if (step == QuantStep::Dequantize) {
          // Storage to float exactly: widen to i32 first (sign by the type).
          Value wide = args[0];
          Type i32 = b.getI32Type();
          if (storage.getWidth() < 32)
            wide = isSigned ? Value(arith::ExtSIOp::create(b, l, i32, wide))
                            : Value(arith::ExtUIOp::create(b, l, i32, wide));
          quantized = arith::SIToFPOp::create(b, l, f32, wide);
        } else {
          Value scaled = arith::DivFOp::create(b, l, args[0], scale);
          Value rounded = math::RoundEvenOp::create(b, l, scaled);
          Value shifted = arith::AddFOp::create(b, l, rounded, zeroPoint);
          Value raised =
              arith::MaxNumFOp::create(b, l, shifted, constant(qmin));
          Value clamped =
              arith::MinNumFOp::create(b, l, raised, constant(qmax));
          Value isNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO,
                                              scaled, scaled);
          quantized = arith::SelectOp::create(b, l, isNan, zeroPoint, clamped);
          if (step == QuantStep::Quantize) {
            // Integral and within the storage range: exact through a signed
            // integer twice as wide as narrow storage (i32, native on 32-bit
            // cores; no libcall), else i64, and truncation keeps the
            // storage bits (also for unsigned storage).
            Type wideType =
                storage.getWidth() < 32 ? b.getI32Type() : b.getI64Type();
            Value wide = arith::FPToSIOp::create(b, l, wideType, quantized);
            Value narrow =
                storage.getWidth() == wideType.getIntOrFloatBitWidth()
                    ? wide
                    : Value(arith::TruncIOp::create(b, l, storage, wide));
            linalg::YieldOp::create(b, l, narrow);
            return;
          }
        }
        Value centered = arith::SubFOp::create(b, l, quantized, zeroPoint);
        linalg::YieldOp::create(
            b, l, arith::MulFOp::create(b, l, centered, scale).getResult());
      });
  return generic.getResult(0);
}
