func.func @main(%x: tensor<2x70xi8>) -> tensor<2x37xi8> {
  %w = arith.constant dense<3> : tensor<37x70xi8>
  %b = arith.constant dense<100> : tensor<37xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-5, 3) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<2x70xi8>, tensor<37x70xi8>, tensor<37xi32>) -> tensor<2x37xi8>
  return %0 : tensor<2x37xi8>
}
