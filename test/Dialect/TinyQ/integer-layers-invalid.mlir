// RUN: tinyq-opt %s --split-input-file --verify-diagnostics

func.func @bad_output_shape(%x: tensor<1x5x5x1xi8>, %w: tensor<2x3x3x1xi8>, %b: tensor<2xi32>) -> tensor<1x5x5x2xi8> {
  // expected-error @+1 {{expects output shape 1x3x3x2}}
  %0 = tinyq.conv2d %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x5x5x1xi8>, tensor<2x3x3x1xi8>, tensor<2xi32>) -> tensor<1x5x5x2xi8>
  return %0 : tensor<1x5x5x2xi8>
}

// -----

func.func @bad_channels(%x: tensor<1x5x5x3xi8>, %w: tensor<2x3x3x1xi8>, %b: tensor<2xi32>) -> tensor<1x3x3x2xi8> {
  // expected-error @+1 {{expects OHWI weights whose I is the input's channel count}}
  %0 = tinyq.conv2d %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x5x5x3xi8>, tensor<2x3x3x1xi8>, tensor<2xi32>) -> tensor<1x3x3x2xi8>
  return %0 : tensor<1x3x3x2xi8>
}

// -----

func.func @bad_bias(%x: tensor<2x8xi8>, %w: tensor<3x8xi8>, %b: tensor<2xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{expects a bias of 3 values, one per output channel}}
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [0] clamp [-128, 127] : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<2xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @bad_multipliers(%x: tensor<2x8xi8>, %w: tensor<3x8xi8>, %b: tensor<3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{expects 3 multipliers, got 2}}
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1073741824, 1073741824] shift [0, 0] clamp [-128, 127] : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @bad_multiplier_value(%x: tensor<2x8xi8>, %w: tensor<3x8xi8>, %b: tensor<3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{multiplier #0 (5) is neither 0 nor in [2^30, 2^31 - 1]}}
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [5] shift [0] clamp [-128, 127] : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @bad_zero_point(%x: tensor<2x8xi8>, %w: tensor<3x8xi8>, %b: tensor<3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{input zero point 200 is outside the storage range [-128, 127]}}
  %0 = tinyq.fully_connected %x, %w, %b zero_points(200, 0) multiplier [1073741824] shift [0] clamp [-128, 127] : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @bad_clamp(%x: tensor<2x8xi8>, %w: tensor<3x8xi8>, %b: tensor<3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{clamp minimum 10 exceeds clamp maximum 5}}
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [0] clamp [10, 5] : (tensor<2x8xi8>, tensor<3x8xi8>, tensor<3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @bad_depthwise(%x: tensor<1x3x3x3xi8>, %w: tensor<3x3x4xi8>, %b: tensor<4xi32>) -> tensor<1x1x1x4xi8> {
  // expected-error @+1 {{expects [KH, KW, C * M] weights, C the input's channel count}}
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x3x3x3xi8>, tensor<3x3x4xi8>, tensor<4xi32>) -> tensor<1x1x1x4xi8>
  return %0 : tensor<1x1x1x4xi8>
}

// -----

func.func @bad_window(%x: tensor<1x3x3x1xi8>, %w: tensor<1x1x1x1xi8>, %b: tensor<1xi32>) -> tensor<1x3x3x1xi8> {
  // expected-error @+1 {{expects non-negative pads and positive strides and dilations}}
  %0 = tinyq.conv2d %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [0, 0, 0, 0] stride [0, 1] dilation [1, 1] : (tensor<1x3x3x1xi8>, tensor<1x1x1x1xi8>, tensor<1xi32>) -> tensor<1x3x3x1xi8>
  return %0 : tensor<1x3x3x1xi8>
}

// -----

func.func @add_shape(%a: tensor<4xi8>, %b: tensor<5xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = tinyq.add %a, %b zero_points(0, 0, 0) left_shift 20 multiplier [1073741824, 1073741824, 1073741824] shift [0, 0, -19] clamp [-128, 127] : (tensor<4xi8>, tensor<5xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_zero_point(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{rhs zero point 128 is outside the storage range [-128, 127]}}
  %0 = tinyq.add %a, %b zero_points(0, 128, 0) left_shift 20 multiplier [1073741824, 1073741824, 1073741824] shift [0, 0, -19] clamp [-128, 127] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_left_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{left shift 23 is outside [0, 22]}}
  %0 = tinyq.add %a, %b zero_points(0, 0, 0) left_shift 23 multiplier [1073741824, 1073741824, 1073741824] shift [0, 0, -19] clamp [-128, 127] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_multiplier_count(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{expects 3 multipliers, got 2}}
  %0 = tinyq.add %a, %b zero_points(0, 0, 0) left_shift 20 multiplier [1073741824, 1073741824] shift [0, 0] clamp [-128, 127] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_input_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{input shift #1 (1) is positive; input factors must be below 1}}
  %0 = tinyq.add %a, %b zero_points(0, 0, 0) left_shift 20 multiplier [1073741824, 1073741824, 1073741824] shift [0, 1, -19] clamp [-128, 127] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @add_clamp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{clamp minimum 5 exceeds clamp maximum 4}}
  %0 = tinyq.add %a, %b zero_points(0, 0, 0) left_shift 20 multiplier [1073741824, 1073741824, 1073741824] shift [0, 0, -19] clamp [5, 4] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @avg_pool_shape(%x: tensor<1x5x5x2xi8>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{expects output shape 1x3x3x2}}
  %0 = tinyq.avg_pool2d %x zero_points(0, 0) multiplier [1073741824] shift [1] clamp [-128, 127] kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] : tensor<1x5x5x2xi8> -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @avg_pool_pad(%x: tensor<1x5x5x2xi8>) -> tensor<1x7x5x2xi8> {
  // expected-error @+1 {{expects each pad smaller than the kernel}}
  %0 = tinyq.avg_pool2d %x zero_points(0, 0) multiplier [1073741824] shift [1] clamp [-128, 127] kernel [1, 1] stride [1, 1] pad [1, 1, 0, 0] : tensor<1x5x5x2xi8> -> tensor<1x7x5x2xi8>
  return %0 : tensor<1x7x5x2xi8>
}

// -----

func.func @avg_pool_window(%x: tensor<1x5x5x2xi8>) -> tensor<1x5x5x2xi8> {
  // expected-error @+1 {{expects 2 kernel sizes, 2 strides and 4 pads (top, bottom, left, right)}}
  %0 = tinyq.avg_pool2d %x zero_points(0, 0) multiplier [1073741824] shift [1] clamp [-128, 127] kernel [1] stride [1, 1] pad [0, 0, 0, 0] : tensor<1x5x5x2xi8> -> tensor<1x5x5x2xi8>
  return %0 : tensor<1x5x5x2xi8>
}

// -----

func.func @avg_pool_multipliers(%x: tensor<1x5x5x2xi8>) -> tensor<1x5x5x2xi8> {
  // expected-error @+1 {{expects 1 multipliers, got 2}}
  %0 = tinyq.avg_pool2d %x zero_points(0, 0) multiplier [1073741824, 1073741824] shift [1, 1] clamp [-128, 127] kernel [1, 1] stride [1, 1] pad [0, 0, 0, 0] : tensor<1x5x5x2xi8> -> tensor<1x5x5x2xi8>
  return %0 : tensor<1x5x5x2xi8>
}
