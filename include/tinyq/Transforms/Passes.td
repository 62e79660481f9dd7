//===- Passes.td - Buffer, arena and tiling passes ---------*- tablegen -*-===//

#ifndef TINYQ_TRANSFORMS_PASSES_TD
#define TINYQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQTileAccumulations : Pass<"tinyq-tile-accumulations"> {
  let summary = "Accumulate and requantize one output row at a time";
  let description = [{
    The portable lowering (`tinyq-lower-integer-ops`) accumulates a layer
    into an int32 tensor of the whole output and requantizes it
    elementwise afterwards: four bytes per output value live at once, the
    largest buffer of a model whose layers take that path (the MNIST CNN's
    first convolution, whose one input channel the Arm kernels do not take,
    needed 50176 of its 63514 arena bytes for it). This pass tiles each
    elementwise op that reads such an accumulation whole (an int32 result
    of a linalg op with a reduction loop, used only there) by output rows,
    all loops but the last two (the last one for a matrix) in steps of 1,
    and fuses the accumulation and the ops that initialize its
    accumulators into the loop, so that one row of accumulators is live at
    a time. The accumulation's inputs (a padded copy of the activations,
    say) stay whole. Results are the same values, computed in another
    order of rows.

    ```mlir
    // Before
    %acc = linalg.conv_2d_nhwc_fhwc ins(%in, %w : ...) outs(%bias : tensor<1x28x28x16xi32>) -> tensor<1x28x28x16xi32>
    %out = linalg.generic {...} ins(%acc, ...) outs(%init : tensor<1x28x28x16xi8>)
    // After: scf.for over the 28 rows, each with a tensor<1x1x28x16xi32>
    // of accumulators: the bias broadcast, the convolution over the row's
    // window of %in, and the requantization into the row of the result.
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def TinyQCopyAliasedResults : Pass<"tinyq-copy-aliased-results",
                                   "::mlir::func::FuncOp"> {
  let summary = "Give every tensor result of a function its own value";
  let description = [{
    Bufferization turns each tensor result into a caller-owned out-parameter
    that must be written; a result that is a function argument, or a value
    returned twice, has no buffer of its own to write. This pass returns a
    `linalg.copy` of such values instead. Identity models and calibration
    runs (which return observed tensors next to the outputs) need it.

    ```mlir
    // Before
    return %x, %x : tensor<4xf32>, tensor<4xf32>
    // After
    %0 = tensor.empty() : tensor<4xf32>
    %1 = linalg.copy ins(%x : tensor<4xf32>) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
    %2 = tensor.empty() : tensor<4xf32>
    %3 = linalg.copy ins(%x : tensor<4xf32>) outs(%2 : tensor<4xf32>) -> tensor<4xf32>
    return %1, %3 : tensor<4xf32>, tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TinyQAllocateArena : Pass<"tinyq-allocate-arena", "::mlir::ModuleOp"> {
  let summary = "Place every buffer of a function in a caller-provided arena";
  let description = [{
    Compiled models must not allocate: a firmware engineer passes one block
    of memory, the arena, and the model works inside it. After
    bufferization (with results turned into out-parameters and no
    deallocation pipeline), this pass gives every function with a body a
    trailing `memref<N x i8>` argument and replaces each `memref.alloc` with a `memref.view`
    into it at an offset aligned to `alignment` bytes; the matching
    `memref.dealloc`s disappear. A call to another such function passes the
    start of the caller's arena: callees use `[0, callee size)` and the
    caller's own buffers follow.

    Buffers share bytes when their lives do not meet: a buffer lives from
    the first to the last operation of the function body that uses it or a
    view of it (an operation nested in a loop counts as the loop; a
    returned view lives to the end). Largest first (then earliest), each
    buffer takes the lowest aligned offset clear of the buffers placed so
    far that live at the same time. The arena size in bytes is recorded on
    the function as `tinyq.arena_size`, and the most bytes in use at one
    time, which no placement can beat, as `tinyq.arena_lower_bound` (a
    call counts its callee's lower bound as in use).

    Elements narrower than a byte take a byte, as LLVM stores them. Allocations with dynamic sizes are an error.

    With `skip-start`, buffers start `alignment` bytes into the arena. A
    buffer at offset 0 is, to LLVM, the arena argument itself, whose
    register then also serves as that buffer's base inside the Arm
    kernels' loops; in the KWS model's pointwise layers that cost spills
    (5.14 M instead of 5.08 M instructions on the Cortex-M4, for 16 bytes
    of arena). `tinyq-compile` sets it.

    With `print-plan`, each buffer is reported as a remark at its
    allocation, in the order of their offsets: `arena buffer 'TYPE': B bytes
    at offset O, live over operations F to L of N` (positions among the
    function body's operations), then the function's size and lower bound.

    ```mlir
    // Before
    func.func @f(%x: memref<4xf32>, %y: memref<4xf32>) {
      %0 = memref.alloc() : memref<4xf32>
      ...
      memref.dealloc %0 : memref<4xf32>
    }
    // After
    func.func @f(%x: memref<4xf32>, %y: memref<4xf32>,
                 %arena: memref<16xi8>) attributes {
        tinyq.arena_lower_bound = 16 : i64, tinyq.arena_size = 16 : i64} {
      %c0 = arith.constant 0 : index
      %0 = memref.view %arena[%c0][] : memref<16xi8> to memref<4xf32>
      ...
    }
    ```
  }];
  let options = [
    Option<"alignment", "alignment", "unsigned", "16",
           "Byte alignment of every buffer (a power of two); the arena "
           "itself must be aligned as much">,
    Option<"skipStart", "skip-start", "bool", "false",
           "Leave the arena's first `alignment` bytes unused, so that no "
           "buffer is the arena argument itself (see the description)">,
    Option<"printPlan", "print-plan", "bool", "false",
           "Report each buffer's size, offset and live range as a remark "
           "at the operation that allocated it">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def TinyQMemRefCopyToLinalg : Pass<"tinyq-memref-copy-to-linalg"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    `memref.copy` between buffers with non-identity layouts lowers to a call
    of `memrefCopy` from MLIR's runner-utils library, which generated
    objects (and bare-metal targets above all) cannot depend on. As
    `linalg.copy`, the copy becomes ordinary loops. Copies between
    buffers that both have the identity layout stay: they lower to
    `llvm.intr.memcpy`, which LLVM expands or turns into a call of the C
    library's `memcpy` (word and vector copies; the model's header lists
    the call). Element loops cost the Cortex-M layer benchmarks up to 5%
    of their instructions when a result is copied out of the arena.
    `memref.copy`'s canonicalization runs too: it drops the copies of a
    buffer onto itself that bufferization leaves where a tile is written
    in place (`tinyq-tile-accumulations`).

    ```mlir
    // Before
    memref.copy %src, %dst : memref<4xf32, strided<[2]>> to memref<4xf32>
    // After
    linalg.copy ins(%src : memref<4xf32, strided<[2]>>) outs(%dst : memref<4xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TinyQLowerVectorTransfers : Pass<"tinyq-lower-vector-transfers"> {
  let summary = "Turn 1-D vector transfers on buffers into loads and stores";
  let description = [{
    The x86-64 kernels read and write tiles with `vector.transfer_read` and
    `vector.transfer_write` on tensors; after bufferization, on buffers.
    Those whose elements are all in bounds become `vector.load` /
    `vector.store`; the others (the last tile of channels, the reduction's
    last group) take a mask of the lanes in bounds and become
    `vector.maskedload` / `vector.maskedstore`, which `convert-to-llvm`
    lowers to LLVM's masked intrinsics (AVX-512 masked moves).

    ```mlir
    // Before
    %v = vector.transfer_read %buf[%i], %pad : memref<70xi8>, vector<4xi8>
    // After
    %mask = vector.create_mask %left : vector<4xi1>
    %v = vector.maskedload %buf[%i], %mask, %padding : memref<70xi8>, vector<4xi1>, vector<4xi8> into vector<4xi8>
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // TINYQ_TRANSFORMS_PASSES_TD
