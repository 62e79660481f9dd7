//===- Passes.td - TinyQ conversion passes -----------------*- tablegen -*-===//

#ifndef TINYQ_CONVERSION_PASSES_TD
#define TINYQ_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQConvertOnnxToTosa : Pass<"convert-onnx-to-tosa",
                                  "::mlir::func::FuncOp"> {
  let summary = "Give imported ONNX nodes their semantics in TOSA";
  let description = [{
    Rewrites every `tinyq_frontend.node "onnx.*"` of a function imported from
    ONNX (`tinyq_frontend.format = "onnx"`) into TOSA operations on float
    tensors, choosing the handler registered for the operator at the
    function's opset. Convolutions and pooling run in NHWC; the ONNX (NCHW)
    layout is restored around them with `tosa.transpose`, which later
    canonicalization cancels between neighbouring layout-sensitive ops.

    A node without a handler is an error naming the operator, the node and
    the opset; a node whose handler rejects its attributes is an error with
    the reason.

    ```mlir
    // Before
    %y = tinyq_frontend.node "onnx.Relu"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>
    // After
    %y = tosa.clamp %x {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::tosa::TosaDialect"
  ];
}

def TinyQConvertTfliteToTosa : Pass<"convert-tflite-to-tosa",
                                    "::mlir::func::FuncOp"> {
  let summary = "Give imported TFLite operators their semantics in TOSA";
  let description = [{
    Rewrites every `tinyq_frontend.node "tflite.*"` of a function imported
    from TFLite (`tinyq_frontend.format = "tflite"`) on float tensors into
    TOSA operations. TFLite is NHWC with OHWI filters, as TOSA, so no layout
    changes are needed; depthwise filters [1, KH, KW, C*M] become TOSA's
    [KH, KW, C, M] by a reshape. Fused activations become a `tosa.clamp`
    (or `tosa.tanh`). Float16 constants followed by DEQUANTIZE become a
    `tosa.cast`; constant int8 weights of hybrid (weight-only quantized)
    models are dequantized at compile time with the numerics library.
    QUANTIZE of a float tensor and DEQUANTIZE of a quantized one become
    `quant.qcast` and `quant.dcast`. Operators on quantized tensors are left for the quantized
    path; a node that stays is an error naming the operator and its output
    tensor.

    ```mlir
    // Before
    %y = tinyq_frontend.node "tflite.RELU6"(%x) {tflite.version = 1 : i64} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    // After
    %y = tosa.clamp %x {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::tosa::TosaDialect"
  ];
}

def TinyQLowerIntegerOps : Pass<"tinyq-lower-integer-ops",
                                "::mlir::func::FuncOp"> {
  let summary = "Lower TinyQ integer ops to portable linalg and arith";
  let description = [{
    Lowers `tinyq.requantize` to a `linalg.generic` of 32-bit integer
    arithmetic that any target runs and that matches the numerics library
    bit for bit: a saturating left shift, the rounding doubling high
    multiply from `arith.mulsi_extended` (the 64-bit product as two 32-bit
    halves, rounded with a carry: no 64-bit arithmetic, which 32-bit
    targets lack), a rounding right shift with ties away from zero, the
    clamp and the zero point. Per-channel multipliers and shifts are
    constants indexed along `axis`.

    `tinyq.fully_connected` with constant weights and bias becomes an int32
    accumulation (`linalg.generic`, operands sign-extended, so `i4` weights
    work unpacked) into a bias that already holds the input zero-point term
    `-z_in * sum_k w[n, k]` (folded at compile time), followed by the
    per-channel `tinyq.requantize` above. `tinyq.conv2d` and
    `tinyq.depthwise_conv2d` (channel multiplier 1) pad their input with its
    zero point (`tensor.pad`), accumulate with `linalg.conv_2d_nhwc_fhwc` /
    `linalg.depthwise_conv_2d_nhwc_hwc` into the broadcast bias (zero-point
    term folded in: every window sums `w * z_in` over real and padded
    positions alike) and requantize per channel.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // TINYQ_CONVERSION_PASSES_TD
