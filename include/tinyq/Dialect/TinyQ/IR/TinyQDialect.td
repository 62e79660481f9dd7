//===- TinyQDialect.td - TinyQ dialect definition ----------*- tablegen -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQDIALECT_TD
#define TINYQ_DIALECT_TINYQ_IR_TINYQDIALECT_TD

include "mlir/IR/DialectBase.td"

def TinyQ_Dialect : Dialect {
  let name = "tinyq";
  let cppNamespace = "::tinyq";
  let summary = "Quantization annotations and integer kernels of TinyQ";
  let description = [{
    The `tinyq` dialect carries what TinyQ adds to upstream MLIR on the way
    from a float model to integer code for small targets:

    * annotations that are plain attributes on the IR, so that each step can
      be run, inspected and hand-edited alone: calibration ranges
      (`#tinyq.range`), per-layer precision decisions (`#tinyq.precision`),
      sparsity-aware activation configurations (`#tinyq.sparq`) and
      sensitivity records (`#tinyq.sensitivity`);
    * operations on tensors: calibration points (`tinyq.observe`), simulated
      quantization that survives canonicalization (`tinyq.fake_quant`), and
      integer operations with exact semantics (`tinyq.requantize`,
      `tinyq.sparq`).

    Quantized tensor types are upstream's `!quant.uniform`. All integer
    arithmetic follows TinyQ's numerics library, which folders call, so
    folded constants and generated code agree bit for bit.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::quant::QuantDialect"
  ];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQDIALECT_TD
