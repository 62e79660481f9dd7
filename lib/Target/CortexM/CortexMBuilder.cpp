//===- CortexMBuilder.cpp - Building the Cortex-M kernels -----------------===//

#include "CortexMBuilder.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::cortexm;

Value tinyq::cortexm::addIndex(OpBuilder &b, Location loc, Value x, int64_t c) {
  if (c == 0)
    return x;
  return arith::AddIOp::create(b, loc, x,
                               arith::ConstantIndexOp::create(b, loc, c));
}

Value tinyq::cortexm::mulIndex(OpBuilder &b, Location loc, Value x, int64_t c) {
  return arith::MulIOp::create(b, loc, x,
                               arith::ConstantIndexOp::create(b, loc, c));
}

void tinyq::cortexm::keepRolled(scf::ForOp loop) {
  MLIRContext *context = loop.getContext();
  auto unroll = LLVM::LoopUnrollAttr::get(
      context, /*disable=*/BoolAttr::get(context, true), /*count=*/{},
      /*runtimeDisable=*/{}, /*full=*/{}, /*followupUnrolled=*/{},
      /*followupRemainder=*/{}, /*followupAll=*/{});
  loop->setAttr("loop_annotation",
                LLVM::LoopAnnotationAttr::get(
                    context, /*disableNonforced=*/{}, /*vectorize=*/{},
                    /*interleave=*/{}, unroll, /*unrollAndJam=*/{},
                    /*licm=*/{}, /*distribute=*/{}, /*pipeline=*/{},
                    /*peeled=*/{}, /*unswitch=*/{}, /*mustProgress=*/{},
                    /*isVectorized=*/{}, /*startLoc=*/{}, /*endLoc=*/{},
                    /*parallelAccesses=*/{}));
}

scf::ForOp tinyq::cortexm::createUnrolledLoop(
    OpBuilder &builder, Location loc, int64_t trips, int64_t unroll,
    ValueRange initial,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
        body) {
  DspBuilder dsp(builder, loc);
  return dsp.forLoop(
      0, trips, unroll, initial,
      [&](OpBuilder &b, Location bodyLoc, Value iv, ValueRange args) {
        SmallVector<Value> values(args);
        for (int64_t next = 0; next < unroll; ++next)
          values = body(b, bodyLoc,
                        arith::AddIOp::create(
                            b, bodyLoc, iv, DspBuilder(b, bodyLoc).index(next)),
                        values);
        scf::YieldOp::create(b, bodyLoc, values);
      });
}

Value tinyq::cortexm::createCarriedLoop(
    OpBuilder &builder, Location loc, int64_t count, Value carried,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  return createUnrolledLoop(builder, loc, count, /*unroll=*/1, carried,
                            [&](OpBuilder &b, Location l, Value iv,
                                ValueRange args) -> SmallVector<Value> {
                              return {body(b, l, iv, args[0])};
                            })
      .getResult(0);
}

Value tinyq::cortexm::createZeroPointFill(OpBuilder &builder, Location loc,
                                          ArrayRef<int64_t> shape,
                                          Type elementType, int32_t zeroPoint) {
  Value value =
      arith::ConstantIntOp::create(builder, loc, elementType, zeroPoint);
  Value empty = tensor::EmptyOp::create(builder, loc, shape, elementType);
  return linalg::FillOp::create(builder, loc, ValueRange{value},
                                ValueRange{empty})
      .getResult(0);
}

Value tinyq::cortexm::padByWords(OpBuilder &builder, Location loc, Value input,
                                 ArrayRef<int64_t> pad, int32_t zeroPoint) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t batch = type.getDimSize(0), height = type.getDimSize(1),
          width = type.getDimSize(2), channels = type.getDimSize(3);
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }) ||
      (width * channels) % 4 != 0)
    return padWithZeroPoint(builder, loc, input, pad, zeroPoint);
  DspBuilder dsp(builder, loc);
  int64_t paddedHeight = height + pad[0] + pad[1],
          paddedWidth = width + pad[2] + pad[3];
  auto paddedType = RankedTensorType::get(
      {batch, paddedHeight, paddedWidth, channels}, type.getElementType());
  Value filled = createZeroPointFill(builder, loc, paddedType.getShape(),
                                     type.getElementType(), zeroPoint);
  SmallVector<ReassociationIndices> rowsAndBytes = {{0, 1}, {2, 3}};
  Value rows =
      tensor::CollapseShapeOp::create(builder, loc, input, rowsAndBytes);
  Value paddedRows =
      tensor::CollapseShapeOp::create(builder, loc, filled, rowsAndBytes);
  Value copied =
      dsp.forLoop(
             0, batch * height, 1, ValueRange{paddedRows},
             [&](OpBuilder &b, Location rowLoc, Value row, ValueRange rowArgs) {
               DspBuilder rowDsp(b, rowLoc);
               // Input row n * H + y lands in padded row n * Hp + top + y.
               Value n =
                   arith::DivUIOp::create(b, rowLoc, row, rowDsp.index(height));
               Value imageStart = arith::MulIOp::create(
                   b, rowLoc, n, rowDsp.index(pad[0] + pad[1]));
               Value offset = arith::AddIOp::create(b, rowLoc, imageStart,
                                                    rowDsp.index(pad[0]));
               Value target = arith::AddIOp::create(b, rowLoc, row, offset);
               Value left = rowDsp.index(pad[2] * channels);
               // Up to 4 words per iteration: the loop's own instructions
               // were 5 of the 7 a word took on the M4.
               int64_t words = width * channels / 4;
               int64_t unroll = words % 4 == 0 ? 4 : words % 2 == 0 ? 2 : 1;
               auto loop = createUnrolledLoop(
                   b, rowLoc, words, unroll, rowArgs,
                   [&](OpBuilder &wb, Location wordLoc, Value wordIndex,
                       ValueRange wordArgs) -> SmallVector<Value> {
                     DspBuilder wordDsp(wb, wordLoc);
                     Value k = arith::MulIOp::create(wb, wordLoc, wordIndex,
                                                     wordDsp.index(4));
                     Value word = wordDsp.loadWord(rows, row, k);
                     return {wordDsp.storeWord(
                         word, wordArgs[0], target,
                         arith::AddIOp::create(wb, wordLoc, left, k))};
                   });
               scf::YieldOp::create(b, rowLoc, loop.getResults());
             })
          .getResult(0);
  return tensor::ExpandShapeOp::create(builder, loc, paddedType, copied,
                                       rowsAndBytes);
}
