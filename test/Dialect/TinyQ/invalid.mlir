// RUN: tinyq-opt %s --split-input-file --verify-diagnostics

// One case per verifier rule of the tinyq attributes and operations.

// expected-error@+1 {{invalid SPARQ configuration: window width 7 is outside [2, 6] bits}}
func.func private @sparq_bits_too_wide() attributes {a = #tinyq.sparq<bits = 7, shifts = [0, 1], rounding = truncate>}

// -----

// expected-error@+1 {{invalid SPARQ configuration: window width 1 is outside [2, 6] bits}}
func.func private @sparq_bits_too_narrow() attributes {a = #tinyq.sparq<bits = 1, shifts = [7], rounding = truncate>}

// -----

// expected-error@+1 {{invalid SPARQ configuration: shift -1 is negative}}
func.func private @sparq_negative_shift() attributes {a = #tinyq.sparq<bits = 4, shifts = [-1, 4], rounding = truncate>}

// -----

// expected-error@+1 {{invalid SPARQ configuration: shift 2 appears twice}}
func.func private @sparq_duplicate_shift() attributes {a = #tinyq.sparq<bits = 4, shifts = [0, 2, 2, 4], rounding = truncate>}

// -----

// expected-error@+1 {{invalid SPARQ configuration: shifts are not sorted: 2 follows 4}}
func.func private @sparq_unsorted_shifts() attributes {a = #tinyq.sparq<bits = 4, shifts = [0, 4, 2], rounding = nearest_even>}

// -----

// expected-error@+1 {{invalid SPARQ configuration: the window at shift 5 covers bits 5..8, past bit 7}}
func.func private @sparq_window_past_bit_7() attributes {a = #tinyq.sparq<bits = 4, shifts = [0, 5], rounding = truncate>}

// -----

// expected-error@+1 {{invalid SPARQ configuration: no window reaches bit 7: the largest shift must be 5}}
func.func private @sparq_window_short_of_bit_7() attributes {a = #tinyq.sparq<bits = 3, shifts = [0, 2, 4], rounding = truncate>}

// -----

// expected-error@+1 {{weight bit width 9 is outside [2, 8]}}
func.func private @precision_weight_bits_high() attributes {a = #tinyq.precision<weight_bits = 9, activation_bits = 8, granularity = per_channel>}

// -----

// expected-error@+1 {{weight bit width 1 is outside [2, 8]}}
func.func private @precision_weight_bits_low() attributes {a = #tinyq.precision<weight_bits = 1, activation_bits = 8, granularity = per_channel>}

// -----

// expected-error@+1 {{activation bit width 16 is outside [2, 8]}}
func.func private @precision_activation_bits() attributes {a = #tinyq.precision<weight_bits = 8, activation_bits = 16, granularity = per_tensor>}

// -----

// expected-error@+1 {{a SPARQ configuration needs 8-bit activations, got 4 bits}}
func.func private @precision_sparq_needs_8_bits() attributes {a = #tinyq.precision<weight_bits = 8, activation_bits = 4, granularity = per_tensor, sparq = #tinyq.sparq<bits = 4, shifts = [0, 4], rounding = truncate>>}

// -----

// expected-error@+2 {{expected valid keyword}}
// expected-error@+1 {{failed to parse TinyQ_PrecisionAttr parameter 'granularity'}}
func.func private @precision_bad_granularity() attributes {a = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = 3>}

// -----

// expected-error@+1 {{range minimum 2 exceeds maximum 1}}
func.func private @range_unordered() attributes {a = #tinyq.range<min = 2.0, max = 1.0>}

// -----

// expected-error@+1 {{range bounds must be finite, got [-inf, 1]}}
func.func private @range_infinite() attributes {a = #tinyq.range<min = -inf, max = 1.0>}

// -----

// expected-error@+2 {{NaN is not a valid value here}}
// expected-error@+1 {{failed to parse TinyQ_RangeAttr parameter 'min'}}
func.func private @range_nan() attributes {a = #tinyq.range<min = 0x7FF8000000000000, max = 1.0>}

// -----

// expected-error@+1 {{weight MSE must be finite and non-negative, got -1}}
func.func private @candidate_negative_mse() attributes {a = #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 1.0, weight_mse = -1.0, activation_sqnr = 1.0, activation_mse = 1.0>}

// -----

// expected-error@+1 {{activation MSE must be finite and non-negative, got inf}}
func.func private @candidate_infinite_mse() attributes {a = #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 1.0, weight_mse = 1.0, activation_sqnr = 1.0, activation_mse = inf>}

// -----

// expected-error@+2 {{NaN is not a valid value here}}
// expected-error@+1 {{failed to parse TinyQ_CandidateAttr parameter 'weightSqnr'}}
func.func private @candidate_nan_sqnr() attributes {a = #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 0x7FF8000000000000, weight_mse = 1.0, activation_sqnr = 1.0, activation_mse = 1.0>}

// -----

// expected-error@+2 {{expected '<'}}
// expected-error@+1 {{failed to parse TinyQ_SensitivityAttr parameter 'candidates'}}
func.func private @sensitivity_empty() attributes {a = #tinyq.sensitivity<[]>}

// -----

// expected-error@+1 {{candidate #1 repeats the precision #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>}}
func.func private @sensitivity_duplicate() attributes {a = #tinyq.sensitivity<[
  #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 1.0, weight_mse = 1.0, activation_sqnr = 1.0, activation_mse = 1.0>,
  #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 2.0, weight_mse = 2.0, activation_sqnr = 2.0, activation_mse = 2.0>]>}

// -----

func.func @observe_negative_id(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{attribute 'id' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %0 = tinyq.observe %x id -1 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @observe_integer(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error@+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = tinyq.observe %x id 0 : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @fake_quant_not_uniform(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{expects a per-tensor or per-axis !quant.uniform type, got '!quant.any<i8:f32>'}}
  %0 = tinyq.fake_quant %x as !quant.any<i8:f32> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_not_quantized(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{expects a per-tensor or per-axis !quant.uniform type, got 'i8'}}
  %0 = tinyq.fake_quant %x as i8 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_expressed_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{expressed type 'f16' does not match the element type 'f32'}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f16, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_storage_too_wide(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{storage width 32 is outside [2, 16] bits}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i32:f32, 0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_zero_point_out_of_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{zero point 300 is outside the storage range [-128, 127]}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.5:300> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_zero_point_narrow_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{zero point -8 is outside the storage range [-7, 7]}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i4<-7:7>:f32, 0.5:-8> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_per_axis_zero_point(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{zero point 9 is outside the storage range [-8, 7]}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i4:f32:0, {0.5:1, 0.25:9}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @fake_quant_per_axis_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{expects 3 scales, one per index of dimension 1, got 2}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32:1, {0.5, 0.25}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @fake_quant_per_axis_dimension(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{quantized dimension 2 is out of range for a tensor of rank 2}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32:2, {0.5, 0.25}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @fake_quant_zero_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{scale 0.000000e+00 out of expressed type range}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_negative_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{scale -5.000000e-01 out of expressed type range}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, -0.5> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fake_quant_infinite_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{scale INF out of expressed type range}}
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0x7FF0000000000000> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @requantize_count_mismatch(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error@+1 {{has 2 multipliers but 1 shifts}}
  %0 = tinyq.requantize %x multiplier [1073741824, 1073741824] shift [0] zero_point 0 clamp [-128, 127] axis 0 : tensor<2x3xi32> -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @requantize_axis_out_of_range(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 0 clamp [-128, 127] axis 2 : tensor<2x3xi32> -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @requantize_per_channel_count(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error@+1 {{expects 3 multipliers, one per index of dimension 1, got 2}}
  %0 = tinyq.requantize %x multiplier [1073741824, 1073741824] shift [0, 0] zero_point 0 clamp [-128, 127] axis 1 : tensor<2x3xi32> -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @requantize_per_tensor_count(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error@+1 {{expects one multiplier without an axis, got 2}}
  %0 = tinyq.requantize %x multiplier [1073741824, 1073741824] shift [0, 0] zero_point 0 clamp [-128, 127] : tensor<2x3xi32> -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @requantize_small_multiplier(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error@+1 {{multiplier #0 (1073741823) is neither 0 nor in [2^30, 2^31 - 1]}}
  %0 = tinyq.requantize %x multiplier [1073741823] shift [0] zero_point 0 clamp [-128, 127] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_negative_multiplier(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error@+1 {{multiplier #0 (-1073741824) is neither 0 nor in [2^30, 2^31 - 1]}}
  %0 = tinyq.requantize %x multiplier [-1073741824] shift [0] zero_point 0 clamp [-128, 127] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_shift_high(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error@+1 {{shift #0 (31) is outside [-31, 30]}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [31] zero_point 0 clamp [-128, 127] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_shift_low(%x: tensor<2xi32>) -> tensor<2xi8> {
  // expected-error@+1 {{shift #1 (-32) is outside [-31, 30]}}
  %0 = tinyq.requantize %x multiplier [1073741824, 1073741824] shift [0, -32] zero_point 0 clamp [-128, 127] axis 0 : tensor<2xi32> -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// -----

func.func @requantize_zero_point(%x: tensor<4xi32>) -> tensor<4xi4> {
  // expected-error@+1 {{zero point 8 is outside the storage range [-8, 7]}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 8 clamp [-8, 7] : tensor<4xi32> -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

func.func @requantize_clamp_min(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error@+1 {{clamp minimum -129 is outside the storage range [-128, 127]}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 0 clamp [-129, 127] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_clamp_max(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error@+1 {{clamp maximum 128 is outside the storage range [-128, 127]}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 0 clamp [-128, 128] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_clamp_order(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error@+1 {{clamp minimum 10 exceeds clamp maximum 0}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 0 clamp [10, 0] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_result_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error@+1 {{result #0 must be ranked tensor of 4-bit signless integer or 8-bit signless integer or 16-bit signless integer values}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 0 clamp [-128, 127] : tensor<4xi32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @requantize_shape(%x: tensor<4xi32>) -> tensor<5xi8> {
  // expected-error@+1 {{requires the same shape for all operands and results}}
  %0 = tinyq.requantize %x multiplier [1073741824] shift [0] zero_point 0 clamp [-128, 127] : tensor<4xi32> -> tensor<5xi8>
  return %0 : tensor<5xi8>
}

// -----

func.func @sparq_zero_point(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error@+1 {{zero point 200 is outside the storage range [-128, 127]}}
  %0 = tinyq.sparq %x <bits = 4, shifts = [0, 4], rounding = truncate> zero_point 200 : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @sparq_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{operand #0 must be ranked tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer values}}
  %0 = tinyq.sparq %x <bits = 4, shifts = [0, 4], rounding = truncate> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @sparq_bad_config(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error@+1 {{invalid SPARQ configuration: shift 4 appears twice}}
  %0 = tinyq.sparq %x <bits = 4, shifts = [4, 4], rounding = truncate> : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_input_zero_point(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{input zero point 200 is outside the storage range [-128, 127]}}
  %0 = tinyq.requantize %x input_zero_point 200 multiplier [1073741824] shift [0] zero_point 0 clamp [-128, 127] : tensor<4xi8> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// expected-error@+1 {{a target needs a CPU and a triple}}
func.func private @target_without_cpu() attributes {a = #tinyq.target<cpu = "", triple = "thumbv7em-none-eabihf", features = [], float_abi = hard>}

// -----

// expected-error@+1 {{target features are strings starting with '+' or '-', got "dsp"}}
func.func private @target_feature_without_plus() attributes {a = #tinyq.target<cpu = "cortex-m4", triple = "thumbv7em-none-eabihf", features = ["dsp"], float_abi = hard>}

// -----

// expected-error@+1 {{target features are strings starting with '+' or '-', got 4 : i64}}
func.func private @target_feature_not_a_string() attributes {a = #tinyq.target<cpu = "cortex-m4", triple = "thumbv7em-none-eabihf", features = [4], float_abi = hard>}
