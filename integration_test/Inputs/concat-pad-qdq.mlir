// Q/DQ form for integration_test/host/integer-concat-pad.test: two quantized inputs
// concatenated along the channels into a third quantization, padded by one
// pixel (value 0.0) into a fourth, requantized into a fifth.
!a = !quant.uniform<i8:f32, 0.05:-10>
!b = !quant.uniform<i8:f32, 0.03:5>
!cat = !quant.uniform<i8:f32, 0.04:0>
!pad = !quant.uniform<i8:f32, 0.045:3>
!out = !quant.uniform<i8:f32, 0.02:-20>
func.func @main(%a: tensor<1x4x4x3xf32>, %b: tensor<1x4x4x2xf32>) -> tensor<1x6x6x5xf32> {
  %aq = quant.qcast %a : tensor<1x4x4x3xf32> to tensor<1x4x4x3x!a>
  %ai = quant.scast %aq : tensor<1x4x4x3x!a> to tensor<1x4x4x3xi8>
  %as = quant.scast %ai : tensor<1x4x4x3xi8> to tensor<1x4x4x3x!a>
  %ad = quant.dcast %as : tensor<1x4x4x3x!a> to tensor<1x4x4x3xf32>
  %bq = quant.qcast %b : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!b>
  %bi = quant.scast %bq : tensor<1x4x4x2x!b> to tensor<1x4x4x2xi8>
  %bs = quant.scast %bi : tensor<1x4x4x2xi8> to tensor<1x4x4x2x!b>
  %bd = quant.dcast %bs : tensor<1x4x4x2x!b> to tensor<1x4x4x2xf32>
  %c = tosa.concat %ad, %bd {axis = 3 : i32} : (tensor<1x4x4x3xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x5xf32>
  %cq = quant.qcast %c : tensor<1x4x4x5xf32> to tensor<1x4x4x5x!cat>
  %ci = quant.scast %cq : tensor<1x4x4x5x!cat> to tensor<1x4x4x5xi8>
  %cs = quant.scast %ci : tensor<1x4x4x5xi8> to tensor<1x4x4x5x!cat>
  %cd = quant.dcast %cs : tensor<1x4x4x5x!cat> to tensor<1x4x4x5xf32>
  %padding = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %p = tosa.pad %cd, %padding, %zero : (tensor<1x4x4x5xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x6x6x5xf32>
  %pq = quant.qcast %p : tensor<1x6x6x5xf32> to tensor<1x6x6x5x!pad>
  %pi = quant.scast %pq : tensor<1x6x6x5x!pad> to tensor<1x6x6x5xi8>
  %ps = quant.scast %pi : tensor<1x6x6x5xi8> to tensor<1x6x6x5x!pad>
  %pd = quant.dcast %ps : tensor<1x6x6x5x!pad> to tensor<1x6x6x5xf32>
  %oq = quant.qcast %pd : tensor<1x6x6x5xf32> to tensor<1x6x6x5x!out>
  %oi = quant.scast %oq : tensor<1x6x6x5x!out> to tensor<1x6x6x5xi8>
  %os = quant.scast %oi : tensor<1x6x6x5xi8> to tensor<1x6x6x5x!out>
  %od = quant.dcast %os : tensor<1x6x6x5x!out> to tensor<1x6x6x5xf32>
  return %od : tensor<1x6x6x5xf32>
}
