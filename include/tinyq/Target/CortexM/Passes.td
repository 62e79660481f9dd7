//===- Passes.td - Cortex-M kernels and code passes --------*- tablegen -*-===//

#ifndef TINYQ_TARGET_CORTEXM_PASSES_TD
#define TINYQ_TARGET_CORTEXM_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQLowerCortexM : Pass<"tinyq-lower-cortex-m", "::mlir::func::FuncOp"> {
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
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::tinyq::cortexm::CortexMDialect"];
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

#endif // TINYQ_TARGET_CORTEXM_PASSES_TD
