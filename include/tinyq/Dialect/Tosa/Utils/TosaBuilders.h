//===- TosaBuilders.h - Building TOSA from model operators ------*- C++ -*-===//
//
// Helpers shared by the ONNX and TFLite conversions and the Q/DQ fusion:
// constants, reshapes, layout transposes, and the sliding-window arithmetic
// that fits a model's padding to TOSA's exact-stride rule.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TOSA_UTILS_TOSABUILDERS_H
#define TINYQ_DIALECT_TOSA_UTILS_TOSABUILDERS_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace tinyq {

/// tosa.const holding \p value.
mlir::Value createConst(mlir::OpBuilder &builder, mlir::Location loc,
                        mlir::DenseElementsAttr value);
/// A float32 constant of \p rank ones-dimensions holding \p value, to be
/// broadcast against a tensor of that rank.
mlir::Value createScalar(mlir::OpBuilder &builder, mlir::Location loc,
                         float value, int64_t rank);
/// The zero-point operand TOSA ops take for float tensors of \p elementType.
mlir::Value createZeroPoint(mlir::OpBuilder &builder, mlir::Location loc,
                            mlir::Type elementType);
/// tosa.const_shape holding \p shape.
mlir::Value createConstShape(mlir::OpBuilder &builder, mlir::Location loc,
                             llvm::ArrayRef<int64_t> shape);
/// tosa.reshape of \p value to \p shape.
mlir::Value createReshape(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value value, llvm::ArrayRef<int64_t> shape);
/// tosa.transpose of \p value with \p perms (output dim i = input perms[i]).
mlir::Value createTranspose(mlir::OpBuilder &builder, mlir::Location loc,
                            mlir::Value value, llvm::ArrayRef<int32_t> perms);
/// tosa.mul with a zero shift.
mlir::Value createMul(mlir::OpBuilder &builder, mlir::Location loc,
                      mlir::Type resultType, mlir::Value lhs, mlir::Value rhs);
/// tosa.clamp of a float tensor to [\p min, \p max].
mlir::Value createClamp(mlir::OpBuilder &builder, mlir::Location loc,
                        mlir::RankedTensorType type, mlir::Value input,
                        float min, float max);
/// exp(x - max(x)) * 1 / sum(exp(x - max(x))) along \p axis.
mlir::Value createSoftmax(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value x, int64_t axis);
/// Reshapes \p value to \p rank by adding leading ones (numpy broadcasting).
mlir::Value broadcastToRank(mlir::OpBuilder &builder, mlir::Location loc,
                            mlir::Value value, int64_t rank);

/// Permutations between ONNX's NCHW and TOSA's NHWC.
inline constexpr int32_t kNchwToNhwc[] = {0, 2, 3, 1};
inline constexpr int32_t kNhwcToNchw[] = {0, 3, 1, 2};

/// \p shape permuted: result[i] = shape[perms[i]].
llvm::SmallVector<int64_t> permuteShape(llvm::ArrayRef<int64_t> shape,
                                        llvm::ArrayRef<int32_t> perms);

/// Normalizes a possibly negative \p axis for \p rank; nullopt when out of
/// range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The sliding window of a 2-D convolution or pooling over an H x W input.
struct SpatialWindow {
  llvm::SmallVector<int64_t, 2> kernel, strides, dilations;
  /// TOSA order: top, bottom, left, right.
  llvm::SmallVector<int64_t, 4> pad;
  /// Rows and columns to drop from the end of the input: TOSA needs the
  /// padded extent to fit the strides exactly, and under ONNX's floor rule
  /// these trailing positions are never read.
  llvm::SmallVector<int64_t, 2> crop;
  llvm::SmallVector<int64_t, 2> output;
};

/// The window of a 2-D operator over an H x W input with \p kernel,
/// \p strides, \p dilations and \p pads (ONNX order: h_begin, w_begin,
/// h_end, w_end). With \p ceilMode, output sizes round up (the extra end
/// padding is never counted). On failure, \p error says why.
std::optional<SpatialWindow> computeSpatialWindow(
    llvm::ArrayRef<int64_t> inputHW, llvm::ArrayRef<int64_t> kernel,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations,
    llvm::ArrayRef<int64_t> pads, bool ceilMode, std::string &error);

/// Drops window.crop rows and columns from the end of an NHWC \p value.
mlir::Value cropNhwc(mlir::OpBuilder &builder, mlir::Location loc,
                     mlir::Value value, const SpatialWindow &window);

/// "SAME" padding for an H x W input: outputs ceil(in / stride), the total
/// padding split with the odd one at the end (\p extraAtEnd) or the
/// beginning. Returns ONNX order: h_begin, w_begin, h_end, w_end.
llvm::SmallVector<int64_t, 4> computeSamePads(llvm::ArrayRef<int64_t> inputHW,
                                              llvm::ArrayRef<int64_t> kernel,
                                              llvm::ArrayRef<int64_t> strides,
                                              llvm::ArrayRef<int64_t> dilations,
                                              bool extraAtEnd);

} // namespace tinyq

#endif // TINYQ_DIALECT_TOSA_UTILS_TOSABUILDERS_H
