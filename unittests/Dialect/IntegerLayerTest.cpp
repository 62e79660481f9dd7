//===- IntegerLayerTest.cpp - IntegerLayerOpInterface on the three layers -===//
//
// The interface's view of each integer layer (kernel, tap channels,
// reduction depth, where each weight goes), checked against the layouts the
// op documentation states: [outputs, depth] for a fully connected layer,
// OHWI for a convolution, [KH, KW, C * M] for a depthwise one.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace tinyq;

namespace {
class IntegerLayer : public ::testing::Test {
protected:
  IntegerLayer() {
    context.loadDialect<TinyQDialect, arith::ArithDialect, func::FuncDialect>();
  }

  /// The one integer layer of the function \p body (taking %x).
  IntegerLayerOpInterface parseLayer(StringRef signature, StringRef body) {
    std::string text =
        ("func.func @f(%x: " + signature + ") {\n" + body + "\n  return\n}\n")
            .str();
    module = parseSourceString<ModuleOp>(text, &context);
    EXPECT_TRUE(module);
    IntegerLayerOpInterface layer;
    module->walk([&](IntegerLayerOpInterface op) { layer = op; });
    EXPECT_TRUE(layer);
    return layer;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};
} // namespace

TEST_F(IntegerLayer, FullyConnectedIsOneTapOverItsDepth) {
  IntegerLayerOpInterface layer =
      parseLayer("tensor<2x6xi8>",
                 R"(%w = arith.constant dense<1> : tensor<3x6xi8>
  %b = arith.constant dense<0> : tensor<3xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 5)
         multiplier [1073741824] shift [-1] clamp [-100, 127]
         : (tensor<2x6xi8>, tensor<3x6xi8>, tensor<3xi32>) -> tensor<2x3xi8>)");
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer.getKernelSize(), (std::array<int64_t, 2>{1, 1}));
  EXPECT_EQ(layer.getTapChannels(), 6);
  EXPECT_EQ(layer.getReductionDepth(), 6);
  EXPECT_EQ(layer.getOutputChannels(), 3);
  EXPECT_EQ(layer.getChannelAxis(), 1);
  EXPECT_FALSE(layer.isChannelwise());
  EXPECT_FALSE(layer.isPerChannel());
  EXPECT_EQ(layer.getRequantizationIndex(2), 0);
  // Signed, although stored as signless i32 attributes.
  EXPECT_EQ(layer.getInputZeroPoint(), -128);
  EXPECT_EQ(layer.getOutputZeroPoint(), 5);
  EXPECT_EQ(layer.getClampMin(), -100);
  for (int64_t output = 0; output < 3; ++output)
    for (int64_t k = 0; k < 6; ++k)
      EXPECT_EQ(layer.getWeightCoordinates(output * 6 + k),
                std::make_pair(output, k));
}

TEST_F(IntegerLayer, ConvolutionRowsAreOhwiRows) {
  IntegerLayerOpInterface layer =
      parseLayer("tensor<1x5x5x3xi8>",
                 R"(%w = arith.constant dense<1> : tensor<4x2x3x3xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.conv2d %x, %w, %b zero_points(-3, 0)
         multiplier [1073741824, 1073741824, 1073741824, 1073741824]
         shift [-1, -2, -3, -4] clamp [-128, 127]
         pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1]
         : (tensor<1x5x5x3xi8>, tensor<4x2x3x3xi8>, tensor<4xi32>) -> tensor<1x4x3x4xi8>)");
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer.getKernelSize(), (std::array<int64_t, 2>{2, 3}));
  EXPECT_EQ(layer.getTapChannels(), 3);
  EXPECT_EQ(layer.getReductionDepth(), 18);
  EXPECT_EQ(layer.getOutputChannels(), 4);
  EXPECT_EQ(layer.getChannelAxis(), 3);
  EXPECT_TRUE(layer.isPerChannel());
  EXPECT_EQ(layer.getRequantizationIndex(2), 2);
  // Weight [o, kh, kw, c] is at (o, (kh * 3 + kw) * 3 + c) of the rows.
  for (int64_t o = 0; o < 4; ++o)
    for (int64_t kh = 0; kh < 2; ++kh)
      for (int64_t kw = 0; kw < 3; ++kw)
        for (int64_t c = 0; c < 3; ++c)
          EXPECT_EQ(layer.getWeightCoordinates(((o * 2 + kh) * 3 + kw) * 3 + c),
                    std::make_pair(o, (kh * 3 + kw) * 3 + c));
}

TEST_F(IntegerLayer, DepthwiseRowsAreOneChannelsTaps) {
  // Two input channels, multiplier 2: output channel c * 2 + m.
  IntegerLayerOpInterface layer =
      parseLayer("tensor<1x4x4x2xi8>",
                 R"(%w = arith.constant dense<1> : tensor<3x2x4xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(0, 0)
         multiplier [1073741824] shift [-1] clamp [-128, 127]
         pad [1, 1, 0, 0] stride [1, 1] dilation [1, 1]
         : (tensor<1x4x4x2xi8>, tensor<3x2x4xi8>, tensor<4xi32>) -> tensor<1x4x3x4xi8>)");
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer.getKernelSize(), (std::array<int64_t, 2>{3, 2}));
  EXPECT_EQ(layer.getTapChannels(), 1);
  EXPECT_EQ(layer.getReductionDepth(), 6);
  EXPECT_EQ(layer.getOutputChannels(), 4);
  EXPECT_TRUE(layer.isChannelwise());
  // Weight [kh, kw, o] is tap kh * 2 + kw of output channel o.
  for (int64_t kh = 0; kh < 3; ++kh)
    for (int64_t kw = 0; kw < 2; ++kw)
      for (int64_t o = 0; o < 4; ++o)
        EXPECT_EQ(layer.getWeightCoordinates((kh * 2 + kw) * 4 + o),
                  std::make_pair(o, kh * 2 + kw));
}
