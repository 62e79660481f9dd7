// RUN: tinyq-opt %s --tinyq-signless-integers --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @boundary
// CHECK-SAME: (%[[X:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK-NEXT: return %[[X]] : tensor<4xi8>
func.func @boundary(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = tensor.bitcast %x : tensor<4xui8> to tensor<4xi8>
  %1 = tensor.bitcast %0 : tensor<4xi8> to tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// Constants keep their bits: 200 as ui8 is -56 as i8.
// CHECK-LABEL: func.func @constant
// CHECK: arith.constant dense<[-56, 7]> : tensor<2xi8>
func.func @constant() -> tensor<2xui8> {
  %c = arith.constant dense<[200, 7]> : tensor<2xui8>
  return %c : tensor<2xui8>
}
