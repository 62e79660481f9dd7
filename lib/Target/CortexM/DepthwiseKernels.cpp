//===- DepthwiseKernels.cpp - Depthwise convolution kernels ---------------===//
//
// Depthwise convolutions on the DSP extension (per output pixel and tile of
// 4 channels, `smlabb` / `smlatt` by halfword weights) and on Helium (tiles
// of 4 or 8 channels in vector lanes, or 4 output pixels of one channel).
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "tinyq-lower-cortex-m"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::cortexm;

ALWAYS_ENABLED_STATISTIC(NumDepthwiseDspLayers,
                         "Depthwise layers on the DSP kernel (smlabb, smlatt)");
ALWAYS_ENABLED_STATISTIC(NumDepthwiseHeliumLayers,
                         "Depthwise layers on Helium, channels in the lanes");
ALWAYS_ENABLED_STATISTIC(NumDepthwisePixelLayers,
                         "Depthwise layers on Helium, output pixels in the "
                         "lanes");

namespace {
/// out[outputRow, 4 * tile .. 4 * tile + 4) of a depthwise convolution
/// into \p outputs: the window's taps at \p tapOffsets pixels from
/// \p window in \p pixels ([pixels, C] int8), weighed by the tile's
/// halfword pairs in \p words (tile t, tap j: words 2 * (t * taps + j)
/// and the next), summed from \p requantize's bias and requantized.
Value computeDepthwiseTile(OpBuilder &b, Location loc, Value pixels,
                           Value window, Value outputRow, Value tile,
                           ArrayRef<int64_t> tapOffsets, Value words,
                           const ChannelRequantizer &requantize,
                           Value outputs) {
  DspBuilder dsp(b, loc);
  auto add = [&](Value x, int64_t c) -> Value {
    return arith::AddIOp::create(b, loc, x, dsp.index(c));
  };
  auto mul = [&](Value x, int64_t c) -> Value {
    return arith::MulIOp::create(b, loc, x, dsp.index(c));
  };
  Value first = mul(tile, 4);
  Value wordBase = mul(tile, 2 * int64_t(tapOffsets.size()));
  SmallVector<Value> sums;
  for (int64_t lane = 0; lane < 4; ++lane)
    sums.push_back(requantize.bias(b, loc, first, lane, /*aligned=*/true));
  for (auto [tap, offset] : llvm::enumerate(tapOffsets)) {
    Value word = dsp.loadWord(pixels, add(window, offset), first);
    Value x02 = dsp.sxtb16(word);
    Value x13 = dsp.sxtb16(dsp.rotateRight8(word));
    Value w02 = tensor::ExtractOp::create(
        b, loc, words, ValueRange{add(wordBase, 2 * int64_t(tap))});
    Value w13 = tensor::ExtractOp::create(
        b, loc, words, ValueRange{add(wordBase, 2 * int64_t(tap) + 1)});
    sums[0] = dsp.smlabb(x02, w02, sums[0]);
    sums[2] = dsp.smlatt(x02, w02, sums[2]);
    sums[1] = dsp.smlabb(x13, w13, sums[1]);
    sums[3] = dsp.smlatt(x13, w13, sums[3]);
  }
  return storeRequantized(b, loc, requantize, sums, first, /*aligned=*/true,
                          outputRow, outputs);
}

/// The \p count input bytes of tap \p tap of a Helium depthwise tile (at
/// \p offset pixels from \p window, channels from \p first) and its
/// \p count weights (row `weightRow + tap` of \p weightBytes), each
/// sign-extended to \p laneType.
std::pair<Value, Value> loadDepthwiseTap(OpBuilder &b, Location loc,
                                         Value pixels, Value window,
                                         int64_t offset, Value first,
                                         Value weightBytes, Value weightRow,
                                         int64_t tap, VectorType laneType) {
  DspBuilder dsp(b, loc);
  int64_t count = laneType.getNumElements();
  Value x = dsp.loadVector(
      pixels, arith::AddIOp::create(b, loc, window, dsp.index(offset)), first,
      count);
  Value tapRow = arith::AddIOp::create(b, loc, weightRow, dsp.index(tap));
  Value w = dsp.loadVector(weightBytes, tapRow, dsp.index(0), count);
  return {arith::ExtSIOp::create(b, loc, laneType, x),
          arith::ExtSIOp::create(b, loc, laneType, w)};
}

/// computeDepthwiseTile with Helium vectors: the tile's 4 accumulators are
/// one vector from the bias; per tap the 4 input bytes and the 4 weights
/// (row `tile * taps + tap` of \p weightBytes) load sign-extended to 32-bit
/// lanes (vldrb.s32), multiply and add (vmul, vadd: Helium's vmla takes a
/// scalar operand); the requantization runs in vectors when the layer
/// takes them.
Value computeDepthwiseTileMve(OpBuilder &b, Location loc, Value pixels,
                              Value window, Value outputRow, Value tile,
                              ArrayRef<int64_t> tapOffsets, Value weightBytes,
                              const ChannelRequantizer &requantize,
                              Value outputs) {
  DspBuilder dsp(b, loc);
  auto lanes = VectorType::get({4}, b.getI32Type());
  Value first = arith::MulIOp::create(b, loc, tile, dsp.index(4));
  Value acc = requantize.biasVector(b, loc, first);
  Value weightRow = arith::MulIOp::create(
      b, loc, tile, dsp.index(int64_t(tapOffsets.size())));
  for (auto [tap, offset] : llvm::enumerate(tapOffsets)) {
    auto [x, w] = loadDepthwiseTap(b, loc, pixels, window, offset, first,
                                   weightBytes, weightRow, tap, lanes);
    acc =
        arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, w));
  }
  if (requantize.takesVectors())
    return requantize.requantizeVector(b, loc, acc, first, outputRow, outputs);
  SmallVector<Value> sums;
  for (int64_t lane = 0; lane < lanes.getNumElements(); ++lane)
    sums.push_back(vector::ExtractOp::create(b, loc, acc, lane));
  return storeRequantized(b, loc, requantize, sums, first, /*aligned=*/true,
                          outputRow, outputs);
}

/// computeDepthwiseTileMve for 8 channels from 8 * \p tile whose
/// requantization takes vectors: per tap the 8 input bytes and the 8
/// weights (row `tile * taps + tap` of \p weightBytes) load sign-extended
/// to 16-bit lanes (vldrb.s16) and `vmullb` / `vmullt` multiply the even
/// and the odd lanes into 32-bit products, added to the accumulators of
/// channels 0, 2, 4, 6 and 1, 3, 5, 7: 6 instructions per tap for 8
/// channels where 4-channel tiles take 8. The requantizer's bias and
/// per-channel tables hold each tile's even channels, then its odd ones.
/// The two requantized vectors are interleaved back into channel order
/// (LLVM narrows them with `vmovnb` / `vmovnt`) and stored as 8 bytes.
Value computeDepthwiseTileMve8(OpBuilder &b, Location loc, Value pixels,
                               Value window, Value outputRow, Value tile,
                               ArrayRef<int64_t> tapOffsets, Value weightBytes,
                               const ChannelRequantizer &requantize,
                               Value outputs) {
  DspBuilder dsp(b, loc);
  constexpr int64_t kTile = 8;
  auto lanes = VectorType::get({kTile / 2}, b.getI32Type());
  auto halves = VectorType::get({kTile}, b.getI16Type());
  Value first = arith::MulIOp::create(b, loc, tile, dsp.index(kTile));
  // Even and odd channels of the tile, whose per-channel parameters
  // (bias and requantization) are stored in that order.
  SmallVector<Value> accs, parameters;
  for (int64_t parity = 0; parity < 2; ++parity) {
    parameters.push_back(
        arith::AddIOp::create(b, loc, first, dsp.index(parity * kTile / 2)));
    accs.push_back(requantize.biasVector(b, loc, parameters.back()));
  }
  Value weightRow = arith::MulIOp::create(
      b, loc, tile, dsp.index(int64_t(tapOffsets.size())));
  for (auto [tap, offset] : llvm::enumerate(tapOffsets)) {
    auto [x, w] = loadDepthwiseTap(b, loc, pixels, window, offset, first,
                                   weightBytes, weightRow, tap, halves);
    for (int64_t parity = 0; parity < 2; ++parity) {
      Value product = VmullOp::create(b, loc, lanes, x, w, /*is_unsigned=*/0,
                                      /*top=*/uint32_t(parity));
      accs[parity] = arith::AddIOp::create(b, loc, accs[parity], product);
    }
  }
  Value even = requantize.requantizeLanes(b, loc, accs[0], parameters[0], 1);
  Value odd = requantize.requantizeLanes(b, loc, accs[1], parameters[1], 1);
  Value interleaved = vector::ShuffleOp::create(
      b, loc, even, odd, ArrayRef<int64_t>{0, 4, 1, 5, 2, 6, 3, 7});
  return requantize.storeLanes(b, loc, interleaved, first, outputRow, outputs);
}

/// The shape of a depthwise convolution's output and kernel.
struct DepthwiseGeometry {
  int64_t batch, outputHeight, outputWidth, kernelHeight, kernelWidth;
  ArrayRef<int64_t> stride, dilation;
};

/// Helium lanes of one channel's output pixels: tiles of this many pixels
/// along a column or a row.
constexpr int64_t kPixelLanes = 4;

/// Whether the tiles of computeDepthwiseByPixelsMve run along the output's
/// columns (else its rows), when either applies: the way with fewer tiles.
std::optional<bool> getPixelLanesAlongColumns(const DepthwiseGeometry &g) {
  auto tiles = [](int64_t along, int64_t across) -> int64_t {
    return along < kPixelLanes ? INT64_MAX
                               : llvm::divideCeil(along, kPixelLanes) * across;
  };
  int64_t columns = tiles(g.outputHeight, g.outputWidth),
          rows = tiles(g.outputWidth, g.outputHeight);
  if (columns == INT64_MAX && rows == INT64_MAX)
    return std::nullopt;
  return columns <= rows;
}

/// Runs \p run (carrying one value) for the starts of the runs of
/// \p runLength that cover [0, \p length): 0, runLength, ... in a loop,
/// then `length - runLength` when \p runLength does not divide \p length
/// (overlapping the last run: its elements are computed or copied twice,
/// rather than predicated), or \p element for 0 .. length - 1 when
/// \p length is below \p runLength.
Value forEachRun(
    OpBuilder &builder, Location loc, int64_t length, int64_t runLength,
    Value carried, function_ref<Value(OpBuilder &, Location, Value, Value)> run,
    function_ref<Value(OpBuilder &, Location, Value, Value)> element = {}) {
  DspBuilder dsp(builder, loc);
  if (length < runLength) {
    assert(element && "no run fits");
    for (int64_t index = 0; index < length; ++index)
      carried = element(builder, loc, dsp.index(index), carried);
    return carried;
  }
  carried = createCarriedLoop(
      builder, loc, length / runLength, carried,
      [&](OpBuilder &b, Location l, Value runIndex, Value value) {
        return run(b, l, mulIndex(b, l, runIndex, runLength), value);
      });
  if (length % runLength != 0)
    carried = run(builder, loc, dsp.index(length - runLength), carried);
  return carried;
}

/// \p input ([N, H, W, C] int8) padded by \p pad ([top, bottom, left,
/// right]) with \p zeroPoint, as one plane per image and channel: [N, C,
/// W', H'] when \p columnMajor (a column's pixels consecutive), else [N,
/// C, H', W']. The planes are filled with the zero point, then the input
/// copied in by runs of 8 pixels of a channel (4 where 8 do not fit): one
/// gather of their bytes (C or W * C apart; 16-bit offsets for 8) and one
/// store.
Value padIntoPlanes(OpBuilder &builder, Location loc, Value input,
                    ArrayRef<int64_t> pad, int32_t zeroPoint,
                    bool columnMajor) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t batch = type.getDimSize(0), height = type.getDimSize(1),
          width = type.getDimSize(2), channels = type.getDimSize(3);
  // Planes of `lines` lines of `length` pixels; the input's lines and
  // lengths, and the padding before each.
  int64_t lines = columnMajor ? width : height,
          length = columnMajor ? height : width;
  int64_t lineOffset = columnMajor ? pad[2] : pad[0],
          runOffset = columnMajor ? pad[0] : pad[2];
  int64_t paddedLines =
              lines + (columnMajor ? pad[2] + pad[3] : pad[0] + pad[1]),
          paddedLength =
              length + (columnMajor ? pad[0] + pad[1] : pad[2] + pad[3]);
  // Bytes between the pixels of a run in the input.
  int64_t runStride = columnMajor ? width * channels : channels;
  int64_t runLength = length >= 8 && 7 * runStride <= UINT16_MAX ? 8 : 4;
  Value planes = createZeroPointFill(
      builder, loc,
      ArrayRef<int64_t>{batch, channels, paddedLines, paddedLength},
      type.getElementType(), zeroPoint);
  auto inputAt = [&](OpBuilder &b, Location l, Value n, Value line,
                     Value position, Value channel) -> Value {
    Value y = columnMajor ? position : line, x = columnMajor ? line : position;
    return tensor::ExtractOp::create(b, l, input, ValueRange{n, y, x, channel});
  };
  return createCarriedLoop(
      builder, loc, batch, planes,
      [&](OpBuilder &b, Location l, Value n, Value planes) {
        return createCarriedLoop(
            b, l, channels, planes,
            [&](OpBuilder &b, Location l, Value channel, Value planes) {
              return createCarriedLoop(
                  b, l, lines, planes,
                  [&](OpBuilder &b, Location l, Value line, Value planes) {
                    Value target = addIndex(b, l, line, lineOffset);
                    auto copyRun = [&](OpBuilder &b, Location l, Value start,
                                       Value planes) -> Value {
                      // All the run's loads, then its stores: one gather
                      // and one store (tinyq-combine-byte-accesses).
                      SmallVector<Value> bytes;
                      for (int64_t lane = 0; lane < runLength; ++lane)
                        bytes.push_back(inputAt(b, l, n, line,
                                                addIndex(b, l, start, lane),
                                                channel));
                      for (auto [lane, byte] : llvm::enumerate(bytes))
                        planes = tensor::InsertOp::create(
                            b, l, byte, planes,
                            ValueRange{n, channel, target,
                                       addIndex(b, l, start,
                                                runOffset + int64_t(lane))});
                      return planes;
                    };
                    auto copyElement = [&](OpBuilder &b, Location l,
                                           Value position,
                                           Value planes) -> Value {
                      Value byte = inputAt(b, l, n, line, position, channel);
                      return tensor::InsertOp::create(
                          b, l, byte, planes,
                          ValueRange{n, channel, target,
                                     addIndex(b, l, position, runOffset)});
                    };
                    return forEachRun(b, l, length, runLength, planes, copyRun,
                                      copyElement);
                  });
            });
      });
}

/// Depthwise convolution on Helium with the 4 lanes of a vector on 4
/// output pixels of one channel: consecutive rows of a column when
/// \p alongColumns, else consecutive pixels of a row. \p planes is the
/// padded input as planes whose lines run the same way (padIntoPlanes), so
/// that each tap reads the lanes' 4 input bytes with one load (`vldrb.s32`,
/// consecutive bytes at stride 1, a gather otherwise) and adds their
/// products with the channel's weight, a scalar kept in a register for
/// all of the channel's pixels, with one `vmla`. Per channel, the weights
/// come from \p weights ([C, taps] int8) and the bias from \p bias; the
/// 4 requantized bytes go to the output ([N * OH * OW, C], returned) with
/// one scatter. The requantization must take vectors.
Value computeDepthwiseByPixelsMve(OpBuilder &builder, Location loc,
                                  Value planes, Value weights, Value bias,
                                  const ChannelRequantizer &requantize,
                                  const DepthwiseGeometry &g, bool alongColumns,
                                  Value init) {
  auto lanes = VectorType::get({kPixelLanes}, builder.getI32Type());
  int64_t channels = cast<RankedTensorType>(planes.getType()).getDimSize(1);
  int64_t along = alongColumns ? g.outputHeight : g.outputWidth,
          across = alongColumns ? g.outputWidth : g.outputHeight;
  // Strides and dilations along the lines of the planes, then across.
  int64_t alongDim = alongColumns ? 0 : 1, acrossDim = 1 - alongDim;
  int64_t outputLaneStride = alongColumns ? g.outputWidth : 1;
  return createCarriedLoop(
      builder, loc, channels, init,
      [&](OpBuilder &b, Location l, Value channel, Value acc) {
        // The channel's weights and bias, for all of its pixels.
        SmallVector<Value> tapWeights;
        for (int64_t tap = 0; tap < g.kernelHeight * g.kernelWidth; ++tap)
          tapWeights.push_back(vector::BroadcastOp::create(
              b, l, lanes,
              arith::ExtSIOp::create(
                  b, l, b.getI32Type(),
                  tensor::ExtractOp::create(
                      b, l, weights,
                      ValueRange{channel, DspBuilder(b, l).index(tap)}))));
        Value biasLanes = vector::BroadcastOp::create(
            b, l, lanes,
            tensor::ExtractOp::create(b, l, bias, ValueRange{channel}));
        return createCarriedLoop(
            b, l, g.batch, acc,
            [&](OpBuilder &b, Location l, Value n, Value acc) {
              return createCarriedLoop(
                  b, l, across, acc,
                  [&](OpBuilder &b, Location l, Value line, Value acc) {
                    auto computeTile = [&](OpBuilder &b, Location l,
                                           Value start, Value acc) -> Value {
                      Value sums = biasLanes;
                      Value firstLine =
                          mulIndex(b, l, line, g.stride[acrossDim]);
                      Value first = mulIndex(b, l, start, g.stride[alongDim]);
                      for (int64_t ky = 0; ky < g.kernelHeight; ++ky) {
                        for (int64_t kx = 0; kx < g.kernelWidth; ++kx) {
                          int64_t tapAlong = alongColumns ? ky : kx,
                                  tapAcross = alongColumns ? kx : ky;
                          Value inputLine =
                              addIndex(b, l, firstLine,
                                       tapAcross * g.dilation[acrossDim]);
                          // The lanes' bytes, which
                          // tinyq-combine-byte-accesses makes one load.
                          SmallVector<Value> bytes;
                          for (int64_t lane = 0; lane < kPixelLanes; ++lane)
                            bytes.push_back(tensor::ExtractOp::create(
                                b, l, planes,
                                ValueRange{
                                    n, channel, inputLine,
                                    addIndex(b, l, first,
                                             tapAlong * g.dilation[alongDim] +
                                                 lane * g.stride[alongDim])}));
                          Value input = arith::ExtSIOp::create(
                              b, l, lanes,
                              vector::FromElementsOp::create(
                                  b, l,
                                  VectorType::get({kPixelLanes}, b.getI8Type()),
                                  bytes));
                          sums = arith::AddIOp::create(
                              b, l, sums,
                              arith::MulIOp::create(
                                  b, l, input,
                                  tapWeights[ky * g.kernelWidth + kx]));
                        }
                      }
                      Value clamped = requantize.requantizeLanes(
                          b, l, sums, channel, /*stride=*/0);
                      Value y = alongColumns ? start : line,
                            x = alongColumns ? line : start;
                      Value outputRow = arith::AddIOp::create(
                          b, l,
                          mulIndex(
                              b, l,
                              arith::AddIOp::create(
                                  b, l, mulIndex(b, l, n, g.outputHeight), y),
                              g.outputWidth),
                          x);
                      // One scatter: the lanes' pixels, one channel.
                      return requantize.storeLanes(
                          b, l, clamped, channel, outputRow, acc,
                          /*rowStride=*/outputLaneStride,
                          /*columnStride=*/0);
                    };
                    return forEachRun(b, l, along, kPixelLanes, acc,
                                      computeTile);
                  });
            });
      });
}

/// tinyq.depthwise_conv2d with channel multiplier 1, C a multiple of 4,
/// int8 input and constant weights -> per output pixel and tile of 4
/// channels, each kernel tap (unrolled) loads one input word of the
/// tile's channels, unpacks it into (c0, c2) and (c1, c3), and multiplies
/// the halves with the tap's weights, laid out at compile time as the
/// halfword pairs (w[c0], w[c2]), (w[c1], w[c3]) (int4 weights too): one
/// `smlabb` or `smlatt` per product, no unpacking of weights. The input is
/// padded with its zero point and viewed as [N * H * W, C]; the tile's
/// accumulators start from the bias with the zero-point term folded in and
/// end requantized like the other DSP kernels. On Helium, layers whose
/// requantization takes vectors put output pixels in the lanes instead
/// (computeDepthwiseByPixelsMve) when a row or a column has 4 of them.
struct LowerDepthwiseToDsp : OpRewritePattern<DepthwiseConv2DOp> {
  LowerDepthwiseToDsp(MLIRContext *context, bool mve)
      : OpRewritePattern(context), mve(mve) {}

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = op.getInput().getType();
    auto weightsType = op.getWeights().getType();
    auto outputType = op.getOutput().getType();
    int64_t channels = inputType.getDimSize(3);
    auto leave = [&](const char *reason) {
      LLVM_DEBUG(debugLayer(op) << reason << "\n");
      return rewriter.notifyMatchFailure(op, reason);
    };
    if (op.getSparqAttr())
      return leave("SPARQ takes the generic path");
    if (inputType.getElementTypeBitWidth() != 8 ||
        weightsType.getDimSize(2) != channels || channels % 4 != 0)
      return leave(
          "not int8 input with a multiple of 4 channels, multiplier 1");
    int64_t kernelHeight = weightsType.getDimSize(0),
            kernelWidth = weightsType.getDimSize(1);
    int64_t taps = kernelHeight * kernelWidth;
    // The layout is the depthwise kernel's own (below); the layer gives the
    // requantization and the weights by channel.
    FailureOr<DspLayer> built = buildDspLayer(op, rewriter, WordLayout::Int16);
    if (failed(built))
      return failure();
    DspLayer layer = std::move(*built);

    Location loc = op.getLoc();
    DspBuilder dsp(rewriter, loc);
    SmallVector<ReassociationIndices> pixelsAndChannels = {{0, 1, 2}, {3}};
    int64_t batch = outputType.getDimSize(0),
            outputHeight = outputType.getDimSize(1),
            outputWidth = outputType.getDimSize(2);
    ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
    Value init = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<int64_t>{batch * outputHeight * outputWidth, channels},
        layer.outputElementType);
    DepthwiseGeometry geometry{batch,        outputHeight, outputWidth,
                               kernelHeight, kernelWidth,  stride,
                               dilation};
    std::optional<bool> alongColumns;
    if (mve && takesRequantizationVectors(layer))
      alongColumns = getPixelLanesAlongColumns(geometry);
    // Helium tiles of 8 channels when the requantization takes vectors.
    int64_t mveTile =
        channels % 8 == 0 && takesRequantizationVectors(layer) ? 8 : 4;
    LLVM_DEBUG({
      debugLayer(op) << channels << " channels, " << kernelHeight << "x"
                     << kernelWidth << " taps, " << outputHeight << "x"
                     << outputWidth << " outputs: ";
      if (alongColumns)
        llvm::dbgs() << "Helium, " << kPixelLanes << " output pixels along "
                     << (*alongColumns ? "a column" : "a row")
                     << " in the lanes\n";
      else if (mve)
        llvm::dbgs() << "Helium, tiles of " << mveTile
                     << " channels in the lanes ("
                     << (takesRequantizationVectors(layer)
                             ? "no row or column of 4 output pixels"
                             : "requantization not in vectors")
                     << ")\n";
      else
        llvm::dbgs() << "DSP, tiles of 4 channels\n";
    });
    if (alongColumns) {
      ++NumDepthwisePixelLayers;
      Value planes =
          padIntoPlanes(rewriter, loc, op.getInput(), op.getPad(),
                        op.getInputZeroPoint(), /*columnMajor=*/*alongColumns);
      Value weightTable = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({channels, taps}, rewriter.getI8Type()),
              ArrayRef(layer.weights)));
      Value biasTable = dsp.wordTable(layer.bias);
      ChannelRequantizer requantize(rewriter, loc, layer);
      Value out = computeDepthwiseByPixelsMve(
          rewriter, loc, planes, weightTable, biasTable, requantize, geometry,
          *alongColumns, init);
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outputType, out,
                                                         pixelsAndChannels);
      return success();
    }

    Value padded = padByWords(rewriter, loc, op.getInput(), op.getPad(),
                              op.getInputZeroPoint());
    auto paddedType = cast<RankedTensorType>(padded.getType());
    int64_t paddedHeight = paddedType.getDimSize(1),
            paddedWidth = paddedType.getDimSize(2);
    Value pixels = tensor::CollapseShapeOp::create(rewriter, loc, padded,
                                                   pixelsAndChannels);
    // Input pixel offsets of the taps from the window's first pixel.
    SmallVector<int64_t> tapOffsets;
    for (int64_t ky = 0; ky < kernelHeight; ++ky)
      for (int64_t kx = 0; kx < kernelWidth; ++kx)
        tapOffsets.push_back(ky * dilation[0] * paddedWidth + kx * dilation[1]);

    // Tile t, tap j: words 2 * (t * taps + j) and the next; with Helium,
    // the 4 weights as bytes in row t * taps + j.
    // The DSP tiles' halfword weights and bias are doubled for the
    // right-shift form (as computeWithDsp's).
    if (mve)
      ++NumDepthwiseHeliumLayers;
    else
      ++NumDepthwiseDspLayers;
    bool doubleSums = !mve && layer.rightShiftOnly;
    int16_t factor = doubleSums ? 2 : 1;
    Value wordsConstant;
    if (mve) {
      SmallVector<int8_t> bytes =
          packDepthwiseBytes(layer.weights, channels, taps, mveTile);
      wordsConstant = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({int64_t(bytes.size()) / mveTile, mveTile},
                                    rewriter.getI8Type()),
              ArrayRef(bytes)));
    } else {
      wordsConstant = dsp.wordTable(
          packDepthwiseHalfwords(layer.weights, channels, taps, factor));
    }
    // 8-channel Helium tiles read their even channels' parameters, then
    // their odd ones': the per-channel tables go in that order.
    if (mve && mveTile == 8) {
      layer.bias = orderEvenThenOdd(layer.bias);
      if (int64_t(layer.multipliers.size()) == channels) {
        layer.multipliers = orderEvenThenOdd(layer.multipliers);
        layer.shifts = orderEvenThenOdd(layer.shifts);
      }
    }
    ChannelRequantizer requantize(
        rewriter, loc, layer,
        {doubleSums, /*holdsBias=*/true, /*interleaved=*/!mve});

    auto add = [](OpBuilder &b, Location l, Value x, Value y) -> Value {
      return arith::AddIOp::create(b, l, x, y);
    };
    // One loop per output dimension, so that the window's first pixel is
    // an affine function of the induction variables.
    Value out = createCarriedLoop(
        rewriter, loc, batch, init,
        [&](OpBuilder &b, Location l, Value n, Value acc) {
          return createCarriedLoop(
              b, l, outputHeight, acc,
              [&](OpBuilder &b, Location l, Value y, Value acc) {
                return createCarriedLoop(
                    b, l, outputWidth, acc,
                    [&](OpBuilder &b, Location l, Value x, Value acc) {
                      Value imageRow = mulIndex(b, l, n, paddedHeight);
                      Value inputRow =
                          add(b, l, imageRow, mulIndex(b, l, y, stride[0]));
                      Value rowStart = mulIndex(b, l, inputRow, paddedWidth);
                      Value window =
                          add(b, l, rowStart, mulIndex(b, l, x, stride[1]));
                      Value outputRow =
                          add(b, l,
                              mulIndex(
                                  b, l,
                                  add(b, l, mulIndex(b, l, n, outputHeight), y),
                                  outputWidth),
                              x);
                      if (mve && mveTile == 8)
                        return createCarriedLoop(
                            b, l, channels / 8, acc,
                            [&](OpBuilder &b, Location l, Value tile,
                                Value acc) {
                              return computeDepthwiseTileMve8(
                                  b, l, pixels, window, outputRow, tile,
                                  tapOffsets, wordsConstant, requantize, acc);
                            });
                      return createCarriedLoop(
                          b, l, channels / 4, acc,
                          [&](OpBuilder &b, Location l, Value tile, Value acc) {
                            if (mve)
                              return computeDepthwiseTileMve(
                                  b, l, pixels, window, outputRow, tile,
                                  tapOffsets, wordsConstant, requantize, acc);
                            return computeDepthwiseTile(
                                b, l, pixels, window, outputRow, tile,
                                tapOffsets, wordsConstant, requantize, acc);
                          });
                    });
              });
        });
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outputType, out,
                                                       pixelsAndChannels);
    return success();
  }

  bool mve;
};
} // namespace

void tinyq::cortexm::populateDepthwisePatterns(RewritePatternSet &patterns,
                                               bool mve) {
  patterns.add<LowerDepthwiseToDsp>(patterns.getContext(), mve);
}
