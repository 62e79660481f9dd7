//===- DenseKernels.cpp - Fully connected and conv kernels ----------------===//
//
// Fully connected layers and convolutions on the DSP extension (`sxtb16`
// and `smlad` over words of int8 or int4 weights laid out as the loop reads
// them) and on Helium (`vmlava.s8` over 16-byte vectors), in register tiles
// of output channels whose input words are loaded and unpacked once.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "tinyq-lower-cortex-m"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::cortexm;

ALWAYS_ENABLED_STATISTIC(NumDspLayers,
                         "Dense layers on the DSP kernel (sxtb16, smlad)");
ALWAYS_ENABLED_STATISTIC(NumHeliumLayers,
                         "Dense layers on the Helium kernel (vmlava)");
ALWAYS_ENABLED_STATISTIC(
    NumByteWeightLayers,
    "int8 DSP layers over unpacked-weights-limit (weights kept as bytes)");
ALWAYS_ENABLED_STATISTIC(NumInt4ByteLayers,
                         "int4 Helium layers (weights stored one per byte)");
ALWAYS_ENABLED_STATISTIC(NumSkipZeroLayers, "Layers skipping zero activations");
ALWAYS_ENABLED_STATISTIC(NumTwoOfFourLayers,
                         "Layers multiplying 2:4-sparse weights");

namespace {
/// Where the reduction of one output row reads its input: `segments` runs
/// of `runDepth` consecutive bytes of the 2-D int8 `input`, run s in row
/// `rowBase + s` from column `column`. A fully connected layer has one run
/// per row; a convolution one per kernel row, as its window's (kx, c)
/// bytes are contiguous in NHWC.
struct InputRuns {
  Value input, rowBase, column;
  int64_t segments, runDepth;

  /// Row \p row of \p input, \p depth bytes, as one run.
  static InputRuns wholeRow(OpBuilder &b, Location loc, Value input, Value row,
                            int64_t depth) {
    return InputRuns{input, row, DspBuilder(b, loc).index(0),
                     /*segments=*/1, depth};
  }
};

/// out[outputRow, first .. first + channels) into \p outputs: per
/// reduction step the input word(s) are loaded and unpacked once, then
/// each channel's weights (at \p wordBase + step * channels * words per
/// step in \p words, steps counted over all runs) are multiplied in; the
/// sums start from the channel's bias (\p requantize's; scaled int4 ones
/// add it at the end) and end requantized.
Value computeTile(OpBuilder &builder, Location loc, const InputRuns &runs,
                  Value outputRow, Value words, Value wordBase, Value first,
                  int64_t channels, WordLayout layout,
                  const ChannelRequantizer &requantize, bool requantizeVectors,
                  Value outputs) {
  DspBuilder dsp(builder, loc);
  int64_t perStep = getWeightsPerStep(layout);
  int64_t wordsPerStep = getWordsPerStep(layout);
  int64_t stepsPerRun = runs.runDepth / perStep;
  // Two steps per iteration with halfword weights (registers allow it):
  // half the loop control. Helium's 8-channel tiles (short reductions)
  // unroll their steps.
  auto unrollFactor = [&](int64_t trips) -> int64_t {
    if (layout == WordLayout::MveBytes && channels > kChannelTile)
      return trips;
    return layout == WordLayout::Int16 && trips % 2 == 0 ? 2 : 1;
  };
  auto accumulateStep = [&](OpBuilder &b, Location bodyLoc, Value segment,
                            Value step, ValueRange sums) {
    DspBuilder body(b, bodyLoc);
    Value row = arith::AddIOp::create(b, bodyLoc, runs.rowBase, segment);
    Value k = arith::AddIOp::create(
        b, bodyLoc, runs.column,
        arith::MulIOp::create(b, bodyLoc, step, body.index(perStep)));
    Value flatStep = arith::AddIOp::create(
        b, bodyLoc,
        arith::MulIOp::create(b, bodyLoc, segment, body.index(stepsPerRun)),
        step);
    Value stepBase = arith::AddIOp::create(
        b, bodyLoc, wordBase,
        arith::MulIOp::create(b, bodyLoc, flatStep,
                              body.index(channels * wordsPerStep)));
    auto loadWeightWord = [&](int64_t offset) -> Value {
      return tensor::ExtractOp::create(
          b, bodyLoc, words,
          ValueRange{
              arith::AddIOp::create(b, bodyLoc, stepBase, body.index(offset))});
    };
    if (layout == WordLayout::MveBytes) {
      // sum += the dot product of 16 signed bytes: vmlava.s8, as the
      // intrinsic (a reduction of widened products selects the same
      // instruction, but lets LLVM's SLP vectorizer merge the tile's sums
      // into vectors inside the loop).
      Value x = body.loadVector(runs.input, row, k, kMveBytes);
      SmallVector<Value> results;
      for (int64_t channel = 0; channel < channels; ++channel) {
        SmallVector<Value> parts;
        for (int64_t word = 0; word < wordsPerStep; ++word)
          parts.push_back(loadWeightWord(channel * wordsPerStep + word));
        Value w = vector::BitCastOp::create(
            b, bodyLoc, VectorType::get({kMveBytes}, b.getI8Type()),
            vector::FromElementsOp::create(
                b, bodyLoc, VectorType::get({wordsPerStep}, b.getI32Type()),
                parts));
        results.push_back(body.dotProductAccumulate(x, w, sums[channel]));
      }
      return results;
    }
    // Input pairs (x0, x2), (x1, x3) [and (x4, x6), (x5, x7)].
    SmallVector<Value> xs;
    for (int64_t half = 0; half < perStep / 4; ++half) {
      Value word = body.loadWord(
          runs.input, row,
          arith::AddIOp::create(b, bodyLoc, k, body.index(4 * half)));
      xs.push_back(body.sxtb16(word));
      xs.push_back(body.sxtb16(body.rotateRight8(word)));
    }
    SmallVector<Value> results;
    for (int64_t channel = 0; channel < channels; ++channel) {
      // The channel's halfword pairs, in the order of xs.
      SmallVector<Value> ws;
      if (layout == WordLayout::Int16) {
        ws = {loadWeightWord(2 * channel), loadWeightWord(2 * channel + 1)};
      } else if (layout == WordLayout::Int4Halves) {
        Value w = loadWeightWord(channel);
        Value mask = body.constant(int32_t(0xF000F000u));
        for (int64_t pair = 0; pair < 4; ++pair)
          ws.push_back(body.bitAnd(
              pair == 0 ? w : body.shl(w, body.constant(4 * pair)), mask));
      } else {
        Value w = loadWeightWord(channel);
        SmallVector<Value> bytes = {w};
        if (layout == WordLayout::Int4) {
          // High nibbles, then low nibbles moved up: bytes 16 * w.
          Value mask = body.constant(int32_t(0xF0F0F0F0u));
          bytes = {body.bitAnd(w, mask),
                   body.bitAnd(body.shl(w, body.constant(4)), mask)};
        }
        for (Value word : bytes) {
          ws.push_back(body.sxtb16(word));
          ws.push_back(body.sxtb16(body.rotateRight8(word)));
        }
      }
      Value sum = sums[channel];
      for (auto [x, w] : llvm::zip_equal(xs, ws))
        sum = body.smlad(x, w, sum);
      results.push_back(sum);
    }
    return results;
  };
  // One run: its steps in a loop, or inline when there is one.
  auto accumulateRun = [&](OpBuilder &b, Location runLoc, Value segment,
                           ValueRange sums) -> SmallVector<Value> {
    DspBuilder run(b, runLoc);
    if (stepsPerRun == 1)
      return accumulateStep(b, runLoc, segment, run.index(0), sums);
    scf::ForOp loop = createUnrolledLoop(
        b, runLoc, stepsPerRun, unrollFactor(stepsPerRun), sums,
        [&](OpBuilder &lb, Location bodyLoc, Value step, ValueRange args) {
          return accumulateStep(lb, bodyLoc, segment, step, args);
        });
    keepRolled(loop);
    return loop.getResults();
  };
  // The sums start from the bias, except scaled int4 ones and those
  // requantized in vectors, which add it as a vector (a load and an add per
  // 4 channels instead of a load each). Tiles of 4 or 8 channels start at
  // a multiple of 4; single channels anywhere.
  bool aligned = channels % kChannelTile == 0;
  bool vectorBias = requantizeVectors && aligned;
  SmallVector<Value> biases, initial;
  for (int64_t channel = 0; channel < channels; ++channel) {
    if (vectorBias) {
      initial.push_back(dsp.constant(0));
      continue;
    }
    biases.push_back(requantize.bias(builder, loc, first, channel, aligned));
    initial.push_back(getProductScale(layout) > 1 ? dsp.constant(0)
                                                  : biases.back());
  }
  SmallVector<Value> sums;
  if (runs.segments == 1) {
    sums = accumulateRun(builder, loc, dsp.index(0), initial);
  } else {
    // Runs of one step go two per iteration too, as the steps of longer
    // runs do.
    scf::ForOp loop = createUnrolledLoop(
        builder, loc, runs.segments,
        stepsPerRun == 1 ? unrollFactor(runs.segments) : 1, initial,
        [&](OpBuilder &b, Location bodyLoc, Value segment, ValueRange args) {
          return accumulateRun(b, bodyLoc, segment, args);
        });
    if (stepsPerRun == 1)
      keepRolled(loop);
    sums = loop.getResults();
  }
  // int4 products were 16 or 4096 times too large, exactly; doubled sums
  // keep one factor of 2 (the bias table is doubled too).
  int64_t scale = getProductScale(layout);
  auto finish = [&](Value sum, size_t channel) -> Value {
    if (scale == 1)
      return sum;
    int64_t shift = llvm::Log2_64(scale) - requantize.takesDoubledSums();
    return dsp.add(dsp.ashr(sum, dsp.constant(shift)), biases[channel]);
  };
  if (vectorBias) {
    // Vectors of 4 channels (Helium sums are not scaled).
    assert(scale == 1 && "scaled sums in a Helium tile");
    for (int64_t part = 0; part < channels; part += kChannelTile) {
      Value partFirst = addIndex(builder, loc, first, part);
      Value partSums = vector::FromElementsOp::create(
          builder, loc, VectorType::get({kChannelTile}, builder.getI32Type()),
          ArrayRef(sums).slice(part, kChannelTile));
      Value acc =
          arith::AddIOp::create(builder, loc, partSums,
                                requantize.biasVector(builder, loc, partFirst));
      outputs = requantize.requantizeVector(builder, loc, acc, partFirst,
                                            outputRow, outputs);
    }
    return outputs;
  }
  return storeRequantized(builder, loc, requantize, sums, first, aligned,
                          outputRow, outputs, finish);
}

/// Whether int4 sums over \p depth products (|w| <= 8, |x| <= 128), each
/// \p scale times too large, fit in int32.
bool scaledInt4SumsFit(int64_t depth, int64_t scale) {
  return depth * 8 * 128 * scale <= INT32_MAX;
}

/// Whether the DSP kernel takes a reduction of \p depth over \p bits-bit
/// weights in runs of \p runDepth: runs of whole steps, and for int4 sums
/// 16 times too large that still fit in int32.
bool isDspReduction(int64_t runDepth, int64_t depth, unsigned bits) {
  if (bits == 8)
    return runDepth % 4 == 0;
  return bits == 4 && runDepth % 8 == 0 &&
         scaledInt4SumsFit(depth, getProductScale(WordLayout::Int4));
}

/// The input runs of an output row.
using RowRuns = function_ref<InputRuns(OpBuilder &, Location, Value row)>;

/// out[r, n] = requantize(bias[n] + sum_k input_r[k] * weights[n, k]) for
/// \p rows rows with the DSP kernel, where \p runsOf gives the runs of
/// input_r and the weights of \p layer are [outputs, depth] row-major.
Value computeWithDsp(OpBuilder &builder, Location loc, const DspLayer &layer,
                     int64_t rows, int64_t outputs, int64_t depth,
                     RowRuns runsOf) {
  WordLayout layout = layer.layout;
  DspBuilder dsp(builder, loc);
  // The right-shift form doubles each sum; halfword weights and scaled
  // int4 sums give doubled sums for free (2w fits the halves; the int4
  // scale is shifted out one bit less), with the bias doubled.
  bool doubleSums = layer.rightShiftOnly && (layout == WordLayout::Int16 ||
                                             getProductScale(layout) > 1);
  ChannelRequantizer requantize(
      builder, loc, layer,
      {doubleSums, /*holdsBias=*/true,
       /*interleaved=*/layout != WordLayout::MveBytes});
  // Helium tiles requantize in vectors of 4 channels. Reductions of up to
  // kMaxWideSteps steps take tiles twice as wide, their steps unrolled:
  // per step one input load for 8 channels' weight loads and vmlava, the 8
  // accumulators in registers, the loads' addresses post-incremented
  // (tinyq-chain-mve-loads). Rolled, the 8 accumulators, pointers and loop
  // counter left LLVM shuffling registers or spilling (640 deep: 22
  // instructions per step, 17 unrolled). Longer ones keep tiles of 4 in a
  // loop: 68 bytes of code per unrolled step.
  constexpr int64_t kMaxWideSteps = 64;
  bool requantizeVectors =
      layout == WordLayout::MveBytes && requantize.takesVectors();
  int64_t wideTile = requantizeVectors && depth / kMveBytes <= kMaxWideSteps
                         ? 2 * kChannelTile
                         : kChannelTile;
  // Full tiles of wideTile channels, then of kChannelTile, then the rest
  // one at a time; each tile's words follow the previous tile's, so
  // channel c's tile starts at word c * wordsPerChannel.
  ChannelTiling tiling(outputs, wideTile);
  int64_t wideTiled = tiling.wideEnd, tiled = tiling.tiledEnd;
  if (layout == WordLayout::MveBytes)
    ++NumHeliumLayers;
  else
    ++NumDspLayers;
  if (layout == WordLayout::Int8)
    ++NumByteWeightLayers;
  if (layout == WordLayout::MveBytes && layer.bits == 4)
    ++NumInt4ByteLayers;
  LLVM_DEBUG(llvm::dbgs() << "[" DEBUG_TYPE "]   dense kernel, "
                          << getWordLayoutName(layout) << " words: " << rows
                          << " rows; " << outputs << " channels in "
                          << wideTiled / wideTile << " tiles of " << wideTile
                          << ", " << (tiled - wideTiled) / kChannelTile
                          << " of " << kChannelTile << ", " << outputs - tiled
                          << " single; "
                          << (layer.rightShiftOnly ? "right-shift" : "general")
                          << " requantization"
                          << (requantizeVectors ? " in vectors" : "")
                          << (doubleSums ? ", doubled sums" : "") << "\n");
  int64_t wordsPerChannel =
      depth / getWeightsPerStep(layout) * getWordsPerStep(layout);
  Value wordsConstant =
      dsp.wordTable(packTiledWeightWords(layer.weights, depth, tiling, layout,
                                         /*factor=*/doubleSums ? 2 : 1));

  Value init = tensor::EmptyOp::create(
      builder, loc, ArrayRef<int64_t>{rows, outputs}, layer.outputElementType);
  return dsp
      .forLoop(
          0, rows, 1, ValueRange{init},
          [&](OpBuilder &b, Location rowLoc, Value row, ValueRange rowArgs) {
            DspBuilder rowDsp(b, rowLoc);
            InputRuns runs = runsOf(b, rowLoc, row);
            auto tileLoop = [&](Value out, int64_t begin, int64_t end,
                                int64_t width) -> Value {
              if (begin == end)
                return out;
              return rowDsp
                  .forLoop(
                      begin, end, width, ValueRange{out},
                      [&](OpBuilder &tb, Location tileLoc, Value first,
                          ValueRange tileArgs) {
                        Value wordBase = arith::MulIOp::create(
                            tb, tileLoc, first,
                            DspBuilder(tb, tileLoc).index(wordsPerChannel));
                        scf::YieldOp::create(
                            tb, tileLoc,
                            computeTile(tb, tileLoc, runs, row, wordsConstant,
                                        wordBase, first, width, layout,
                                        requantize, requantizeVectors,
                                        tileArgs[0]));
                      })
                  .getResult(0);
            };
            Value out = tileLoop(rowArgs[0], 0, wideTiled, wideTile);
            out = tileLoop(out, wideTiled, tiled, kChannelTile);
            out = tileLoop(out, tiled, outputs, 1);
            scf::YieldOp::create(b, rowLoc, out);
          })
      .getResult(0);
}

/// out[r, n] for a layer whose input rows are whole rows of \p input
/// ([rows, depth] int8, zero point \p inputZeroPoint): zero activations
/// skipped when asked to, 2:4-sparse weights multiplied where they apply,
/// else the dense kernel.
Value computeWholeRows(OpBuilder &builder, Location loc, const DspLayer &layer,
                       Value input, int32_t inputZeroPoint,
                       const ArmKernelOptions &options) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rows = type.getDimSize(0), depth = type.getDimSize(1);
  int64_t outputs = int64_t(layer.weights.size()) / depth;
  if (skipsZeroActivations(layer, depth, options)) {
    ++NumSkipZeroLayers;
    LLVM_DEBUG(llvm::dbgs()
               << "[" DEBUG_TYPE "]   skip-zero kernel: " << rows << " rows of "
               << depth << ", " << outputs << " channels\n");
    return computeSkippingZeros(builder, loc, layer, input, inputZeroPoint,
                                rows, outputs, depth);
  }
  if (takesTwoOfFour(layer, depth, options)) {
    ++NumTwoOfFourLayers;
    LLVM_DEBUG(llvm::dbgs()
               << "[" DEBUG_TYPE "]   2:4 kernel: " << rows << " rows of "
               << depth << ", " << outputs << " channels\n");
    return computeWithTwoOfFour(builder, loc, layer, input, rows, outputs,
                                depth);
  }
  LLVM_DEBUG({
    if (options.skipZeroActivations)
      llvm::dbgs() << "[" DEBUG_TYPE "]   no zero skipping: "
                   << (layer.layout == WordLayout::MveBytes
                           ? "Helium dot products apply"
                           : "depth over 2^16")
                   << "\n";
    if (options.twoOfFourWeights && layer.layout != WordLayout::MveBytes &&
        layer.bits == 8)
      llvm::dbgs() << "[" DEBUG_TYPE "]   no 2:4 kernel: "
                   << (isTwoOfFourSparse(layer.weights, depth)
                           ? "its stream is over unpacked-weights-limit"
                           : "weights not 2:4 sparse")
                   << "\n";
  });
  return computeWithDsp(builder, loc, layer, rows, outputs, depth,
                        [&](OpBuilder &b, Location rowLoc, Value row) {
                          return InputRuns::wholeRow(b, rowLoc, input, row,
                                                     depth);
                        });
}

/// The DspLayer of a fully connected layer or convolution \p op, whose
/// channels reduce their values in runs of \p runDepth, or why the dense
/// kernels do not take it: SPARQ, an input that is not int8, runs of
/// partial words, weights or bias that are not constants.
FailureOr<DspLayer> getDenseDspLayer(IntegerLayerOpInterface op,
                                     PatternRewriter &rewriter,
                                     int64_t runDepth,
                                     const ArmKernelOptions &options) {
  auto leave = [&](const char *reason) {
    LLVM_DEBUG(debugLayer(op) << reason << "\n");
    return rewriter.notifyMatchFailure(op, reason);
  };
  if (op.getSparqAttr())
    return leave("SPARQ takes the generic path");
  unsigned bits = op.getWeights().getType().getElementTypeBitWidth();
  int64_t depth = op.getReductionDepth();
  if (op.getInput().getType().getElementTypeBitWidth() != 8)
    return leave("not an int8 input");
  if (!isDspReduction(runDepth, depth, bits))
    return leave(bits == 8 ? "int8 runs not whole words of 4"
                 : bits == 4
                     ? "int4 runs not whole words of 8, or sums over int32"
                     : "weights neither int8 nor int4");
  // Helium: whole vectors of 16 weights per step, int4 ones as bytes.
  // Else int4: sums 4096 times too large when they fit, else 16 times.
  WordLayout layout =
      scaledInt4SumsFit(depth, getProductScale(WordLayout::Int4Halves))
          ? WordLayout::Int4Halves
          : WordLayout::Int4;
  if (bits == 8)
    layout = op.getWeights().getType().getNumElements() * 2 <=
                     options.unpackedWeightsLimit
                 ? WordLayout::Int16
                 : WordLayout::Int8;
  if (options.mve && runDepth % kMveBytes == 0)
    layout = WordLayout::MveBytes;
  LLVM_DEBUG({
    debugLayer(op) << "int" << bits << " weights, runs of " << runDepth
                   << " in a depth of " << depth << ": "
                   << getWordLayoutName(layout) << " words (";
    if (layout == WordLayout::MveBytes)
      llvm::dbgs() << "runs of whole 16-byte vectors";
    else if (options.mve)
      llvm::dbgs() << "runs not whole 16-byte vectors; ";
    if (layout == WordLayout::Int16 || layout == WordLayout::Int8)
      llvm::dbgs() << op.getWeights().getType().getNumElements() * 2
                   << " bytes as int16, unpacked-weights-limit "
                   << options.unpackedWeightsLimit;
    else if (layout == WordLayout::Int4Halves)
      llvm::dbgs() << "sums 4096 times too large fit in int32";
    else if (layout == WordLayout::Int4)
      llvm::dbgs() << "sums 4096 times too large would not fit in int32";
    llvm::dbgs() << ")\n";
  });
  return buildDspLayer(op, rewriter, layout);
}

/// tinyq.fully_connected with constant int8 or int4 weights over whole
/// words -> DSP accumulation into the bias (zero-point term folded in),
/// requantized as each tile ends.
struct LowerFullyConnectedToDsp : OpRewritePattern<FullyConnectedOp> {
  LowerFullyConnectedToDsp(MLIRContext *context, ArmKernelOptions options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(FullyConnectedOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<DspLayer> layer = getDenseDspLayer(
        op, rewriter, /*runDepth=*/op.getReductionDepth(), options);
    if (failed(layer))
      return failure();
    rewriter.replaceOp(op, computeWholeRows(rewriter, op.getLoc(), *layer,
                                            op.getInput(),
                                            op.getInputZeroPoint(), options));
    return success();
  }

  ArmKernelOptions options;
};

/// tinyq.conv2d with constant weights whose kernel rows are whole words
/// (KW * C a multiple of 4 for int8, 8 for int4) and no dilation -> the
/// DSP kernel over the output pixels. Each pixel's window is KH runs of
/// KW * C contiguous bytes of the input, padded with its zero point (so
/// the folded zero-point term holds at the borders) and viewed as
/// [N * H, W * C]. A pointwise layer with stride 1 and no padding is a
/// fully connected layer over [N * H * W, C]: one run per pixel, no index
/// arithmetic.
struct LowerConvolutionToDsp : OpRewritePattern<Conv2DOp> {
  LowerConvolutionToDsp(MLIRContext *context, ArmKernelOptions options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto weightsType = op.getWeights().getType();
    auto outputType = op.getOutput().getType();
    int64_t outputs = weightsType.getDimSize(0),
            kernelHeight = weightsType.getDimSize(1),
            kernelWidth = weightsType.getDimSize(2),
            channels = weightsType.getDimSize(3);
    if (!llvm::all_of(op.getDilation(), [](int64_t d) { return d == 1; })) {
      LLVM_DEBUG(debugLayer(op) << "dilated\n");
      return rewriter.notifyMatchFailure(op, "dilated");
    }
    int64_t runDepth = kernelWidth * channels;
    int64_t depth = kernelHeight * runDepth;
    FailureOr<DspLayer> layer =
        getDenseDspLayer(op, rewriter, runDepth, options);
    if (failed(layer))
      return failure();
    Location loc = op.getLoc();
    int64_t batch = outputType.getDimSize(0),
            outputHeight = outputType.getDimSize(1),
            outputWidth = outputType.getDimSize(2);
    int64_t rows = batch * outputHeight * outputWidth;
    SmallVector<ReassociationIndices> pixelsAndChannels = {{0, 1, 2}, {3}};
    bool pointwise =
        kernelHeight == 1 && kernelWidth == 1 &&
        llvm::all_of(op.getStride(), [](int64_t s) { return s == 1; }) &&
        llvm::all_of(op.getPad(), [](int64_t p) { return p == 0; });
    Value out;
    if (pointwise) {
      out =
          computeWholeRows(rewriter, loc, *layer,
                           tensor::CollapseShapeOp::create(
                               rewriter, loc, op.getInput(), pixelsAndChannels),
                           op.getInputZeroPoint(), options);
    } else {
      Value padded = padByWords(rewriter, loc, op.getInput(), op.getPad(),
                                op.getInputZeroPoint());
      int64_t paddedHeight =
          cast<RankedTensorType>(padded.getType()).getDimSize(1);
      SmallVector<ReassociationIndices> rowsAndBytes = {{0, 1}, {2, 3}};
      Value image =
          tensor::CollapseShapeOp::create(rewriter, loc, padded, rowsAndBytes);
      int64_t strideY = op.getStride()[0], strideX = op.getStride()[1];
      out = computeWithDsp(
          rewriter, loc, *layer, rows, outputs, depth,
          [&](OpBuilder &b, Location rowLoc, Value row) {
            DspBuilder dsp(b, rowLoc);
            auto mul = [&](Value x, int64_t c) -> Value {
              return arith::MulIOp::create(b, rowLoc, x, dsp.index(c));
            };
            int64_t pixels = outputHeight * outputWidth;
            Value n = arith::DivUIOp::create(b, rowLoc, row, dsp.index(pixels));
            Value pixel =
                arith::RemUIOp::create(b, rowLoc, row, dsp.index(pixels));
            Value y = arith::DivUIOp::create(b, rowLoc, pixel,
                                             dsp.index(outputWidth));
            Value x = arith::RemUIOp::create(b, rowLoc, pixel,
                                             dsp.index(outputWidth));
            Value imageRow = mul(n, paddedHeight);
            Value rowBase =
                arith::AddIOp::create(b, rowLoc, imageRow, mul(y, strideY));
            return InputRuns{image, rowBase, mul(x, strideX * channels),
                             kernelHeight, runDepth};
          });
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outputType, out,
                                                       pixelsAndChannels);
    return success();
  }

  ArmKernelOptions options;
};
} // namespace

void tinyq::cortexm::populateDensePatterns(RewritePatternSet &patterns,
                                           const ArmKernelOptions &options) {
  patterns.add<LowerFullyConnectedToDsp, LowerConvolutionToDsp>(
      patterns.getContext(), options);
}
