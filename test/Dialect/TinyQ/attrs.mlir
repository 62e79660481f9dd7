// RUN: tinyq-opt %s | FileCheck %s
// RUN: tinyq-opt %s | tinyq-opt | FileCheck %s
// RUN: tinyq-opt %s --mlir-print-op-generic | tinyq-opt | FileCheck %s

// Round trip of every tinyq attribute.

// CHECK-LABEL: func.func private @sparq_truncate
// CHECK-SAME: #tinyq.sparq<bits = 4, shifts = [0, 4], rounding = truncate>
func.func private @sparq_truncate() attributes {
  a = #tinyq.sparq<bits = 4, shifts = [0, 4], rounding = truncate>}

// CHECK-LABEL: func.func private @sparq_pairs
// CHECK-SAME: #tinyq.sparq<bits = 3, shifts = [0, 1, 2, 3, 4, 5], rounding = nearest_even, pairs = true>
func.func private @sparq_pairs() attributes {
  a = #tinyq.sparq<bits = 3, shifts = [0, 1, 2, 3, 4, 5], rounding = nearest_even, pairs = true>}

// `pairs = false` is the default and is not printed.
// CHECK-LABEL: func.func private @sparq_pairs_default
// CHECK-SAME: #tinyq.sparq<bits = 2, shifts = [6], rounding = truncate>}
func.func private @sparq_pairs_default() attributes {
  a = #tinyq.sparq<bits = 2, shifts = [6], rounding = truncate, pairs = false>}

// CHECK-LABEL: func.func private @precision_int4
// CHECK-SAME: #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>
func.func private @precision_int4() attributes {
  a = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>}

// CHECK-LABEL: func.func private @precision_sparq
// CHECK-SAME: #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_tensor, sparq = #tinyq.sparq<bits = 4, shifts = [0, 2, 4], rounding = nearest_even, pairs = true>>
func.func private @precision_sparq() attributes {
  a = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_tensor,
                       sparq = #tinyq.sparq<bits = 4, shifts = [0, 2, 4], rounding = nearest_even, pairs = true>>}

// CHECK-LABEL: func.func private @precision_extremes
// CHECK-SAME: #tinyq.precision<weight_bits = 2, activation_bits = 4, granularity = per_channel>
func.func private @precision_extremes() attributes {
  a = #tinyq.precision<weight_bits = 2, activation_bits = 4, granularity = per_channel>}

// CHECK-LABEL: func.func private @range
// CHECK-SAME: #tinyq.range<min = -1.500000e+00, max = 3.250000e+00, samples = 100>
func.func private @range() attributes {
  a = #tinyq.range<min = -1.5, max = 3.25, samples = 100>}

// Values that need all 17 digits survive the round trip.
// CHECK-LABEL: func.func private @range_precise
// CHECK-SAME: #tinyq.range<min = 0.000000e+00, max = 0.30000000000000004>
func.func private @range_precise() attributes {
  a = #tinyq.range<min = 0.0, max = 0.30000000000000004, samples = 0>}

// CHECK-LABEL: func.func private @sensitivity
// CHECK-SAME: #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = inf, weight_mse = 0.000000e+00, activation_sqnr = 4.125000e+01, activation_mse = 1.000000e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 2.150000e+01, weight_mse = 1.200000e-03, activation_sqnr = -inf, activation_mse = 3.000000e-02>]>
func.func private @sensitivity() attributes {
  a = #tinyq.sensitivity<[
    #tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>,
                     weight_sqnr = inf, weight_mse = 0.0, activation_sqnr = 41.25, activation_mse = 1.0e-5>,
    #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>,
                     weight_sqnr = 21.5, weight_mse = 1.2e-3, activation_sqnr = -inf, activation_mse = 3.0e-2>]>}

// CHECK-LABEL: func.func private @candidate
// CHECK-SAME: #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 4, granularity = per_tensor>, weight_sqnr = 1.000000e+01, weight_mse = 2.000000e+00, activation_sqnr = 5.000000e+00, activation_mse = 7.000000e+00>
func.func private @candidate() attributes {
  a = #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 4, granularity = per_tensor>,
                       weight_sqnr = 10.0, weight_mse = 2.0, activation_sqnr = 5.0, activation_mse = 7.0>}

// Nested attributes may also be written in the stripped form.
// CHECK-LABEL: func.func private @nested_stripped
// CHECK-SAME: #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel, sparq = #tinyq.sparq<bits = 4, shifts = [0, 4], rounding = truncate>>
func.func private @nested_stripped() attributes {
  a = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel,
                       sparq = <bits = 4, shifts = [0, 4], rounding = truncate>>}

// CHECK-LABEL: func.func private @target_cortex_m55
// CHECK-SAME: #tinyq.target<cpu = "cortex-m55", triple = "thumbv8.1m.main-none-eabihf", features = ["+dsp", "+mve"], float_abi = hard>
func.func private @target_cortex_m55() attributes {
  a = #tinyq.target<cpu = "cortex-m55", triple = "thumbv8.1m.main-none-eabihf",
                    features = ["+dsp", "+mve"], float_abi = hard>}

// CHECK-LABEL: func.func private @target_without_features
// CHECK-SAME: #tinyq.target<cpu = "cortex-m0plus", triple = "thumbv6m-none-eabi", features = [], float_abi = soft>
func.func private @target_without_features() attributes {
  a = #tinyq.target<cpu = "cortex-m0plus", triple = "thumbv6m-none-eabi",
                    features = [], float_abi = soft>}
