//===- TinyQInterfaces.td - TinyQ op interfaces ------------*- tablegen -*-===//
//
// What the integer layers share, so that verifiers, lowerings and the
// reference evaluator are written once for all of them.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQINTERFACES_TD
#define TINYQ_DIALECT_TINYQ_IR_TINYQINTERFACES_TD

include "mlir/IR/OpBase.td"

def TinyQ_IntegerLayerOpInterface : OpInterface<"IntegerLayerOpInterface"> {
  let cppNamespace = "::tinyq";
  let description = [{
    An integer layer (`tinyq.fully_connected`, `tinyq.conv2d`,
    `tinyq.depthwise_conv2d`): int8 activations with a zero point, symmetric
    int8 or int4 weights, an int32 bias per output channel, and a
    requantization (one multiplier and shift, or one per output channel)
    into the output's zero point and clamp.

    Each layer is seen as a window: every output channel of every output
    position sums, over the `KH x KW` kernel taps and the tap's reduction
    channels, `(x - input_zero_point) * w`. A fully connected layer is a
    1 x 1 kernel whose tap reduces its whole depth; a convolution's taps
    reduce every input channel; a depthwise convolution's one. The values
    an output sums, in (kh, kw, c) order, are its reduction row (the rows
    SPARQ codes).

    Zero points and clamp bounds read back as signed `int32_t`.
  }];
  let methods = [
    InterfaceMethod<"The int8 activations.",
      "::mlir::TypedValue<::mlir::RankedTensorType>", "getInput">,
    InterfaceMethod<"The input operand, for rewrites that replace it.",
      "::mlir::OpOperand &", "getInputMutable">,
    InterfaceMethod<"The weights (int8 or int4).",
      "::mlir::TypedValue<::mlir::RankedTensorType>", "getWeights">,
    InterfaceMethod<"The int32 bias, one value per output channel.",
      "::mlir::TypedValue<::mlir::RankedTensorType>", "getBias">,
    InterfaceMethod<"The int8 result.",
      "::mlir::TypedValue<::mlir::RankedTensorType>", "getOutput">,
    InterfaceMethod<"The zero point of the input.", "int32_t",
      "getInputZeroPoint">,
    InterfaceMethod<"The zero point of the output.", "int32_t",
      "getOutputZeroPoint">,
    InterfaceMethod<"The smallest output value (the fused activation's).",
      "int32_t", "getClampMin">,
    InterfaceMethod<"The largest output value (the fused activation's).",
      "int32_t", "getClampMax">,
    InterfaceMethod<[{
        The quantized multipliers of the requantization: one for all
        channels, or one per output channel.
      }], "::llvm::ArrayRef<int32_t>", "getMultiplier">,
    InterfaceMethod<"The shifts that go with getMultiplier().",
      "::llvm::ArrayRef<int32_t>", "getShift">,
    InterfaceMethod<"The SPARQ configuration of the activations, if any.",
      "::tinyq::SparqAttr", "getSparqAttr">,
    InterfaceMethod<"Drops the SPARQ configuration; returns it.",
      "::mlir::Attribute", "removeSparqAttr">,
    InterfaceMethod<"Kernel height and width; 1 x 1 for a fully connected "
                    "layer.", "std::array<int64_t, 2>", "getKernelSize">,
    InterfaceMethod<[{
        The input channels one output sums at each kernel tap: the depth of
        a fully connected layer, the input channels of a convolution, 1 for
        a depthwise convolution.
      }], "int64_t", "getTapChannels">,
    InterfaceMethod<[{
        Whether each output channel reads a single input channel (a
        depthwise convolution) rather than all of them.
      }], "bool", "isChannelwise">,
    InterfaceMethod<[{
        For the weight at row-major flat index `flatIndex`: its output
        channel, and its place in that channel's reduction row.
      }], "std::pair<int64_t, int64_t>", "getWeightCoordinates",
      (ins "int64_t":$flatIndex)>,
    InterfaceMethod<"The output channels (the output's last dimension).",
      "int64_t", "getOutputChannels", (ins), [{}], [{
        return $_op.getOutput().getType().getShape().back();
      }]>,
    InterfaceMethod<"The output dimension that holds the channels.",
      "int64_t", "getChannelAxis", (ins), [{}], [{
        return $_op.getOutput().getType().getRank() - 1;
      }]>,
    InterfaceMethod<[{
        The values one output sums: kernel taps times tap channels.
      }], "int64_t", "getReductionDepth", (ins), [{}], [{
        std::array<int64_t, 2> kernel = $_op.getKernelSize();
        return kernel[0] * kernel[1] * $_op.getTapChannels();
      }]>,
    InterfaceMethod<[{
        Whether the requantization has one multiplier and shift per output
        channel (else one for all).
      }], "bool", "isPerChannel", (ins), [{}], [{
        return $_op.getMultiplier().size() > 1;
      }]>,
    InterfaceMethod<[{
        The index into getMultiplier() and getShift() of output channel
        `channel`.
      }], "int64_t", "getRequantizationIndex", (ins "int64_t":$channel),
      [{}], [{
        return $_op.getMultiplier().size() > 1 ? channel : 0;
      }]>,
  ];
}

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQINTERFACES_TD
