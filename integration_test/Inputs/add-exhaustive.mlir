// Every pair of int8 inputs through two tinyq.add ops: the parameters
// tinyq-fuse-qdq computes for the MNIST CNN's residual add with ReLU, and
// a clamp inside the range with two input factors below 1/2 (one of them
// the largest multiplier).
func.func @main(%a: tensor<65536xi8>, %b: tensor<65536xi8>)
    -> (tensor<65536xi8>, tensor<65536xi8>) {
  %0 = tinyq.add %a, %b zero_points(-128, 1, -128) left_shift 20
         multiplier [1120996595, 1073741824, 1581389209] shift [-1, 0, -18]
         clamp [-128, 127]
         : (tensor<65536xi8>, tensor<65536xi8>) -> tensor<65536xi8>
  %1 = tinyq.add %a, %b zero_points(5, -7, 20) left_shift 20
         multiplier [2147483647, 1073741825, 1073741824] shift [-1, -3, -20]
         clamp [-100, 90]
         : (tensor<65536xi8>, tensor<65536xi8>) -> tensor<65536xi8>
  return %0, %1 : tensor<65536xi8>, tensor<65536xi8>
}
