// A fully connected layer y = relu(x W + b) in float, annotated for
// calibration and simulated quantization: int4 per-channel weights and int8
// activations. `scripts/demo.sh` runs it through tinyq-opt, which
//   1. strips the calibration points (tinyq-strip-observe) and inlines,
//   2. folds the constant weights to their int4-simulated values
//      (canonicalize calls tinyq.fake_quant's folder, i.e. the numerics
//      library),
//   3. expands the activation fake_quant into float arithmetic with explicit
//      ties-to-even rounding (tinyq-expand-fake-quant),
// (inlining first makes the weights a constant at the fake_quant), then
// lowers it with upstream passes and JIT-runs it to compare the float
// and the simulated outputs.

func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

func.func @dense(%x: tensor<1x4xf32>, %w: tensor<4x3xf32>) -> tensor<1x3xf32> {
  %bias = arith.constant dense<[[0.1, -0.2, 0.05]]> : tensor<1x3xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<1x3xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<1x4xf32>, tensor<4x3xf32>) outs(%acc : tensor<1x3xf32>) -> tensor<1x3xf32>
  %sum = arith.addf %mm, %bias : tensor<1x3xf32>
  %zeros = arith.constant dense<0.0> : tensor<1x3xf32>
  %relu = arith.maximumf %sum, %zeros : tensor<1x3xf32>
  return %relu : tensor<1x3xf32>
}

func.func @dense_simulated(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w = call @weights() : () -> tensor<4x3xf32>
  %xo = tinyq.observe %x id 0 range <min = -1.0, max = 1.0, samples = 1> : tensor<1x4xf32>
  // int8 activations, asymmetric: scale 2/255, zero point 0.
  %xq = tinyq.fake_quant %xo as !quant.uniform<i8:f32, 0.00784313725:0> : tensor<1x4xf32>
  // int4 weights, symmetric per output channel (axis 1): absmax / 7.
  %wq = tinyq.fake_quant %w as !quant.uniform<i4<-7:7>:f32:1, {0.1285714, 0.1142857, 0.0857143}> : tensor<4x3xf32>
  %y = call @dense(%xq, %wq) : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

func.func @weights() -> tensor<4x3xf32> {
  %w = arith.constant dense<[[0.9, -0.3, 0.6], [0.2, 0.8, -0.6], [-0.45, 0.33, 0.11], [0.05, -0.7, 0.2]]> : tensor<4x3xf32>
  return %w : tensor<4x3xf32>
}

func.func @print(%t: tensor<1x3xf32>) {
  %m = bufferization.to_buffer %t : tensor<1x3xf32> to memref<1x3xf32>
  %u = memref.cast %m : memref<1x3xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[0.5, -0.25, 0.8, 0.1]]> : tensor<1x4xf32>
  %w = call @weights() : () -> tensor<4x3xf32>
  %float = call @dense(%x, %w) : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  %sim = call @dense_simulated(%x) : (tensor<1x4xf32>) -> tensor<1x3xf32>
  call @print(%float) : (tensor<1x3xf32>) -> ()
  call @print(%sim) : (tensor<1x3xf32>) -> ()
  return
}
