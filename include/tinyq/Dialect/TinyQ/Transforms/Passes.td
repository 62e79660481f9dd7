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

def TinyQInsertObservers : Pass<"tinyq-insert-observers",
                                "::mlir::func::FuncOp"> {
  let summary = "Mark every float tensor to be quantized as a calibration point";
  let description = [{
    Inserts a `tinyq.observe` after every float function argument and every
    float result of a TOSA operation that an integer model quantizes,
    numbering them in program order from the largest id already present.
    Not observed: constants; results an integer kernel fuses away (a
    conv2d, depthwise_conv2d, matmul or add whose only user is a clamp, a
    matmul reaching its constant bias addition through reshapes); and
    results of scale-preserving ops (reshape, transpose, max_pool2d), which
    share their input's quantization. Values already observed are left
    alone, so the pass is idempotent.

    ```mlir
    // Before
    %0 = tosa.clamp %x {...} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    // After
    %x0 = tinyq.observe %x id 0 : tensor<1x4xf32>
    %0 = tosa.clamp %x0 {...} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %1 = tinyq.observe %0 id 1 : tensor<1x4xf32>
    ```
  }];  let dependentDialects = ["::tinyq::TinyQDialect"];
}

def TinyQExposeObservers : Pass<"tinyq-expose-observers",
                                "::mlir::func::FuncOp"> {
  let summary = "Return observed tensors as extra function results";
  let description = [{
    For calibration runs: replaces every `tinyq.observe` with its input and
    appends the observed value to the function's results, in id order,
    marking each new result with `tinyq.observe_id`. Functions with callers
    are not changed.

    ```mlir
    // Before
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = tinyq.observe %x id 3 : tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    // After
    func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32> {tinyq.observe_id = 3 : i64}) {
      return %x, %x : tensor<4xf32>, tensor<4xf32>
    }
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

def TinyQLowerQuantCasts : Pass<"tinyq-lower-quant-casts",
                                "::mlir::func::FuncOp"> {
  let summary = "Give quant.qcast and quant.dcast exact integer semantics";
  let description = [{
    Rewrites `quant.scast(quant.qcast(x))` (float to integer storage) and
    `quant.dcast(quant.scast(q))` (integer storage to float) into
    elementwise arithmetic with the numerics library's rules: ties-to-even
    rounding (`math.roundeven`), saturation to the storage range, NaN to the
    zero point, per tensor or per axis. Upstream's `lower-quant-ops`
    truncates instead, and canonicalization folds `dcast(qcast(x))` to `x`;
    this pass runs before either can change a pre-quantized model's
    numerics.

    ```mlir
    // Before
    %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5>>
    %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
    // After
    %i = linalg.generic ... {
      %s = arith.divf %in, %scale : f32
      %r = math.roundeven %s : f32
      ...
    } -> tensor<4xi8>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def TinyQSignlessIntegers : Pass<"tinyq-signless-integers",
                                 "::mlir::func::FuncOp"> {
  let summary = "Make unsigned integer tensors signless";
  let description = [{
    Imported models keep uint8 tensors as `ui8`, which arith, linalg and
    TOSA do not take. The values are only reinterpreted at the graph's edge
    (function arguments and results, constants) and through
    `tensor.bitcast`; this pass gives them the signless type of the same
    width, which has the same bits, and drops the bitcasts that become
    no-ops. Callers that care about signedness read it from the signature
    before running the pass.

    ```mlir
    // Before
    func.func @f(%x: tensor<4xui8>) -> tensor<4xi8> {
      %0 = tensor.bitcast %x : tensor<4xui8> to tensor<4xi8>
      return %0 : tensor<4xi8>
    }
    // After
    func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
      return %x : tensor<4xi8>
    }
    ```
  }];
}

def TinyQSinkTransposes : Pass<"tinyq-sink-transposes",
                               "::mlir::func::FuncOp"> {
  let summary = "Move layout transposes past elementwise TOSA ops";
  let description = [{
    Imported ONNX graphs run convolutions and pools in NHWC between
    `tosa.transpose`s back to NCHW. This pass moves a transpose below the
    elementwise op that consumes it (clamp, sigmoid, tanh, exp, abs,
    reciprocal; add, sub, mul, maximum, minimum when every other operand is
    the same transpose of a value or a constant, which is permuted at
    compile time), so that NHWC -> NCHW -> NHWC pairs meet and
    canonicalization cancels them. Transposes of constants (weights changing
    layout) are folded.

    ```mlir
    // Before
    %t = tosa.transpose %conv {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x8x8xf32>
    %r = tosa.clamp %t {max_val = 3.4e38 : f32, min_val = 0.0 : f32} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
    // After
    %c = tosa.clamp %conv {max_val = 3.4e38 : f32, min_val = 0.0 : f32} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
    %r = tosa.transpose %c {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

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

def TinyQCombineByteAccesses : Pass<"tinyq-combine-byte-accesses"> {
  let summary = "Load and store little-endian words of bytes at once";
  let description = [{
    The Arm DSP kernels (`tinyq-lower-arm-dsp`) read four consecutive int8
    activations as one 32-bit word: four byte reads, zero-extended, shifted
    and or-ed together. LLVM merges them into a single unaligned load only
    if its instruction selection still sees one base address, which loop
    strength reduction can break. On buffers (after bufferization) this
    pass turns the pattern into an explicit `vector.load` of 4 bytes from a
    buffer whose innermost dimension is contiguous, bitcast to one i32:
    an unaligned word load on the cores that have the DSP extension. The
    Helium kernels build their vectors with `vector.from_elements` of
    consecutive elements; those become one `vector.load` too. Four stores
    of a word's bytes (its low byte, then the word shifted right by 8, 16
    and 24, truncated) at consecutive places, with only pure arithmetic in
    between, become one `vector.store` of the word's bytes.

    Elements at constant distances other than consecutive ones (increasing,
    in a static, contiguous buffer: a column, every other byte) are read
    with one `vector.gather` from the buffer's 1-D view, and a vector's
    elements stored in order at such distances with one `vector.scatter`
    (Helium's `vldrb` / `vstrb` with a vector of offsets; see
    `tinyq-lower-mve-gathers`). Four or eight loaded bytes stored to
    consecutive places, with no write from the first load on (a strided
    copy, such as the Helium depthwise kernel's copy into channel planes),
    become one gather, or vector load, and one `vector.store`.

    ```mlir
    // Before (%k1, %k2, %k3 = %k + 1, 2, 3)
    %b0 = memref.load %m[%r, %k] : memref<8x64xi8>
    ... %b3 = memref.load %m[%r, %k3] : memref<8x64xi8>
    %word = arith.ori %w2, (zext %b3) << 24 : i32
    // After
    %v = vector.load %m[%r, %k] : memref<8x64xi8>, vector<4xi8>
    %c = vector.bitcast %v : vector<4xi8> to vector<1xi32>
    %word = vector.extract %c[0] : i32 from vector<1xi32>
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect"];
}

def TinyQLowerMveGathers : Pass<"tinyq-lower-mve-gathers"> {
  let summary = "Byte gathers and scatters as Helium intrinsics";
  let description = [{
    On the LLVM dialect: `llvm.intr.masked.gather` and
    `llvm.intr.masked.scatter` of 4 bytes (gathers of 8 too, at constant
    offsets below 2^16, in 16-bit lanes: `vldrb.u16`) whose pointers are one
    `llvm.getelementptr` of a base pointer with a vector of i32 byte
    offsets, under an all-true mask (what `vector.gather` and
    `vector.scatter` on a 1-D byte buffer lower to, e.g. those of
    `tinyq-combine-byte-accesses`), become Helium's own
    `llvm.arm.mve.vldr.gather.offset` and `llvm.arm.mve.vstr.scatter.offset`
    in 32-bit lanes (`vldrb.s32` / `vldrb.u32` / `vstrb.32` with a vector of
    offsets). A gather whose only use sign- or zero-extends it to i32 lanes
    loads them so; a scatter of truncated i32 lanes stores those.

    Why not leave them to LLVM: LLVM 22's `arm-mve-gather-scatter-lowering`
    rewrites the loop induction variables that feed gather offsets, and on
    a depthwise kernel's copy loop it replaced the loop's exit condition
    with `false` (an infinite loop on the Cortex-M55). The intrinsics are
    left alone by that pass and select the same instructions.

    ```mlir
    // Before
    %p = llvm.getelementptr %base[%offsets] : (!llvm.ptr, vector<4xi32>) -> !llvm.vec<4 x ptr>, i8
    %g = llvm.intr.masked.gather %p, %true, %zero {alignment = 1 : i32} : (!llvm.vec<4 x ptr>, vector<4xi1>, vector<4xi8>) -> vector<4xi8>
    %x = llvm.sext %g : vector<4xi8> to vector<4xi32>
    // After
    %x = llvm.call_intrinsic "llvm.arm.mve.vldr.gather.offset"(%base, %offsets, %c8, %c0, %c0) : (!llvm.ptr, vector<4xi32>, i32, i32, i32) -> vector<4xi32>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def TinyQChainMveLoads : Pass<"tinyq-chain-mve-loads"> {
  let summary = "Streams of Helium vector loads as pointer chains";
  let description = [{
    On the LLVM dialect, for the Cortex-M55's unrolled kernels: the 16-byte
    vector loads of a block whose addresses are one base pointer plus
    constant byte offsets (through `llvm.getelementptr` over integer
    elements and `llvm.add`, `llvm.sub`, `llvm.mul` by constants of the
    same terms) form a stream; where a stream's offsets span more than its
    loads' immediate offsets reach (127 elements: 508 bytes for word-aligned
    loads, `vldrw`; 127 for byte-aligned ones, `vldrb`), each load after the
    first reads at the previous one's address advanced by their distance,
    through an empty inline-asm copy (`"=r,0"`: no instruction).

    Why: LLVM folds each constant offset into its load's address, and every
    load beyond the reach of its base register then takes an `add` of its
    own (the 640-deep fully connected layer's tiles of 8 channels: one per
    weight vector after the first 32). LLVM cannot fold through the copy, so
    its instruction selection post-increments each load by the distance to
    the next (`vldrw.u32 q0, [r0], #16`) instead: no instruction for the
    addresses. Streams within reach are left alone.

    ```mlir
    // Before: offsets 0 and 1024 from %base
    %a = llvm.getelementptr %base[%i] : (!llvm.ptr, i32) -> !llvm.ptr, i32
    %x = llvm.load %a {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
    %j = llvm.add %i, %c256 : i32
    %b = llvm.getelementptr %base[%j] : (!llvm.ptr, i32) -> !llvm.ptr, i32
    %y = llvm.load %b {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
    // After
    %x = llvm.load %a {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
    %next = llvm.getelementptr %a[1024] : (!llvm.ptr) -> !llvm.ptr, i8
    %copy = llvm.inline_asm "", "=r,0" %next : (!llvm.ptr) -> !llvm.ptr
    %y = llvm.load %copy {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def TinyQAssignPrecision : Pass<"tinyq-assign-precision",
                                "::mlir::func::FuncOp"> {
  let summary = "Choose each layer's weight width (and SPARQ) under a "
                "budget";
  let description = [{
    Reads the `tinyq.sensitivity` record of every layer with weights
    (conv2d, depthwise_conv2d, matmul; see `tinyq-compile --sensitivity`)
    and sets its `tinyq.precision` (which `tinyq-quantize` and
    `tinyq-simulate-quantization` honour) so that the weights fit the
    budget: `budget` is a fraction of the all-`high-bits` weight bytes
    (0.5 is all 4-bit when `low-bits` is 4, 1.0 all 8-bit), or
    `budget-bytes` an absolute size; packed bytes per layer are
    `ceil(weights * bits / 8)`.

    Every layer starts at `low-bits`. With `keep-first-last` the first and
    the last layer are raised first. The others are ranked by sensitivity:
    each layer's rank by its low candidate's activation SQNR and its rank by
    the low candidate's weight SQNR (lower SQNR, more sensitive) are
    averaged — ranks, so that the very different scales of the two metrics
    do not matter — and layers are raised to `high-bits` in that order while
    the total stays within the budget (a layer that does not fit is skipped
    for smaller ones after it). A layer without a sensitivity record is an
    error. Two baselines show what the ranking is worth at the same budget:
    `ranking=single-layer` raises layers in the order of their
    `tinyq.single_layer_sqnr` (the model output's SQNR with only that layer
    at the low width, from `tinyq-compile --exhaustive-sensitivity`; lowest
    first), and `ranking=random` in a random order (a seeded
    Mersenne-Twister shuffle, the same on every platform).

    With `objective=cycles` the budget is `budget-cycles`, the estimated
    cycles of one inference on the `cost-model` target: each layer's MACs
    times instructions per MAC of its kernel family (convolution,
    pointwise, depthwise, fully connected) at its weight width, one
    instruction per cycle. Until TinyQ's own Cortex-M kernels are measured,
    the rates are CMSIS-NN 7.0's on MLPerf Tiny layers, where int4 weights
    cost more instructions than int8 (unpacking): a layer that costs no more
    at `high-bits` is raised whatever the budget, so under this objective
    the choice is all `high-bits` unless the budget is below it. A budget
    that even the cheapest assignment exceeds is an error (a `budget`
    fraction of at least `low-bits / high-bits` always admits the all-low
    model, whose whole bytes may round above it).

    SPARQ is a candidate for the activations when `sparq` names a
    configuration (as `tinyq-assign-sparq`'s spec). A layer can take it when
    its input's calibrated range starts at 0 and it has the
    `tinyq.input_sparq_sqnr` the sensitivity analysis records with a SPARQ
    candidate (`sparq-keep-first-last` leaves the first and last layers
    out). `sparq-budget` is the fraction of those layers' MACs that may keep
    8-bit activations (SPARQ's premise is hardware with 4-bit activation
    multipliers): all start at SPARQ and are raised to 8 bits, lowest
    `tinyq.input_sparq_sqnr` first, while the raised MACs stay within it.
    The cost model charges SPARQ layers the extra instructions per MAC
    TinyQ's SPARQ code takes on the target (measured per kernel family by
    `bench/cortex_m_layers.py`): on Cortex-M, SPARQ only adds instructions
    (the cores have no 4-bit multipliers), so with `objective=cycles` SPARQ
    layers are raised to 8 bits in the same order until the estimate fits
    `budget-cycles`.

    ```mlir
    // Before
    %0 = tosa.conv2d ... {tinyq.sensitivity = #tinyq.sensitivity<[...]>}
    // After
    %0 = tosa.conv2d ... {tinyq.precision = #tinyq.precision<weight_bits = 8,
                            activation_bits = 8, granularity = per_channel>,
                          tinyq.sensitivity = #tinyq.sensitivity<[...]>}
    ```
  }];
  let options = [
    Option<"budget", "budget", "double", "0.75",
           "Weight bytes as a fraction of the all-high-bits size">,
    Option<"budgetBytes", "budget-bytes", "int64_t", "0",
           "Weight bytes, absolute (overrides budget when above 0)">,
    Option<"highBits", "high-bits", "unsigned", "8", "The wide weight width">,
    Option<"lowBits", "low-bits", "unsigned", "4", "The narrow weight width">,
    Option<"keepFirstLast", "keep-first-last", "bool", "true",
           "Raise the first and last layers before any other">,
    Option<"ranking", "ranking", "std::string", "\"sensitivity\"",
           "Order in which layers are raised: sensitivity (the ranks "
           "above), single-layer (the baseline's tinyq.single_layer_sqnr, "
           "lowest first) or random (a baseline, with seed)">,
    Option<"seed", "seed", "unsigned", "1",
           "Seed of ranking=random">,
    Option<"objective", "objective", "std::string", "\"size\"",
           "What the budget limits: size (weight bytes) or cycles "
           "(estimated by cost-model)">,
    Option<"budgetCycles", "budget-cycles", "double", "0",
           "Estimated cycles of one inference, with objective=cycles">,
    Option<"costModel", "cost-model", "std::string", "\"cortex-m4\"",
           "Target whose cycle estimates objective=cycles uses: cortex-m4, "
           "cortex-m7 or cortex-m55">,
    Option<"sparq", "sparq", "std::string", "\"\"",
           "SPARQ candidate for the activations, <n>,<opts>,<rounding>"
           "[,pairs] (none when empty)">,
    Option<"sparqBudget", "sparq-budget", "double", "0",
           "Fraction of the SPARQ-capable layers' MACs that keep 8-bit "
           "activations">,
    Option<"sparqKeepFirstLast", "sparq-keep-first-last", "bool", "false",
           "Keep the first and last layers' activations plain">,
  ];
}

def TinyQAssignSparq : Pass<"tinyq-assign-sparq", "::mlir::func::FuncOp"> {
  let summary = "Give layers SPARQ activations";
  let description = [{
    Sets the SPARQ configuration `sparq` (`<n>,<opts>,<rounding>[,pairs]`,
    e.g. `4,5opt,nearest_even,pairs`; see `#tinyq.sparq`) on the
    `tinyq.precision` of every layer with weights (conv2d,
    depthwise_conv2d, matmul) of a calibrated model, keeping the weight
    width and granularity the layer has (`weight-bits` per channel when it
    has none). SPARQ reads 8-bit magnitudes above the zero point, so a layer
    whose input's calibrated range starts below 0 keeps plain activations
    (a remark says which); with `keep-first-last`, as in SPARQ's own setup,
    the first and the last layer do too. `tinyq-quantize` and
    `tinyq-fuse-qdq` carry the configuration to the integer layer, whose
    lowering applies it.

    ```mlir
    // Before
    %0 = tosa.conv2d %x, ... : ...
    // After (spec = "4,3opt,truncate")
    %0 = tosa.conv2d %x, ... {tinyq.precision = #tinyq.precision<
           weight_bits = 8, activation_bits = 8, granularity = per_channel,
           sparq = #tinyq.sparq<bits = 4, shifts = [0, 2, 4],
                                rounding = truncate>>} : ...
    ```
  }];
  let options = [
    Option<"spec", "spec", "std::string", "\"4,5opt,nearest_even,pairs\"",
           "SPARQ configuration <n>,<opts>,<rounding>[,pairs]">,
    Option<"keepFirstLast", "keep-first-last", "bool", "false",
           "Keep the first and the last layer's activations plain">,
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "Weight width of a layer without a tinyq.precision">,
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

def TinyQSimulateQuantization : Pass<"tinyq-simulate-quantization",
                                     "::mlir::func::FuncOp"> {
  let summary = "Simulate a quantized model in float with tinyq.fake_quant";
  let description = [{
    The simulated-quantization framework: a calibrated float model (every
    `tinyq.observe` carries a `range`) becomes the float model of its
    quantized version, for fast accuracy experiments at any bit width.

    * Activations: each `tinyq.observe` becomes a `tinyq.fake_quant` to an
      asymmetric signed `activation-bits` type whose scale and zero point
      the numerics library chooses from the range (widened to contain 0).
    * Weights: the constant weights of `tosa.conv2d` (per output channel,
      axis 0 of OHWI), `tosa.depthwise_conv2d` (axis 2 of [KH, KW, C, 1];
      per tensor when the multiplier is above 1) and `tosa.matmul` (axis 2
      of [1, K, N]) pass through a symmetric narrow-range
      (`[-(2^(b-1) - 1), 2^(b-1) - 1]`) `weight-bits` fake quantization,
      per channel or, with `per-tensor`, per tensor. Canonicalization folds
      it into the constant.

    Biases stay float: int32 biases at scale `s_in * s_w` differ from them by
    at most half a step, far below the activation error. An observer without
    a range is an error.

    ```mlir
    // Before
    %0 = tinyq.observe %x id 0 range <min = 0.0, max = 1.0> : tensor<1x4xf32>
    // After
    %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.0039215688593685627:-128> : tensor<1x4xf32>
    ```
  }];
  let options = [
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "Bits of the quantized weights (2 to 8)">,
    Option<"activationBits", "activation-bits", "unsigned", "8",
           "Bits of the quantized activations (2 to 16)">,
    Option<"perTensor", "per-tensor", "bool", "false",
           "One weight scale per tensor instead of per output channel">,
  ];
  let dependentDialects = [
    "::mlir::quant::QuantDialect",
    "::tinyq::TinyQDialect"
  ];
}

def TinyQQuantize : Pass<"tinyq-quantize", "::mlir::func::FuncOp"> {
  let summary = "Quantize a calibrated model into Q/DQ form";
  let description = [{
    Rewrites a calibrated float model (every `tinyq.observe` carries a
    `range`) into quantize/dequantize form over upstream `!quant.uniform`
    types, the form pre-quantized ONNX models import to and the input of Q/DQ
    fusion:

    * each calibration point becomes a quantization to integer storage
      (`quant.qcast` + `quant.scast`) and a dequantization back
      (`quant.scast` + `quant.dcast`), with the asymmetric per-tensor type
      `tinyq-simulate-quantization` would use;
    * the constant weights of conv2d, depthwise_conv2d and matmul become
      integer constants (`i8`, or `i4` and below, symmetric narrow range, per
      output channel unless `per-tensor`) dequantized with `quant.scast` +
      `quant.dcast`; a layer's own `tinyq.precision` attribute (weight bits
      and granularity, from `tinyq-assign-precision` or written by hand)
      overrides the options for its weights.

    Biases stay float; Q/DQ fusion quantizes them to int32 at the scale of
    their layer's accumulator. Canonicalization would fold a
    `quant.dcast(quant.qcast(x))` pair away, so run it only after fusion.
    Evaluated in float (`tinyq-lower-quant-casts`), the result equals the
    simulated model exactly. An observer without a range is an error.

    ```mlir
    // Before
    %0 = tinyq.observe %x id 0 range <min = 0.0, max = 1.0> : tensor<4xf32>
    // After
    %0 = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.0039215688593685627:-128>>
    %1 = quant.scast %0 : tensor<4x!quant.uniform<i8:f32, 0.0039215688593685627:-128>> to tensor<4xi8>
    %2 = quant.scast %1 : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.0039215688593685627:-128>>
    %3 = quant.dcast %2 : tensor<4x!quant.uniform<i8:f32, 0.0039215688593685627:-128>> to tensor<4xf32>
    ```
  }];
  let options = [
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "Bits of the quantized weights (2 to 8)">,
    Option<"activationBits", "activation-bits", "unsigned", "8",
           "Bits of the quantized activations (2 to 16)">,
    Option<"perTensor", "per-tensor", "bool", "false",
           "One weight scale per tensor instead of per output channel">,
  ];
  let dependentDialects = [
    "::mlir::quant::QuantDialect",
    "::mlir::tosa::TosaDialect"
  ];
}

def TinyQCrossLayerEqualization : Pass<"tinyq-cross-layer-equalization",
                                       "::mlir::func::FuncOp"> {
  let summary = "Equalize the weight ranges of consecutive layers";
  let description = [{
    Cross-layer equalization (Nagel et al., 2019) for pairs `A -> ReLU -> B`
    where A is a `tosa.conv2d` or `tosa.depthwise_conv2d` (channel
    multiplier 1) and B a `tosa.conv2d`, all with constant weights and A
    with a constant bias, each result used once. ReLU (a `tosa.clamp` from 0
    to +inf) is positively homogeneous, so dividing A's output channel `i`
    (weights and bias) by `s_i` and multiplying B's input channel `i` by
    `s_i` keeps the function. With `r1_i` the largest magnitude of A's
    channel `i` and `r2_i` that of B's input channel `i`,
    `s_i = sqrt(r1_i / r2_i)` makes both ranges `sqrt(r1_i * r2_i)`, which
    per-tensor weight quantization favours. Chains of pairs interact, so the
    pass repeats `iterations` times. Channels with a zero range keep
    `s_i = 1`.

    ```mlir
    // A: output channel ranges [4, 1]; B: input channel ranges [1, 4].
    // s = [2, 0.5]: both become [2, 2].
    ```
  }];
  let options = [
    Option<"iterations", "iterations", "unsigned", "10",
           "How many times all pairs are equalized">,
  ];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def TinyQFoldBatchNorm : Pass<"tinyq-fold-batch-norm",
                              "::mlir::func::FuncOp"> {
  let summary = "Fold per-channel scales and shifts into convolutions";
  let description = [{
    An inference BatchNormalization after a convolution imports as a
    per-channel `tosa.mul` and `tosa.add` of constants. When a `tosa.conv2d`
    or `tosa.depthwise_conv2d` (channel multiplier 1) with constant weights
    and bias is used only by such a multiplication, the scale moves into its
    weights (per output channel) and bias; an addition moves into its bias.
    Quantization then sees one layer, as it will run. Constants must be
    splats or have every dimension 1 except the last, the channel count.

    ```mlir
    // Before
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {...}
    %1 = tosa.mul %0, %scale, %shift
    %2 = tosa.add %1, %shift_values
    // After
    %2 = tosa.conv2d %x, %w_scaled, %b_folded, %zp, %zp {...}
    ```
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def TinyQFuseQDQ : Pass<"tinyq-fuse-qdq", "::mlir::func::FuncOp"> {
  let summary = "Fuse dequantize -> layer -> quantize into integer layers";
  let description = [{
    Rewrites, in Q/DQ form (see `tinyq-quantize`),

    ```
    dcast(scast(%x_int)) -> tosa.conv2d / tosa.depthwise_conv2d (weights
      dcast(scast(const int)), float constant bias) [-> tosa.clamp]
      -> qcast -> scast to int
    ```

    into one `tinyq.conv2d` / `tinyq.depthwise_conv2d` on the integers, with
    an int32 bias `round(bias / (s_in * s_w[c]))` (ties to even), per-channel
    requantization multipliers for `s_in * s_w[c] / s_out` (the numerics
    library's `quantizeMultiplier`) and the clamp (ReLU, ReLU6, any clip)
    quantized into the output range. Inputs and outputs must be per-tensor
    `i8`; weights `i8` or narrower, per tensor or per output channel,
    symmetric. Depthwise weights `[KH, KW, C, 1]` become `[KH, KW, C]`.
    Layers that do not match stay in float.

    Dequantizations move below the scale-preserving ops between layers
    (`tosa.reshape`, `tosa.transpose`, `tosa.max_pool2d` of a per-tensor
    quantized value run on its integers), so that the next layer sees its
    input in Q/DQ form. With `layers=false` only this movement happens: the
    model stays runnable in float and computes exactly the same.

    Fully connected layers as Gemm imports them (`tosa.matmul` of a
    `[1, R, K]` input and `[1, K, N]` constant weights, reshaped to `[R, N]`,
    plus an optional constant bias and clamp) become `tinyq.fully_connected`
    with `[N, K]` weights.

    Additions of two same-shape per-tensor `i8` tensors in Q/DQ form
    (residual connections), with an optional clamp, become `tinyq.add` with
    TFLite's rescaling: 20 bits of headroom, inputs scaled by
    `s / (2 * max(s_lhs, s_rhs))`, the sum by
    `2 * max(s_lhs, s_rhs) / (2^20 * s_out)`.

    Average pooling of a per-tensor `i8` input (with an optional clamp)
    becomes `tinyq.avg_pool2d`, requantized by `s_in / s_out`.

    Concatenation and constant padding of per-tensor `i8` tensors run on
    the integers: each input whose quantization differs from the output's
    is first rescaled by a `tinyq.requantize` from `i8` to `i8` (TFLite's
    rule), and the pad value is quantized. A `qcast(dcast(x))` pair between
    two integer tensors disappears: `x` itself for equal quantizations, a
    rescaling `tinyq.requantize` otherwise.

    For pre-quantized models (int8 TFLite), the pass first gives quantized
    values their integer storage (`scast` pairs), and folds the reshapes
    and transposes the importers apply to integer weights.
  }];
  let options = [
    Option<"fuseLayers", "layers", "bool", "true",
           "Fuse layers into integer ops (false: only move dequantizations)">,
  ];
  let dependentDialects = [
    "::mlir::quant::QuantDialect",
    "::mlir::tosa::TosaDialect",
    "::tinyq::TinyQDialect"
  ];
}

def TinyQLowerArmDsp : Pass<"tinyq-lower-arm-dsp", "::mlir::func::FuncOp"> {
  let summary = "Lower integer layers to Arm DSP-extension kernels";
  let description = [{
    For cores with the DSP extension (Cortex-M4, M7, M33; `tinyq-compile
    --target` runs it before `tinyq-lower-integer-ops`). A
    `tinyq.fully_connected` with constant int8 or int4 weights, int8 input,
    no SPARQ and a depth of whole words (a multiple of 4 for int8, of 8 for
    int4), and an undilated `tinyq.conv2d` whose kernel rows are whole
    words (KW * C, with the input padded by its zero point and each
    output pixel's window read as KH runs of KW * C contiguous bytes; a
    pointwise one with stride 1 and no padding as a fully connected layer
    over its pixels), accumulate with `llvm.arm.sxtb16` and
    `llvm.arm.smlad`: per step the
    input word is loaded and unpacked into the pairs (x0, x2), (x1, x3)
    once for a tile of 4 output channels (the remaining channels one at a
    time), and each channel's weights are multiplied in, two products per
    `smlad`. The weights are laid out at compile time in the order the loop
    reads them (step, then channel of the tile). int8 weights whose layer
    takes at most `unpacked-weights-limit` bytes as int16 are stored as the
    halfword pairs (w0, w2), (w1, w3) that `smlad` takes as they are;
    larger layers keep one word of 4 bytes, unpacked like the input. An
    int4 word holds 8 weights. When the reduction is short enough that
    products 4096 times too large fit in int32 (depth * 128 * 8 * 4096 <
    2^31), its nibbles are, from bit 0, w5 w4 w1 w0 w7 w6 w3 w2, and
    `(word << 4p) & 0xF000F000` (one instruction with Arm's shifted
    operand) is the halfword pair 4096 * (w0, w2), (w1, w3), (w4, w6),
    (w5, w7) for p = 0..3; otherwise byte i = `w[k+i] << 4 | (w[k+4+i] &
    15)`, and masking the high nibbles and shifting the low ones up gives
    bytes `16 * w` for sxtb16. Either way the sums are exactly divided by
    an arithmetic shift and the bias added. Other sums start from the bias
    with the input zero-point term folded in. With halfword weights the
    reduction loop runs two steps per iteration. Each tile ends
    requantized, its
    int8 outputs stored directly (no int32 accumulator tensor): when every
    multiplier is a right shift and no accumulator can reach 2^30 (bounded
    from the weights and bias at compile time), with
    `numerics::multiplyByRightShiftMultiplier` (`smmulr`, shifts, `ssat`),
    otherwise with `numerics::requantize`'s general form; bit-exact with
    the portable lowering either way. In the short form, halfword weights
    and the bias are stored doubled (scaled int4 sums shifted back one bit
    less), since the form starts by doubling the sum; with a fused ReLU
    (clamp minimum at or above the output zero point) it leaves out the
    exact rounding of negative values, which all clamp to the minimum.
    The scalar kernels read a tile's biases, multipliers and shifts from
    one table, tile-major (4 of each per tile), at fixed offsets from one
    address, and gather the tile's 4 int8 outputs into one word that is
    stored as its bytes (one store after `tinyq-combine-byte-accesses`). The reduction loop carries an LLVM
    loop annotation that keeps it rolled: unrolled, the tile's registers
    spill.

    With `mve` (Helium: the M55 and M85), fully connected and convolution
    layers whose kernel rows are whole 16-byte vectors take Helium dot
    products instead: per step one vector of 16 input bytes and each
    channel's 16 weights (stored as four words of bytes, int4 weights one
    per byte) accumulate into the channel's sum with
    `llvm.arm.mve.vmldava` (`vmlava.s8`; written as the intrinsic, since a
    reduction of widened products lets LLVM's SLP vectorizer merge the
    tile's sums into vectors inside the loop). Tiles of 4 channels in the
    short form requantize in one vector (below). The rest of the kernel
    (tiles, runs) is the same. A
    depthwise tile with `mve` keeps its 4 accumulators in one vector: per
    tap 4 input bytes and 4 weight bytes load sign-extended
    (`vldrb.s32`), multiply and add; the short-form requantization runs in
    vectors too (`llvm.arm.mve.vqrdmulh`, which is the rounding high word
    of the doubled product, then the rounding shift, zero point and clamp
    lane by lane) and stores the 4 bytes as one word. With a multiple of 8
    channels and that requantization, tiles take 8 channels: per tap the 8
    input bytes and 8 weights load sign-extended to 16-bit lanes
    (`vldrb.s16`) and `llvm.arm.mve.vmull` (`vmullb.s16`, `vmullt.s16`)
    adds the even and the odd channels' 32-bit products to two
    accumulator vectors, 6 instructions per tap for 8 channels instead of
    8; the bias and per-channel requantization tables hold each tile's
    even channels, then its odd ones, and the two requantized vectors are
    interleaved back (`vmovnt`) and stored as 8 bytes (`vstrb.16`).

    A `tinyq.depthwise_conv2d` with channel multiplier 1 and a multiple of
    4 channels runs per output pixel and tile of 4 channels: each kernel
    tap (unrolled) loads the tile's input word, unpacks it into (c0, c2)
    and (c1, c3), and multiplies the halves with the tap's weights stored
    as halfword pairs (w[c0], w[c2]), (w[c1], w[c3]) (int4 weights too),
    one `llvm.arm.smlabb` / `llvm.arm.smlatt` per product, from the bias;
    then the same requantization. Padded inputs are filled with the zero
    point and their rows copied a word at a time. Other layers are left to
    `tinyq-lower-integer-ops`.

    With `skip-zero-activations`, fully connected layers and pointwise
    convolutions (stride 1, no padding) skip the products of zero
    activations, of which ReLU outputs have many: per input row one pass
    lists the entries `(x - z) << 16 | k` of the inputs x that differ from
    the zero point z (a list of 4 bytes per input value in the arena,
    ended by a zero entry), and each tile of 4 output channels runs over
    the list only, two entries per iteration (with the zero entry when
    their count is odd). The tile's
    weights of input k are one word (stored column by column for each
    tile, int4 weights as bytes), unpacked into (w0, w2), (w1, w3) and
    multiplied by the halfword x - z with `llvm.arm.smlatb` /
    `llvm.arm.smlatt`; the sums start from the bias without the folded
    zero-point term and end in the same requantization. About 10
    instructions per listed input and tile of 4 channels on the M4 (2.5
    per MAC) against about 1.6 per MAC for the dense kernel, and the row
    pass about 7 per input: it pays when more than about 40% of the
    inputs are zero, more for layers of few output channels. Layers that take the Helium dot
    products with `mve` keep them (16 products per instruction). The
    choice is the user's
    (`tinyq-compile --skip-zero-activations`): how sparse the activations
    are is known only at run time.

    Fully connected and pointwise layers whose int8 weights are 2:4 sparse
    (in every group of 4 consecutive weights along the reduction, at most
    2 are non-zero; `models/prune.py --pattern 2:4` makes them) multiply
    only the non-zero weights (`two-of-four-weights`, on by default): per
    input row each group of 4 inputs is expanded once into its 6 halfword
    pairs (x0, x2), (x1, x3) from `sxtb16`, and (x0, x1), (x2, x3),
    (x0, x3), (x1, x2) packed from those (`pkhbt` / `pkhtb`; 24 bytes per
    group in the arena), and each channel's group is one `smlad` of the
    pair that holds its two non-zero weights with their halfword pair.
    The weights and the pair's word index are one compile-time stream of
    word pairs (tile of 4 channels, group, channel), read with one `ldm` /
    `ldrd` per channel: about 19 instructions per group and tile on the M4
    (16 multiply-adds of the dense layer) against 21 to 26 for the dense
    kernels (int16, int8). The stream takes 2 bytes per weight, what int16
    weights take, so it follows the same `unpacked-weights-limit`; larger
    layers keep the dense kernel, whose int8 weights take 1 byte each. A
    layer that could skip zero activations too does that (the user asked
    for it).
  }];
  let options = [
    Option<"unpackedWeightsLimit", "unpacked-weights-limit", "int64_t",
           /*default=*/"16384",
           "int8 layers whose weights take at most this many bytes as int16 "
           "halves are stored so, and 2:4-sparse ones take the 2:4 kernel "
           "(0: none)">,
    Option<"mve", "mve", "bool", /*default=*/"false",
           "Helium (MVE) dot products (vmlava.s8) for fully connected and "
           "convolution layers whose kernel rows are whole 16-byte vectors">,
    Option<"skipZeroActivations", "skip-zero-activations", "bool",
           /*default=*/"false",
           "Fully connected and pointwise layers skip the products of zero "
           "activations (input == its zero point), except those that take "
           "Helium dot products">,
    Option<"twoOfFourWeights", "two-of-four-weights", "bool",
           /*default=*/"true",
           "Fully connected and pointwise layers whose int8 weights are 2:4 "
           "sparse multiply only the non-zero ones">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
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

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_TD
