//===- Passes.td - Quantization passes on the tinyq dialect -*- tablegen -*-===//

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
    Option<"costModel", "cost-model", "std::string", "\"\"",
           "Target whose cycle estimates objective=cycles uses: cortex-m4, "
           "cortex-m7 or cortex-m55 (default: the module's #tinyq.target "
           "when it has a cost model, else cortex-m4)">,
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

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_TD
