//===- ChannelRequantizer.cpp - A layer's requantization ------------------===//

#include "ChannelRequantizer.h"
#include "tinyq/Numerics/FixedPoint.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::cortexm;

bool tinyq::cortexm::takesRightShiftRequantization(const DspLayer &layer,
                                                   int64_t depth) {
  for (auto [multiplier, shift] : llvm::zip(layer.multipliers, layer.shifts))
    if (!numerics::isRightShiftMultiplier({multiplier, shift}))
      return false;
  for (auto [channel, bias] : llvm::enumerate(layer.bias)) {
    int64_t bound = std::abs(int64_t(bias));
    for (int8_t w : ArrayRef(layer.weights).slice(channel * depth, depth))
      bound += 128 * std::abs(int64_t(w));
    if (bound >= (int64_t(1) << 30))
      return false;
  }
  return true;
}

bool tinyq::cortexm::clampsNonPositive(const DspLayer &layer) {
  return layer.rightShiftOnly &&
         numerics::clampHidesNegativeRounding(layer.zeroPoint, layer.clampMin);
}

bool tinyq::cortexm::takesRequantizationVectors(const DspLayer &layer) {
  return layer.rightShiftOnly && layer.outputElementType.isInteger(8);
}

Value tinyq::cortexm::storeRequantized(
    OpBuilder &b, Location loc, const ChannelRequantizer &requantize,
    ValueRange sums, Value first, bool aligned, Value row, Value outputs,
    function_ref<Value(Value sum, size_t index)> finish) {
  if (sums.size() == kChannelTile && requantize.storesBytes()) {
    DspBuilder dsp(b, loc);
    Value word;
    for (auto [index, sum] : llvm::enumerate(sums)) {
      Value value = requantize.requantizeToInt32(
          b, loc, finish ? finish(sum, index) : sum, first, index, aligned);
      Value part = dsp.bitAnd(value, dsp.constant(0xFF));
      if (index > 0)
        part = dsp.shl(part, dsp.constant(8 * index));
      word = word ? dsp.bitOr(word, part) : part;
    }
    return dsp.storeWord(word, outputs, row, first);
  }
  for (auto [index, sum] : llvm::enumerate(sums)) {
    Value output = requantize(b, loc, finish ? finish(sum, index) : sum, first,
                              index, aligned);
    outputs = tensor::InsertOp::create(
        b, loc, output, outputs,
        ValueRange{row, addIndex(b, loc, first, index)});
  }
  return outputs;
}

FailureOr<DspLayer> tinyq::cortexm::buildDspLayer(IntegerLayerOpInterface op,
                                                  PatternRewriter &rewriter,
                                                  WordLayout layout) {
  std::optional<SmallVector<int8_t>> weights =
      getConstantWeights(op.getWeights());
  FailureOr<SmallVector<int32_t>> bias = foldInputZeroPoint(op);
  if (!weights || failed(bias))
    return rewriter.notifyMatchFailure(op, "weights or bias not constant");
  int64_t depth = op.getReductionDepth();
  SmallVector<int8_t> byChannel(weights->size());
  for (auto [index, weight] : llvm::enumerate(*weights)) {
    auto [channel, place] = op.getWeightCoordinates(int64_t(index));
    byChannel[channel * depth + place] = weight;
  }
  DspLayer layer{std::move(byChannel),
                 std::move(*bias),
                 op.getWeights().getType().getElementTypeBitWidth(),
                 layout,
                 SmallVector<int32_t>(op.getMultiplier()),
                 SmallVector<int32_t>(op.getShift()),
                 op.getOutputZeroPoint(),
                 op.getClampMin(),
                 op.getClampMax(),
                 /*rightShiftOnly=*/false,
                 op.getOutput().getType().getElementType()};
  layer.rightShiftOnly = takesRightShiftRequantization(layer, depth);
  return layer;
}

ChannelRequantizer::ChannelRequantizer(OpBuilder &builder, Location loc,
                                       const DspLayer &layer,
                                       const RequantizerOptions &options)
    : layer(layer), shifts(layer.shifts), doubledSums(options.doubledSums) {
  assert((!doubledSums || layer.rightShiftOnly) &&
         "only the right-shift form takes doubled sums");
  // The right-shift form reads `-shift - 1`.
  if (layer.rightShiftOnly)
    for (int32_t &shift : shifts)
      shift = -shift - 1;
  DspBuilder dsp(builder, loc);
  bool perChannel = layer.multipliers.size() > 1;
  SmallVector<int32_t> bias(layer.bias);
  if (doubledSums)
    for (int32_t &value : bias)
      value *= 2;
  if (options.interleaved) {
    assert(options.holdsBias && "interleaved tables hold the bias");
    tileTable = dsp.wordTable(
        perChannel ? packTileMajorParameters(bias, layer.multipliers, shifts)
                   : packTileMajorParameters(bias, {}, {}));
    tileStride = getTileMajorStride(perChannel);
    return;
  }
  if (options.holdsBias)
    biasTable = dsp.wordTable(bias);
  if (!perChannel)
    return;
  multiplierTable = dsp.wordTable(layer.multipliers);
  shiftTable = dsp.wordTable(shifts);
  if (takesVectors())
    rightShiftTable = dsp.wordTable(layer.shifts);
}

Value ChannelRequantizer::bias(OpBuilder &b, Location loc, Value first,
                               int64_t lane, bool aligned) const {
  if (tileTable)
    return tileEntry(b, loc, /*kind=*/0, first, lane, aligned);
  assert(biasTable && "no bias given");
  return tensor::ExtractOp::create(b, loc, biasTable,
                                   ValueRange{addIndex(b, loc, first, lane)});
}

Value ChannelRequantizer::biasVector(OpBuilder &b, Location loc,
                                     Value first) const {
  assert(biasTable && "no bias vectors in an interleaved table");
  return parameter(b, loc, biasTable, /*value=*/0, first, kChannelTile);
}

Value ChannelRequantizer::operator()(OpBuilder &b, Location loc, Value acc,
                                     Value first, int64_t lane,
                                     bool aligned) const {
  return arith::TruncIOp::create(
      b, loc, layer.outputElementType,
      requantizeToInt32(b, loc, acc, first, lane, aligned));
}

Value ChannelRequantizer::requantizeToInt32(OpBuilder &b, Location loc,
                                            Value acc, Value first,
                                            int64_t lane, bool aligned) const {
  DspBuilder dsp(b, loc);
  Value multiplier, shift;
  if (tileTable && layer.multipliers.size() > 1) {
    multiplier = tileEntry(b, loc, /*kind=*/1, first, lane, aligned);
    shift = tileEntry(b, loc, /*kind=*/2, first, lane, aligned);
  } else {
    Value channel = addIndex(b, loc, first, lane);
    multiplier =
        parameter(b, loc, multiplierTable, layer.multipliers[0], channel, 0);
    shift = parameter(b, loc, shiftTable, shifts[0], channel, 0);
  }
  if (!layer.rightShiftOnly)
    return dsp.requantize(acc, multiplier, shift, layer.zeroPoint,
                          layer.clampMin, layer.clampMax);
  return dsp.clampWithZeroPoint(
      dsp.multiplyByRightShiftMultiplier(
          acc, multiplier, shift,
          /*roundNegatives=*/!clampsNonPositive(layer),
          /*doubled=*/doubledSums),
      layer.zeroPoint, layer.clampMin, layer.clampMax);
}

Value ChannelRequantizer::requantizeVector(OpBuilder &b, Location loc,
                                           Value acc, Value first, Value row,
                                           Value outputs) const {
  return storeLanes(b, loc, requantizeLanes(b, loc, acc, first, 1), first, row,
                    outputs);
}

Value ChannelRequantizer::requantizeLanes(OpBuilder &b, Location loc, Value acc,
                                          Value first, int64_t stride) const {
  assert(!tileTable && "interleaved tables are for scalar requantization");
  DspBuilder dsp(b, loc);
  auto type = cast<VectorType>(acc.getType());
  int64_t lanes = type.getNumElements();
  Value multipliers = parameter(b, loc, multiplierTable, layer.multipliers[0],
                                first, lanes, stride);
  Value high = VqrdmulhOp::create(b, loc, type, acc, multipliers);
  Value biased = clampsNonPositive(layer) ? high : dsp.lessOneIfNegative(high);
  Value shift =
      parameter(b, loc, rightShiftTable, layer.shifts[0], first, lanes, stride);
  Value scaled = VshlVectorOp::create(b, loc, type, biased, shift,
                                      /*saturate=*/0, /*round=*/1,
                                      /*is_unsigned=*/0);
  return dsp.clampWithZeroPoint(scaled, layer.zeroPoint, layer.clampMin,
                                layer.clampMax);
}

Value ChannelRequantizer::storeLanes(OpBuilder &b, Location loc, Value clamped,
                                     Value first, Value row, Value outputs,
                                     int64_t rowStride,
                                     int64_t columnStride) const {
  int64_t lanes = cast<VectorType>(clamped.getType()).getNumElements();
  Value bytes = arith::TruncIOp::create(
      b, loc, VectorType::get({lanes}, b.getI8Type()), clamped);
  for (int64_t lane = 0; lane < lanes; ++lane) {
    Value byte =
        vector::ExtractOp::create(b, loc, bytes, ArrayRef<int64_t>{lane});
    outputs = tensor::InsertOp::create(
        b, loc, byte, outputs,
        ValueRange{addIndex(b, loc, row, lane * rowStride),
                   addIndex(b, loc, first, lane * columnStride)});
  }
  return outputs;
}

Value ChannelRequantizer::tileEntry(OpBuilder &b, Location loc, int64_t kind,
                                    Value first, int64_t lane,
                                    bool aligned) const {
  int64_t tileWords = tileStride / kChannelTile;
  Value index;
  if (aligned) {
    index = addIndex(b, loc, mulIndex(b, loc, first, tileWords),
                     lane / kChannelTile * tileStride + kind * kChannelTile +
                         lane % kChannelTile);
  } else {
    DspBuilder dsp(b, loc);
    Value channel = addIndex(b, loc, first, lane);
    Value tile =
        arith::DivUIOp::create(b, loc, channel, dsp.index(kChannelTile));
    Value inTile =
        arith::RemUIOp::create(b, loc, channel, dsp.index(kChannelTile));
    index = arith::AddIOp::create(b, loc,
                                  addIndex(b, loc,
                                           mulIndex(b, loc, tile, tileStride),
                                           kind * kChannelTile),
                                  inTile);
  }
  return tensor::ExtractOp::create(b, loc, tileTable, ValueRange{index});
}

Value ChannelRequantizer::parameter(OpBuilder &b, Location loc, Value table,
                                    int32_t value, Value channel, int64_t lanes,
                                    int64_t stride) const {
  DspBuilder dsp(b, loc);
  if (lanes == 0)
    return table ? tensor::ExtractOp::create(b, loc, table, ValueRange{channel})
                       .getResult()
                 : dsp.constant(value);
  auto type = VectorType::get({lanes}, b.getI32Type());
  if (!table)
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getI32IntegerAttr(value)));
  if (stride == 0)
    return vector::BroadcastOp::create(
        b, loc, type,
        tensor::ExtractOp::create(b, loc, table, ValueRange{channel}));
  SmallVector<Value> entries;
  for (int64_t lane = 0; lane < lanes; ++lane)
    entries.push_back(tensor::ExtractOp::create(
        b, loc, table, ValueRange{addIndex(b, loc, channel, lane * stride)}));
  return vector::FromElementsOp::create(b, loc, type, entries);
}
