// RUN: tinyq-opt %s | tinyq-opt | FileCheck %s

// CHECK-LABEL: func.func @layers
// CHECK: tinyq.conv2d %arg0, %arg1, %arg2 zero_points(-128, -5) multiplier [1395864371, 1073741824] shift [-7, -8] clamp [-5, 127] pad [1, 1, 1, 1] stride [2, 2] dilation [1, 1] : (tensor<1x5x5x1xi8>, tensor<2x3x3x1xi4>, tensor<2xi32>) -> tensor<1x3x3x2xi8>
// CHECK: tinyq.depthwise_conv2d %{{.*}}, %arg3, %arg4 zero_points(-5, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x3x3x2xi8>, tensor<3x3x4xi8>, tensor<4xi32>) -> tensor<1x1x1x4xi8>
// CHECK: tinyq.fully_connected %arg5, %arg6, %arg7 zero_points(0, 1) multiplier [1073741824] shift [-3] clamp [-128, 127] : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<3xi32>) -> tensor<2x3xi8>
func.func @layers(%x: tensor<1x5x5x1xi8>, %w: tensor<2x3x3x1xi4>, %b: tensor<2xi32>,
                  %dw: tensor<3x3x4xi8>, %db: tensor<4xi32>,
                  %fx: tensor<2x8xi8>, %fw: tensor<3x8xi8>, %fb: tensor<3xi32>)
    -> (tensor<1x1x1x4xi8>, tensor<2x3xi8>) {
  %0 = tinyq.conv2d %x, %w, %b zero_points(-128, -5)
         multiplier [1395864371, 1073741824] shift [-7, -8] clamp [-5, 127]
         pad [1, 1, 1, 1] stride [2, 2] dilation [1, 1]
         : (tensor<1x5x5x1xi8>, tensor<2x3x3x1xi4>, tensor<2xi32>) -> tensor<1x3x3x2xi8>
  %1 = tinyq.depthwise_conv2d %0, %dw, %db zero_points(-5, 0)
         multiplier [1073741824] shift [0] clamp [-128, 127]
         pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1]
         : (tensor<1x3x3x2xi8>, tensor<3x3x4xi8>, tensor<4xi32>) -> tensor<1x1x1x4xi8>
  %2 = tinyq.fully_connected %fx, %fw, %fb zero_points(0, 1)
         multiplier [1073741824] shift [-3] clamp [-128, 127]
         : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return %1, %2 : tensor<1x1x1x4xi8>, tensor<2x3xi8>
}

// CHECK-LABEL: func.func @add
// CHECK: tinyq.add %arg0, %arg1 zero_points(-128, 1, -3) left_shift 20 multiplier [1073741824, 1543503872, 1684354560] shift [0, -1, -17] clamp [-3, 127] : (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8>
func.func @add(%a: tensor<1x4x4x2xi8>, %b: tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8> {
  %0 = tinyq.add %a, %b zero_points(-128, 1, -3) left_shift 20
         multiplier [1073741824, 1543503872, 1684354560] shift [0, -1, -17]
         clamp [-3, 127]
         : (tensor<1x4x4x2xi8>, tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8>
  return %0 : tensor<1x4x4x2xi8>
}

// CHECK-LABEL: func.func @avg_pool
// CHECK: tinyq.avg_pool2d %arg0 zero_points(-128, -3) multiplier [1503238554] shift [0] clamp [-3, 127] kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] : tensor<1x5x5x2xi8> -> tensor<1x3x3x2xi8>
func.func @avg_pool(%x: tensor<1x5x5x2xi8>) -> tensor<1x3x3x2xi8> {
  %0 = tinyq.avg_pool2d %x zero_points(-128, -3) multiplier [1503238554]
         shift [0] clamp [-3, 127] kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1]
         : tensor<1x5x5x2xi8> -> tensor<1x3x3x2xi8>
  return %0 : tensor<1x3x3x2xi8>
}
