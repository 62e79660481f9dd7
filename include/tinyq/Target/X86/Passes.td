//===- Passes.td - x86-64 kernels ---------------------------*- tablegen -*-===//

#ifndef TINYQ_TARGET_X86_PASSES_TD
#define TINYQ_TARGET_X86_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQLowerX86 : Pass<"tinyq-lower-x86", "::mlir::func::FuncOp"> {
  let summary = "Lower integer layers to x86-64 VNNI kernels";
  let description = [{
    The x86-64 back end's kernels for the integer layers, on modules whose
    `#tinyq.target` is an x86-64 CPU with VNNI dot products: AVX-512 VNNI
    (`+avx512vnni`: 16 channels per 512-bit accumulator) or AVX-VNNI
    (`+avxvnni`: 8 per 256-bit one). Other modules, and the layers these
    kernels do not take, are left to `tinyq-lower-integer-ops`.

    Fully connected layers with constant int8 weights: the weights are
    packed at compile time into tiles of 8 or 16 output channels by groups
    of 4 reduction steps (`WeightPacking.h`), so that one vector load is
    one operand of `tinyq_x86.intr.vpdpbusd.*`; per row, up to 4 tiles
    accumulate at once, each group of 4 activations broadcast once to all
    of them as unsigned bytes (x + 128, the offset folded into the bias at
    compile time). Each tile ends requantized in vectors (the numerics
    library's general form, bit-exact with the portable lowering) and
    stored as int8, the last partial tile masked.

    ```mlir
    // Before (module attributes {tinyq.target = #tinyq.target<cpu = "icelake-server", ...>})
    %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 3) multiplier [1395864371] shift [-7] clamp [-128, 127]
           : (tensor<1x64xi8>, tensor<32x64xi8>, tensor<32xi32>) -> tensor<1x32xi8>
    // After: loops over rows, blocks of tiles and groups; per group
    %sum = tinyq_x86.intr.vpdpbusd.512 %acc, %activations, %weights
           : vector<16xi32>, vector<64xi8>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::tinyq::x86::X86Dialect"
  ];
}

#endif // TINYQ_TARGET_X86_PASSES_TD
