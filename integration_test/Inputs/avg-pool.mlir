// Two tinyq.avg_pool2d ops for integration_test/host/integer-avg-pool.test: a padded,
// strided 3x2 window (border windows average fewer positions) scaled by 0.7
// with a clamp inside the range, and a global 25x5 average with equal
// input and output quantizations (KWS's classifier input).
func.func @main(%x: tensor<4x7x9x5xi8>, %g: tensor<2x25x5x64xi8>)
    -> (tensor<4x4x5x5xi8>, tensor<2x1x1x64xi8>) {
  %0 = tinyq.avg_pool2d %x zero_points(-3, 5) multiplier [1503238554]
         shift [0] clamp [-20, 20] kernel [3, 2] stride [2, 2]
         pad [1, 1, 0, 1] : tensor<4x7x9x5xi8> -> tensor<4x4x5x5xi8>
  %1 = tinyq.avg_pool2d %g zero_points(-128, -128) multiplier [1073741824]
         shift [1] clamp [-128, 127] kernel [25, 5] stride [25, 5]
         pad [0, 0, 0, 0] : tensor<2x25x5x64xi8> -> tensor<2x1x1x64xi8>
  return %0, %1 : tensor<4x4x5x5xi8>, tensor<2x1x1x64xi8>
}
