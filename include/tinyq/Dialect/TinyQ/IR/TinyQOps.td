//===- TinyQOps.td - TinyQ operations ----------------------*- tablegen -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQOPS_TD
#define TINYQ_DIALECT_TINYQ_IR_TINYQOPS_TD

include "tinyq/Dialect/TinyQ/IR/TinyQDialect.td"
include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.td"
include "tinyq/Dialect/TinyQ/IR/TinyQInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TinyQ_Op<string mnemonic, list<Trait> traits = []>
    : Op<TinyQ_Dialect, mnemonic, traits>;

// Zero points, clamp bounds and shifts: signless i32 attributes, printed
// and stored as upstream's I32Attr, whose getters return the bits as
// uint32_t; these return int32_t.
def TinyQ_I32Attr : SignlessIntegerAttrBase<I32,
    "32-bit signless integer attribute read as a signed value"> {
  let returnType = "int32_t";
  let convertFromStorage =
      "static_cast<int32_t>($_self.getValue().getSExtValue())";
}

def TinyQ_ObserveOp : TinyQ_Op<"observe",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Marks a calibration point";
  let description = [{
    Returns its input unchanged. Calibration runs the float model and records
    the statistics of every observed tensor under the op's `id`, which is
    stable across passes so that statistics can be folded back into the IR
    (as `range`). It never folds away: removing calibration points is the job
    of `tinyq-strip-observe`.

    Example:

    ```mlir
    %0 = tinyq.observe %x id 3 range <min = -1.0, max = 6.0, samples = 64> : tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[AnyFloat]>:$input,
    ConfinedAttr<I64Attr, [IntNonNegative]>:$id,
    OptionalAttr<TinyQ_RangeAttr>:$range
  );
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $input `id` $id (`range` $range^)? attr-dict `:` type($input)
  }];
}

def TinyQ_FakeQuantOp : TinyQ_Op<"fake_quant",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Simulated quantization: quantize then dequantize, in float";
  let description = [{
    Computes `(clamp(round_ties_to_even(x / s) + z, qmin, qmax) - z) * s`
    elementwise in float32, with the scale `s`, zero point `z` and storage
    range `[qmin, qmax]` of `quant_type`, an upstream `!quant.uniform` type
    (per tensor or per axis; narrow ranges such as `i8<-127:127>` are
    honoured). Unlike `quant.dcast(quant.qcast(x))`, which canonicalizes to
    `x`, this op survives canonicalization: it is how TinyQ simulates any bit
    width in float. Scales are used as float32. A constant input folds to the
    simulated values.

    Example:

    ```mlir
    %0 = tinyq.fake_quant %x as !quant.uniform<i4:f32, 0.25:-2> : tensor<16xf32>
    %1 = tinyq.fake_quant %w as !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}> : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    TypeAttr:$quant_type
  );
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `as` $quant_type attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TinyQ_RequantizeOp : TinyQ_Op<"requantize",
    [Pure, SameOperandsAndResultShape]> {
  let summary = "Rescales int32 accumulators to narrow integers";
  let description = [{
    For each element `x` of channel `c`, computes
    `clamp((x - input_zero_point) * M[c] + zero_point, clamp_min, clamp_max)`
    where
    `M[c] = multiplier[c] * 2^(shift[c] - 31)` is applied with TFLite's
    integer rule: a saturating rounding doubling high multiply and a rounding
    right shift (positive shifts are applied first, as a left shift that
    saturates). Without `axis` there is one multiplier and one shift for the
    whole tensor; with `axis`, one per index of that dimension.

    Multipliers are 0 or in [2^30, 2^31 - 1], shifts in [-31, 30]; the zero
    point and the clamp bounds lie in the signed range of the result's
    element type. The input is an int32 accumulator, or narrow integers
    with `input_zero_point` (default 0) in their range: an int8 tensor
    rescaled from one quantization to another. A constant input folds.

    Example:

    ```mlir
    %0 = tinyq.requantize %acc multiplier [1395864371, 1073741824] shift [-7, -8]
           zero_point -3 clamp [-128, 127] axis 3 : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
    %1 = tinyq.requantize %x input_zero_point 5 multiplier [1395864371]
           shift [0] zero_point -3 clamp [-128, 127] : tensor<8xi8> -> tensor<8xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I<4>, I8, I16, I32]>:$input,
    DefaultValuedAttr<TinyQ_I32Attr, "0">:$input_zero_point,
    DenseI32ArrayAttr:$multiplier,
    DenseI32ArrayAttr:$shift,
    TinyQ_I32Attr:$zero_point,
    TinyQ_I32Attr:$clamp_min,
    TinyQ_I32Attr:$clamp_max,
    OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$axis
  );
  let results = (outs RankedTensorOf<[I<4>, I8, I16]>:$output);
  let assemblyFormat = [{
    $input (`input_zero_point` $input_zero_point^)? `multiplier` $multiplier
    `shift` $shift `zero_point` $zero_point `clamp` ` ` `[` $clamp_min `,`
    $clamp_max `]` (`axis` $axis^)? attr-dict
    `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TinyQ_SparqOp : TinyQ_Op<"sparq", [Pure, SameOperandsAndResultType]> {
  let summary = "Applies a SPARQ configuration to integer activations";
  let description = [{
    For each element `x`, the magnitude `a = clamp(x - zero_point, 0, 255)`
    goes through the `config` (see `#tinyq.sparq`); the result is
    `sparq(a) + zero_point`, saturated to the element type. With
    `pairs = true`, elements pair up along the innermost dimension, (0, 1),
    (2, 3), ..., and an odd last element pairs with a virtual zero. A
    constant input folds.

    Example:

    ```mlir
    %0 = tinyq.sparq %a <bits = 4, shifts = [0, 2, 4], rounding = nearest_even>
           zero_point -128 : tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I8, I16, I32]>:$input,
    TinyQ_SparqAttr:$config,
    DefaultValuedAttr<TinyQ_I32Attr, "0">:$zero_point
  );
  let results = (outs RankedTensorOf<[I8, I16, I32]>:$result);
  let assemblyFormat = [{
    $input $config (`zero_point` $zero_point^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Integer layers
//===----------------------------------------------------------------------===//

class TinyQ_IntegerLayerOp<string mnemonic, string layerSummary,
                           string layerDescription, dag windowArguments,
                           string windowFormat>
    : TinyQ_Op<mnemonic, [Pure, TinyQ_IntegerLayerOpInterface]> {
  let summary = layerSummary;
  let description = layerDescription # [{

    Integer semantics, shared by the integer layers: inputs are signed
    integers with `input_zero_point`, weights are symmetric signed integers
    (zero point 0; `i4` weights are 4-bit values, packed by the lowering),
    and each output channel `o` computes the int32 accumulator
    `acc = bias[o] + sum((x - input_zero_point) * w)`, then
    `clamp(requantize(acc, multiplier[o], shift[o]) + output_zero_point,
    clamp_min, clamp_max)` with the rules of `tinyq.requantize` (one
    multiplier and shift for all channels, or one per output channel). The
    fused activation is the clamp. The numerics library's reference
    evaluator (`tinyq::numerics::reference`) defines the results bit for
    bit.

    With `sparq` (a `#tinyq.sparq`), the activations go through SPARQ
    before they are multiplied: the magnitudes `clamp(x - input_zero_point,
    0, 255)` of each output's reduction row — its window in (kh, kw, c)
    order, padding included as 0; the reduction axis of a fully connected
    layer — take the place of `x - input_zero_point`, with vSPARQ pairs
    (0, 1), (2, 3), ... along that row.
  }];
  let arguments = !con((ins
    RankedTensorOf<[I8]>:$input,
    RankedTensorOf<[I<4>, I8]>:$weights,
    RankedTensorOf<[I32]>:$bias,
    TinyQ_I32Attr:$input_zero_point,
    TinyQ_I32Attr:$output_zero_point,
    DenseI32ArrayAttr:$multiplier,
    DenseI32ArrayAttr:$shift,
    TinyQ_I32Attr:$clamp_min,
    TinyQ_I32Attr:$clamp_max,
    OptionalAttr<TinyQ_SparqAttr>:$sparq
  ), windowArguments);
  let results = (outs RankedTensorOf<[I8]>:$output);
  // IntegerLayerOpInterface's methods without a default, in TinyQOps.cpp.
  let extraClassDeclaration = [{
    std::array<int64_t, 2> getKernelSize();
    int64_t getTapChannels();
    bool isChannelwise();
    std::pair<int64_t, int64_t> getWeightCoordinates(int64_t flatIndex);
  }];
  let assemblyFormat = [{
    $input `,` $weights `,` $bias `zero_points` `(` $input_zero_point `,`
    $output_zero_point `)` `multiplier` $multiplier `shift` $shift `clamp`
    ` ` `[` $clamp_min `,` $clamp_max `]` }] # windowFormat # [{ attr-dict
    `:` `(` type($input) `,` type($weights) `,` type($bias) `)` `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def TinyQ_FullyConnectedOp : TinyQ_IntegerLayerOp<"fully_connected",
    "Integer fully connected layer with fused requantization",
    [{
    `output[r, o]` for input `[rows, depth]` and weights `[outputs, depth]`.

    Example:

    ```mlir
    %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 3)
           multiplier [1395864371] shift [-7] clamp [-128, 127]
           : (tensor<1x1568xi8>, tensor<10x1568xi8>, tensor<10xi32>) -> tensor<1x10xi8>
    ```
    }], (ins), "">;

def TinyQ_Conv2DOp : TinyQ_IntegerLayerOp<"conv2d",
    "Integer 2-D convolution with fused requantization",
    [{
    NHWC input, OHWI weights, NHWC output. Padding (`pad` = top, bottom,
    left, right) holds the input zero point, i.e. contributes nothing.

    Example:

    ```mlir
    %0 = tinyq.conv2d %x, %w, %b zero_points(-128, -128)
           multiplier [1395864371, 1073741824] shift [-7, -8] clamp [-128, 127]
           pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1]
           : (tensor<1x28x28x1xi8>, tensor<2x3x3x1xi8>, tensor<2xi32>) -> tensor<1x28x28x2xi8>
    ```
    }],
    (ins DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
         DenseI64ArrayAttr:$dilation),
    "`pad` $pad `stride` $stride `dilation` $dilation">;

def TinyQ_DepthwiseConv2DOp : TinyQ_IntegerLayerOp<"depthwise_conv2d",
    "Integer depthwise 2-D convolution with fused requantization",
    [{
    NHWC input with `C` channels, weights `[KH, KW, C * M]` (TFLite's layout;
    `M` the channel multiplier): output channel `c * M + m` reads input
    channel `c`. Padding holds the input zero point.

    Example:

    ```mlir
    %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(-128, -128)
           multiplier [1395864371] shift [-7] clamp [-128, 127]
           pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1]
           : (tensor<1x14x14x16xi8>, tensor<3x3x16xi8>, tensor<16xi32>) -> tensor<1x14x14x16xi8>
    ```
    }],
    (ins DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
         DenseI64ArrayAttr:$dilation),
    "`pad` $pad `stride` $stride `dilation` $dilation">;

def TinyQ_AddOp : TinyQ_Op<"add", [Pure, SameOperandsAndResultShape]> {
  let summary = "Integer elementwise addition with TFLite-style rescaling";
  let description = [{
    Adds two quantized tensors of the same shape, each with its own scale
    and zero point, into a third quantization. With
    `multiplier = [m_lhs, m_rhs, m_out]` and `shift = [s_lhs, s_rhs, s_out]`
    (each pair encoding a real factor as in `tinyq.requantize`), every
    element computes

    ```
    a = mul((lhs - lhs_zero_point) * 2^left_shift, m_lhs, s_lhs)
    b = mul((rhs - rhs_zero_point) * 2^left_shift, m_rhs, s_rhs)
    output = clamp(mul(a + b, m_out, s_out) + output_zero_point,
                   clamp_min, clamp_max)
    ```

    where `mul` is the saturating rounding doubling high multiply and the
    rounding shift of `tinyq.requantize`. The fusion chooses TFLite's
    factors: the inputs are scaled by `s_in / (2 * max(s_lhs, s_rhs))`
    (at most 1/2) and the sum by `2 * max(s_lhs, s_rhs) / (2^left_shift *
    s_out)`. `left_shift` lies in [0, 22] and the input shifts are at most
    0, so no intermediate overflows 32 bits. The numerics library's
    `reference::add` defines the results bit for bit.

    Example:

    ```mlir
    %0 = tinyq.add %a, %b zero_points(-128, 1, -128) left_shift 20
           multiplier [1073741824, 1543503872, 1684354560] shift [0, -1, -17]
           clamp [-128, 127]
           : (tensor<1x14x14x16xi8>, tensor<1x14x14x16xi8>) -> tensor<1x14x14x16xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I8]>:$lhs,
    RankedTensorOf<[I8]>:$rhs,
    TinyQ_I32Attr:$lhs_zero_point,
    TinyQ_I32Attr:$rhs_zero_point,
    TinyQ_I32Attr:$output_zero_point,
    TinyQ_I32Attr:$left_shift,
    DenseI32ArrayAttr:$multiplier,
    DenseI32ArrayAttr:$shift,
    TinyQ_I32Attr:$clamp_min,
    TinyQ_I32Attr:$clamp_max
  );
  let results = (outs RankedTensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs `zero_points` `(` $lhs_zero_point `,` $rhs_zero_point `,`
    $output_zero_point `)` `left_shift` $left_shift `multiplier` $multiplier
    `shift` $shift `clamp` ` ` `[` $clamp_min `,` $clamp_max `]` attr-dict
    `:` `(` type($lhs) `,` type($rhs) `)` `->` type($output)
  }];
  let hasVerifier = 1;
}

def TinyQ_AvgPool2DOp : TinyQ_Op<"avg_pool2d", [Pure]> {
  let summary = "Integer 2-D average pooling with requantization";
  let description = [{
    NHWC input and output. For each output element, over the `kernel`
    window at `stride` (`pad` = top, bottom, left, right; padded positions
    are not part of the window):

    ```
    acc = sum(x - input_zero_point)          over the n valid positions
    avg = acc / n, rounded half away from zero (TFLite's rule)
    output = clamp(requantize(avg, multiplier, shift) + output_zero_point,
                   clamp_min, clamp_max)
    ```

    with one multiplier and shift (`s_in / s_out`; exactly 1 when the two
    quantizations are equal). The numerics library's
    `reference::avgPool2d` defines the results bit for bit.

    Example:

    ```mlir
    %0 = tinyq.avg_pool2d %x zero_points(-128, -128) multiplier [1073741824]
           shift [1] clamp [-128, 127] kernel [25, 5] stride [25, 5]
           pad [0, 0, 0, 0] : tensor<1x25x5x64xi8> -> tensor<1x1x1x64xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I8]>:$input,
    TinyQ_I32Attr:$input_zero_point,
    TinyQ_I32Attr:$output_zero_point,
    DenseI32ArrayAttr:$multiplier,
    DenseI32ArrayAttr:$shift,
    TinyQ_I32Attr:$clamp_min,
    TinyQ_I32Attr:$clamp_max,
    DenseI64ArrayAttr:$kernel,
    DenseI64ArrayAttr:$stride,
    DenseI64ArrayAttr:$pad
  );
  let results = (outs RankedTensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $input `zero_points` `(` $input_zero_point `,` $output_zero_point `)`
    `multiplier` $multiplier `shift` $shift `clamp` ` ` `[` $clamp_min `,`
    $clamp_max `]` `kernel` $kernel `stride` $stride `pad` $pad attr-dict
    `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQOPS_TD
