//===- CortexMBuilder.h - Building the Cortex-M kernels ---------*- C++ -*-===//
//
// 32-bit scalar code with the Arm DSP and Helium intrinsics, the index
// arithmetic and loops the kernels are made of, and the zero-point padding
// of their inputs.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_TARGET_CORTEXM_CORTEXMBUILDER_H
#define TINYQ_LIB_TARGET_CORTEXM_CORTEXMBUILDER_H

#include "tinyq/Conversion/TinyQToLinalg/IntegerLowering.h"
#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace tinyq::cortexm {

// The MLIR and LLVM names the kernels are written with, as upstream MLIR's
// Support/LLVM.h brings LLVM's into its namespace.
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::SmallVectorImpl;
using llvm::StringRef;
using mlir::DenseElementsAttr;
using mlir::FailureOr;
using mlir::function_ref;
using mlir::Location;
using mlir::MLIRContext;
using mlir::OpBuilder;
using mlir::PatternRewriter;
using mlir::RankedTensorType;
using mlir::Type;
using mlir::Value;
using mlir::ValueRange;
using mlir::VectorType;
namespace arith = mlir::arith;
namespace LLVM = mlir::LLVM;
namespace scf = mlir::scf;
namespace tensor = mlir::tensor;
namespace vector = mlir::vector;

/// 32-bit scalar code with the DSP intrinsics.
class DspBuilder : public Int32Builder {
public:
  using Int32Builder::Int32Builder;

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  /// scf.for over [\p begin, \p end) in steps of \p step (bounds created
  /// in that order).
  scf::ForOp
  forLoop(int64_t begin, int64_t end, int64_t step, ValueRange initial,
          function_ref<void(OpBuilder &, Location, Value, ValueRange)> body) {
    Value lower = index(begin);
    Value upper = index(end);
    Value stride = index(step);
    return scf::ForOp::create(b, loc, lower, upper, stride, initial, body);
  }
  /// Bytes 0 and 2 of \p x, sign-extended to the two halfwords.
  Value sxtb16(Value x) { return Sxtb16Op::create(b, loc, b.getI32Type(), x); }
  /// \p acc + lo(a) * lo(b) + hi(a) * hi(b), halfwords signed.
  Value smlad(Value a, Value bb, Value acc) {
    return SmladOp::create(b, loc, b.getI32Type(), a, bb, acc);
  }
  /// A constant tensor of the 32-bit words \p values.
  Value wordTable(ArrayRef<int32_t> values) {
    auto type = RankedTensorType::get({int64_t(values.size())}, b.getI32Type());
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, values));
  }
  /// \p acc + the sum of the products of the signed bytes of \p a and \p b
  /// (vector<16xi8>): Helium's vmlava.s8.
  Value dotProductAccumulate(Value a, Value x, Value acc) {
    return VmldavaOp::create(b, loc, b.getI32Type(), /*is_unsigned=*/0,
                             /*subtract=*/0,
                             /*exchange=*/0, acc, a, x);
  }
  /// \p acc + lo(a) * lo(b), halfwords signed.
  Value smlabb(Value a, Value bb, Value acc) {
    return SmlabbOp::create(b, loc, b.getI32Type(), a, bb, acc);
  }
  /// \p acc + hi(a) * hi(b), halfwords signed.
  Value smlatt(Value a, Value bb, Value acc) {
    return SmlattOp::create(b, loc, b.getI32Type(), a, bb, acc);
  }
  /// \p acc + hi(a) * lo(b), halfwords signed.
  Value smlatb(Value a, Value bb, Value acc) {
    return SmlatbOp::create(b, loc, b.getI32Type(), a, bb, acc);
  }
  /// \p x rotated right by 8 bits (LLVM folds it into sxtb16's rotation).
  Value rotateRight8(Value x) {
    Value low = lshr(x, constant(8));
    return bitOr(low, shl(x, constant(24)));
  }

  /// The word of bytes `input[row, k .. k+3]` (little-endian), as four
  /// byte reads that LLVM combines into one (unaligned) word load.
  Value loadWord(Value input, Value row, Value k) {
    Value word;
    for (int64_t i = 0; i < 4; ++i) {
      Value byte = tensor::ExtractOp::create(
          b, loc, input,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))});
      Value wide = arith::ExtUIOp::create(b, loc, b.getI32Type(), byte);
      Value part = shl(wide, constant(8 * i));
      word = word ? bitOr(word, part) : part;
    }
    return word;
  }

  /// The vector of \p count bytes `input[row, k .. k + count)`, as byte
  /// reads tinyq-combine-byte-accesses turns into one vector load.
  Value loadVector(Value input, Value row, Value k, int64_t count) {
    SmallVector<Value> bytes;
    for (int64_t i = 0; i < count; ++i)
      bytes.push_back(tensor::ExtractOp::create(
          b, loc, input,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))}));
    return vector::FromElementsOp::create(
        b, loc, VectorType::get({count}, b.getI8Type()), bytes);
  }

  /// \p output with bytes [row, k .. k+3] set to those of \p word, as
  /// four byte writes that LLVM combines into one word store.
  Value storeWord(Value word, Value output, Value row, Value k) {
    for (int64_t i = 0; i < 4; ++i) {
      Value byte = arith::TruncIOp::create(b, loc, b.getI8Type(),
                                           lshr(word, constant(8 * i)));
      output = tensor::InsertOp::create(
          b, loc, byte, output,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))});
    }
    return output;
  }
};

/// \p x + \p c for an index \p x (\p x itself for 0).
Value addIndex(OpBuilder &b, Location loc, Value x, int64_t c);

/// \p x * \p c for an index \p x.
Value mulIndex(OpBuilder &b, Location loc, Value x, int64_t c);

/// Asks LLVM not to unroll \p loop: the body already holds a register tile,
/// and unrolled copies run out of the core's 13 registers and spill.
void keepRolled(scf::ForOp loop);

/// scf.for over [0, trips) in steps of \p unroll whose body runs \p body
/// (the induction value and the carried values -> the new ones) for the
/// \p unroll consecutive indices in turn.
scf::ForOp createUnrolledLoop(
    OpBuilder &builder, Location loc, int64_t trips, int64_t unroll,
    ValueRange initial,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
        body);

/// scf.for over [0, \p count) carrying one value, \p body giving the next.
Value createCarriedLoop(
    OpBuilder &builder, Location loc, int64_t count, Value carried,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body);

/// A tensor of \p shape and \p elementType filled with \p zeroPoint.
Value createZeroPointFill(OpBuilder &builder, Location loc,
                          ArrayRef<int64_t> shape, Type elementType,
                          int32_t zeroPoint);

/// padWithZeroPoint for the DSP kernels: the padded image filled with the
/// zero point, then the input's rows copied in a word at a time (a byte
/// loop otherwise). Falls back to padWithZeroPoint when a row is not whole
/// words.
Value padByWords(OpBuilder &builder, Location loc, Value input,
                 ArrayRef<int64_t> pad, int32_t zeroPoint);

} // namespace tinyq::cortexm

#endif // TINYQ_LIB_TARGET_CORTEXM_CORTEXMBUILDER_H
