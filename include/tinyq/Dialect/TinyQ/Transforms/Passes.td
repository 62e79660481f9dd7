//===- Passes.td - TinyQ dialect passes --------------------*- tablegen -*-===//

#ifndef TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_TD
#define TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQStripObserve : Pass<"tinyq-strip-observe"> {
  let summary = "Remove calibration points";
  let description = [{
    Replaces every `tinyq.observe` with its input, once calibration has
    folded its statistics into the IR.

    ```mlir
    // Before
    %0 = tinyq.observe %x id 0 : tensor<4xf32>
    %1 = tosa.abs %0 : (tensor<4xf32>) -> tensor<4xf32>
    // After
    %1 = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def TinyQExpandFakeQuant : Pass<"tinyq-expand-fake-quant",
                                "::mlir::func::FuncOp"> {
  let summary = "Expand simulated quantization into float arithmetic";
  let description = [{
    Rewrites each `tinyq.fake_quant` into a `linalg.generic` whose body
    divides by the scale, rounds with `math.roundeven` (ties to even, the
    numerics contract), adds the zero point, clamps to the storage range, and
    dequantizes, all in float32; NaN maps to the zero point, as in the
    numerics library. Per-axis types read their scales and zero points from
    constant vectors indexed by the quantized dimension.

    ```mlir
    // Before
    %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.5:3> : tensor<4xf32>
    // After
    %0 = linalg.generic ... {
      %q = arith.divf %in, %scale : f32
      %r = math.roundeven %q : f32
      ...
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TinyQMemRefCopyToLinalg : Pass<"tinyq-memref-copy-to-linalg"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    `memref.copy` between buffers with non-identity layouts lowers to a call
    of `memrefCopy` from MLIR's runner-utils library, which generated
    objects (and bare-metal targets above all) cannot depend on. As
    `linalg.copy`, the copy becomes ordinary loops.

    ```mlir
    // Before
    memref.copy %src, %dst : memref<4xf32, strided<[2]>> to memref<4xf32>
    // After
    linalg.copy ins(%src : memref<4xf32, strided<[2]>>) outs(%dst : memref<4xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_TD
