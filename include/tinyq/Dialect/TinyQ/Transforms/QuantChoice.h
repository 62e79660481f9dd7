//===- QuantChoice.h - Quantized types of activations, weights -*- C++ -*-===//
//
// The choices the quantization passes share: which operand of a layer holds
// its constant weights, and the quantized types (from the numerics library's
// parameter choice) of calibrated activations and of weights.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQ_TRANSFORMS_QUANTCHOICE_H
#define TINYQ_DIALECT_TINYQ_TRANSFORMS_QUANTCHOICE_H

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include <optional>
#include <vector>

namespace tinyq {

/// The precision assignment's sensitivity score of each of \p layers (lower
/// is more sensitive): the sum of its rank by the \p lowBits candidate's
/// weight SQNR and its rank by its own activation loss (the SQNR drop
/// across the layer, largest first) when every layer records one, else by
/// the candidate's output activation SQNR. Fails, naming the layer, when a
/// record or its \p lowBits candidate is missing.
mlir::FailureOr<std::vector<double>>
getSensitivityScores(llvm::ArrayRef<mlir::Operation *> layers,
                     unsigned lowBits);

/// The single-layer baseline's score of each of \p layers: its
/// kSingleLayerSqnrAttrName (lower is more sensitive). Fails, naming the
/// layer, when one has none.
mlir::FailureOr<std::vector<double>>
getSingleLayerScores(llvm::ArrayRef<mlir::Operation *> layers);

/// The constant float32 weights of a conv2d (per channel along axis 0 of
/// OHWI), depthwise_conv2d (axis 2 of [KH, KW, C, 1]; per tensor with a
/// channel multiplier above 1) or matmul (axis 2 of [1, K, N]).
struct QuantizableWeights {
  mlir::OpOperand *operand;
  mlir::DenseFPElementsAttr values;
  /// The per-channel axis; none for per-tensor quantization.
  std::optional<unsigned> axis;
};
std::optional<QuantizableWeights> getQuantizableWeights(mlir::Operation *op,
                                                        bool perTensor);

/// The calibration point \p layer reads as its input (through reshapes,
/// transposes and max pooling, which keep its quantization), if any.
ObserveOp findInputObserver(mlir::Operation *layer);

/// Whether \p layer's activations can go through SPARQ, which reads 8-bit
/// magnitudes above the zero point: its input's calibrated range must start
/// at 0. A range starting below 0 gives false and a remark saying so; an
/// input without a range is an error (failure).
mlir::FailureOr<bool> canTakeSparq(mlir::Operation *layer);

/// The SPARQ configuration a specification `<n>,<opts>,<rounding>[,pairs]`
/// names: `n` the window width (2 to 6); `opts` `5opt`, `3opt` or `2opt`
/// (n = 4: shifts {0..4}, {0, 2, 4}, {0, 4}), `all` (every shift up to
/// 8 - n) or explicit shifts joined by `/` (`0/2/4`); `rounding` `truncate`
/// or `nearest_even`; `pairs` for vSPARQ. On a bad specification returns a
/// null attribute and says why in \p error.
SparqAttr parseSparqSpec(mlir::MLIRContext *context, llvm::StringRef spec,
                         std::string &error);

/// Bytes \p count weights take at \p bits bits, packed as the compiled
/// objects store them (two int4 weights per byte): ceil(count * bits / 8).
int64_t getPackedWeightBytes(int64_t count, unsigned bits);

/// Multiply-accumulates of one run of the layer \p op with \p weights: its
/// output elements times the weights that enter each (KH * KW * Cin for a
/// conv2d, KH * KW for a depthwise conv2d, K for a matmul).
int64_t getMacCount(mlir::Operation *op, const QuantizableWeights &weights);

/// Asymmetric signed \p bits-bit per-tensor type for a calibrated \p range.
/// Activations of fewer than 8 bits are held in `i8` with the narrower
/// range (e.g. `i8<-8:7>`): the integer kernels read bytes either way, and
/// their clamps keep the values within the range.
mlir::quant::UniformQuantizedType
getActivationType(mlir::MLIRContext *context, RangeAttr range, unsigned bits);

/// Symmetric narrow-range signed \p bits-bit type for \p weights.
mlir::quant::QuantizedType getWeightType(const QuantizableWeights &weights,
                                         unsigned bits);

/// \p weights quantized to the integer storage type of \p type.
mlir::DenseElementsAttr quantizeWeights(const QuantizableWeights &weights,
                                        mlir::quant::QuantizedType type);

/// Rewrites every calibration point and every quantizable weight of
/// \p func: \p activation replaces a `tinyq.observe` of the value it gets
/// with the asymmetric per-tensor type of its range; \p weight replaces
/// weights with their symmetric type. Both build at the point of use. Fails
/// with an error on bit widths outside [2, 8] (weights) or [2, 16]
/// (activations), or on an observer without a range.
mlir::LogicalResult rewriteForQuantization(
    mlir::func::FuncOp func, unsigned weightBits, unsigned activationBits,
    bool perTensor,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value,
                                   mlir::quant::UniformQuantizedType)>
        activation,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   const QuantizableWeights &,
                                   mlir::quant::QuantizedType)>
        weight);

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_QUANTCHOICE_H
