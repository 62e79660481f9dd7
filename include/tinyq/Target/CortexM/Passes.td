//===- Passes.td - Cortex-M kernels and code passes --------*- tablegen -*-===//

#ifndef TINYQ_TARGET_CORTEXM_PASSES_TD
#define TINYQ_TARGET_CORTEXM_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQLowerCortexM : Pass<"tinyq-lower-cortex-m", "::mlir::func::FuncOp"> {
  let summary = "Lower integer layers to Cortex-M DSP and Helium kernels";
  let description = [{
    The Cortex-M back end's kernels for the integer layers, on modules
    whose `#tinyq.target` has the DSP extension (`+dsp`: Cortex-M4, M7,
    M33, M55, M85); other modules are left to `tinyq-lower-integer-ops`,
    which also takes the layers these kernels do not.

    * Fully connected layers and undilated convolutions whose kernel rows
      are whole words: tiles of 4 output channels accumulate with
      `tinyq_cortexm.intr.sxtb16` and `intr.smlad`, each input word loaded
      and unpacked once per tile, the weights laid out at compile time in
      loop order (int16 halfword pairs up to `unpacked-weights-limit`,
      else bytes; int4 nibbles arranged so that a shift and a mask give the
      halfword pairs). With Helium (`+mve`), reductions of whole 16-byte
      vectors take `intr.mve.vmldava` (`vmlava.s8`) in tiles of 4 or 8.
    * Depthwise convolutions with 4k channels: per output pixel and tile of
      4 channels, `intr.smlabb` / `intr.smlatt` by halfword weights; with
      Helium, vector tiles of 4 or 8 channels, or 4 output pixels of one
      channel in the lanes.
    * With `skip-zero-activations`, fully connected and pointwise layers
      skip the products of zero activations; with `two-of-four-weights`,
      2:4-sparse int8 weights multiply only their non-zero weights.
    * Each tile ends requantized into int8 outputs stored directly, with
      the numerics library's right-shift form (`smmulr`, or
      `intr.mve.vqrdmulh` in vectors) where every multiplier allows it and
      the accumulators are bounded, else its general form; bit-exact with
      the portable lowering either way.

    `docs/CortexM.md` describes every kernel, its constant layout
    (`WeightLayouts.h`) and what each choice saved.

    ```mlir
    // Before (module attributes {tinyq.target = #tinyq.target<cpu = "cortex-m4", ...>})
    %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 3) multiplier [1395864371] shift [-7] clamp [-128, 127]
           : (tensor<2x8xi8>, tensor<6x8xi8>, tensor<6xi32>) -> tensor<2x6xi8>
    // After: loops over rows and tiles of channels, per step
    %pairs = tinyq_cortexm.intr.sxtb16 %word
    %sum = tinyq_cortexm.intr.smlad %pairs, %weights, %acc
    ```
  }];
  let options = [
    Option<"unpackedWeightsLimit", "unpacked-weights-limit", "int64_t",
           /*default=*/"16384",
           "int8 layers whose weights take at most this many bytes as int16 "
           "halves are stored so, and 2:4-sparse ones take the 2:4 kernel "
           "(0: none)">,
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
    "::tinyq::cortexm::CortexMDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def TinyQCombineByteAccesses : Pass<"tinyq-combine-byte-accesses"> {
  let summary = "Load and store little-endian words of bytes at once";
  let description = [{
    On modules whose `#tinyq.target` has the DSP extension (`+dsp`).
    The Arm DSP kernels (`tinyq-lower-cortex-m`) read four consecutive int8
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
    On modules whose `#tinyq.target` has Helium (`+mve`).
    On the LLVM dialect: `llvm.intr.masked.gather` and
    `llvm.intr.masked.scatter` of 4 bytes (gathers of 8 too, at constant
    offsets below 2^16, in 16-bit lanes: `vldrb.u16`) whose pointers are one
    `llvm.getelementptr` of a base pointer with a vector of i32 byte
    offsets, under an all-true mask (what `vector.gather` and
    `vector.scatter` on a 1-D byte buffer lower to, e.g. those of
    `tinyq-combine-byte-accesses`), become Helium's own
    `tinyq_cortexm.intr.mve.vldr.gather.offset` and
    `tinyq_cortexm.intr.mve.vstr.scatter.offset`
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
    %x = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %offsets
         {is_unsigned = 0 : i32, memory_bits = 8 : i32, shift = 0 : i32}
         : (!llvm.ptr, vector<4xi32>) -> vector<4xi32>
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::tinyq::cortexm::CortexMDialect"];
}

def TinyQChainMveLoads : Pass<"tinyq-chain-mve-loads"> {
  let summary = "Streams of Helium vector loads as pointer chains";
  let description = [{
    On modules whose `#tinyq.target` has Helium (`+mve`).
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

#endif // TINYQ_TARGET_CORTEXM_PASSES_TD
