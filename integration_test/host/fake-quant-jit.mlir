// The code tinyq-expand-fake-quant generates, JIT-compiled and run, gives
// bit-identical results to the constant folder (the numerics library).
//
// RUN: tinyq-opt %s --canonicalize --tinyq-expand-fake-quant \
// RUN: | tinyq-opt --pass-pipeline="builtin.module(func.func(convert-elementwise-to-linalg), one-shot-bufferize{bufferize-function-boundaries}, func.func(convert-linalg-to-loops), expand-strided-metadata, lower-affine, convert-scf-to-cf, convert-to-llvm, reconcile-unrealized-casts)" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs \
// RUN: | FileCheck %s

func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

// Its argument is not a constant, so canonicalize leaves it for expansion.
func.func @simulate_int4(%x: tensor<12xf32>) -> tensor<12xf32> {
  %0 = tinyq.fake_quant %x as !quant.uniform<i4:f32, 0.25:-2> : tensor<12xf32>
  return %0 : tensor<12xf32>
}

func.func @simulate_per_axis(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %0 = tinyq.fake_quant %x as !quant.uniform<i8<-127:127>:f32:1, {0.1, 0.0078125:5}> : tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

func.func @print_bits(%t: tensor<12xf32>) {
  %bits = arith.bitcast %t : tensor<12xf32> to tensor<12xi32>
  %m = bufferization.to_buffer %bits : tensor<12xi32> to memref<12xi32>
  %u = memref.cast %m : memref<12xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}

func.func @main() {
  // Ties (0.125, 0.375), saturation, NaN (to the zero point), infinities.
  %x = arith.constant dense<[0.0, 0.125, 0.375, -0.125, 1.7, 100.0, -100.0, 0x7FC00000, 0x7F800000, 0xFF800000, -0.3, 0.6249]> : tensor<12xf32>
  %folded = tinyq.fake_quant %x as !quant.uniform<i4:f32, 0.25:-2> : tensor<12xf32>
  %run = call @simulate_int4(%x) : (tensor<12xf32>) -> tensor<12xf32>
  %rm = bufferization.to_buffer %run : tensor<12xf32> to memref<12xf32>
  %ru = memref.cast %rm : memref<12xf32> to memref<*xf32>
  call @printMemrefF32(%ru) : (memref<*xf32>) -> ()
  call @print_bits(%folded) : (tensor<12xf32>) -> ()
  call @print_bits(%run) : (tensor<12xf32>) -> ()

  %w = arith.constant dense<[[0.05, 0.0], [12.7, 1.0], [-20.0, -0.99609375]]> : tensor<3x2xf32>
  %wf = tinyq.fake_quant %w as !quant.uniform<i8<-127:127>:f32:1, {0.1, 0.0078125:5}> : tensor<3x2xf32>
  %wr = call @simulate_per_axis(%w) : (tensor<3x2xf32>) -> tensor<3x2xf32>
  %wfc = tensor.collapse_shape %wf [[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
  %wrc = tensor.collapse_shape %wr [[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
  %wrm = bufferization.to_buffer %wrc : tensor<6xf32> to memref<6xf32>
  %wru = memref.cast %wrm : memref<6xf32> to memref<*xf32>
  call @printMemrefF32(%wru) : (memref<*xf32>) -> ()
  %wfb = arith.bitcast %wfc : tensor<6xf32> to tensor<6xi32>
  %wrb = arith.bitcast %wrc : tensor<6xf32> to tensor<6xi32>
  %wfm = bufferization.to_buffer %wfb : tensor<6xi32> to memref<6xi32>
  %wrbm = bufferization.to_buffer %wrb : tensor<6xi32> to memref<6xi32>
  %wfu = memref.cast %wfm : memref<6xi32> to memref<*xi32>
  %wrbu = memref.cast %wrbm : memref<6xi32> to memref<*xi32>
  call @printMemrefI32(%wfu) : (memref<*xi32>) -> ()
  call @printMemrefI32(%wrbu) : (memref<*xi32>) -> ()
  return
}

// Values worked out by hand (s = 0.25, z = -2, [-8, 7]):
//   0.125 -> 0.5 -> 0 (tie to even); 0.375 -> 1.5 -> 2 -> 0.5;
//   1.7 -> 6.8 -> 7 -> 5 -> 1.75; 100, +inf -> 7 -> 2.25;
//   -100, -inf -> -8 -> -1.5; NaN -> z -> 0; -0.3 -> -1.2 -> -1 -> -0.25.
// CHECK: data =
// CHECK-NEXT: [0,  0,  0.5,  0,  1.75,  2.25,  -1.5,  0,  2.25,  -1.5,  -0.25,  0.5]
// The folder's and the generated code's bit patterns are identical.
// CHECK: data =
// CHECK-NEXT: [[BITS:\[.*\]]]
// CHECK: data =
// CHECK-NEXT: [[BITS]]

// Per axis: column 0 with s = 0.1, z = 0; column 1 with s = 2^-7, z = 5,
// both clamped to [-127, 127]:
//   0.05 -> 0.5 -> 0 -> 0; 0.0 -> 5 -> 0
//   12.7 -> 127 -> 12.7; 1.0 -> 128 + 5 -> 127 -> 122 * 2^-7 = 0.953125
//   -20 -> -127 -> -12.7; -0.99609375 -> -127.5 -> -128 + 5 = -123 -> -1
// CHECK: data =
// CHECK-NEXT: [0,  0,  12.7,  0.953125,  -12.7,  -1]
// CHECK: data =
// CHECK-NEXT: [[WBITS:\[.*\]]]
// CHECK: data =
// CHECK-NEXT: [[WBITS]]
