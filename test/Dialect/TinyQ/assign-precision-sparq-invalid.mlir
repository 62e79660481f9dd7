// RUN: tinyq-opt %s --tinyq-assign-precision="sparq=4,5opt,truncate" --split-input-file --verify-diagnostics

// A layer that can take SPARQ needs the analysis's SPARQ SQNR.
func.func @unanalyzed(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %w = "tosa.const"() <{values = dense<0.5> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %i = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  // expected-error @+1 {{no tinyq.input_sparq_sqnr: run the sensitivity analysis with the SPARQ candidate}}
  %l = tosa.conv2d %i, %w, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.sensitivity = #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = 48.0, weight_mse = 1.0e-06, activation_sqnr = 40.0, activation_mse = 1.0e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 22.0, weight_mse = 1.0e-03, activation_sqnr = 15.0, activation_mse = 1.0e-02>]>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  return %l : tensor<1x1x1x2xf32>
}

// -----

func.func @uncalibrated(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b2 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %w = "tosa.const"() <{values = dense<0.5> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %i = tinyq.observe %x id 0 : tensor<1x1x1x2xf32>
  // expected-error @+1 {{SPARQ needs a calibrated model: the layer's input has no range}}
  %l = tosa.conv2d %i, %w, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.sensitivity = #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = 48.0, weight_mse = 1.0e-06, activation_sqnr = 40.0, activation_mse = 1.0e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 22.0, weight_mse = 1.0e-03, activation_sqnr = 15.0, activation_mse = 1.0e-02>]>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  return %l : tensor<1x1x1x2xf32>
}
