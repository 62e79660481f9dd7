// RUN: tinyq-opt %s --tinyq-lower-quant-casts --split-input-file | FileCheck %s

// scast(qcast(x)): explicit ties-to-even rounding, saturation, then the
// integral value narrowed to the storage bits through i32 (exact for
// storage narrower than 32 bits; no 64-bit conversion on 32-bit cores).
// CHECK-LABEL: func.func @quantize
// CHECK-NOT: quant.
// CHECK: linalg.generic
// CHECK: %[[D:.*]] = arith.divf
// CHECK: math.roundeven %[[D]]
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: -> tensor<4xi8>
func.func @quantize(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<u8:f32, 0.5:3>>
  %i = quant.scast %q : tensor<4x!quant.uniform<u8:f32, 0.5:3>> to tensor<4xi8>
  return %i : tensor<4xi8>
}

// -----

// dcast(scast(q)): unsigned storage widens with extui, signed with extsi.
// CHECK-LABEL: func.func @dequantize
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.sitofp
// CHECK: arith.extsi %{{.*}} : i8 to i32
func.func @dequantize(%u: tensor<4xi8>, %s: tensor<4xi8>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = quant.scast %u : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 0.5:3>>
  %b = quant.dcast %a : tensor<4x!quant.uniform<u8:f32, 0.5:3>> to tensor<4xf32>
  %c = quant.scast %s : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.5:3>>
  %d = quant.dcast %c : tensor<4x!quant.uniform<i8:f32, 0.5:3>> to tensor<4xf32>
  return %b, %d : tensor<4xf32>, tensor<4xf32>
}

// -----

// Casts not in these pairs stay.
// CHECK-LABEL: func.func @unpaired
// CHECK: quant.qcast
func.func @unpaired(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A quantize -> dequantize chain becomes two steps; it is not folded to x.
// CHECK-LABEL: func.func @chain
// CHECK: %[[Q:.*]] = linalg.generic
// CHECK: math.roundeven
// CHECK: -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<4xi8>)
// CHECK: arith.extsi
func.func @chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.25:3>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.25:3>> to tensor<4xi8>
  %b = quant.scast %i : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.25:3>>
  %d = quant.dcast %b : tensor<4x!quant.uniform<i8:f32, 0.25:3>> to tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// 32-bit storage goes through i64, where every value of the range fits.
// CHECK-LABEL: func.func @quantize_wide
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i32
func.func @quantize_wide(%x: tensor<4xf32>) -> tensor<4xi32> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i32:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i32:f32, 0.5>> to tensor<4xi32>
  return %i : tensor<4xi32>
}
