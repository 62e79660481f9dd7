// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m --split-input-file | FileCheck %s
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m="unpacked-weights-limit=0" --split-input-file | FileCheck %s --check-prefix=CHECK-BYTES
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m --split-input-file | FileCheck %s --check-prefix=CHECK-MVE
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m --cse --split-input-file | FileCheck %s --check-prefix=CHECK-CSE
// The kernel each layer below takes, counted (--tinyq-stats). On the M4:
// the 10 dense layers with rows of whole words (fully_connected, int4,
// int4_long, pointwise, conv3x3, per_channel_tables, relu_rounding, the
// two of helium, helium_wide) take the DSP kernel, the depthwise one its
// DSP kernel, left_alone's 3 stay. With unpacked-weights-limit=0 the 8 of
// them with int8 weights keep their weights as bytes. On the M55 the 4
// whose depth is a multiple of 16 (int4_long, relu_rounding, helium's
// first, helium_wide) take Helium, int4_long's int4 weights one per byte.
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m --split-input-file --tinyq-stats -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS-M4
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m="unpacked-weights-limit=0" --split-input-file --tinyq-stats -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS-BYTES
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m --split-input-file --tinyq-stats -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS-M55
// STATS-M4: Statistics Collected
// STATS-M4-NOT: weights kept as bytes
// STATS-M4: {{^ *}}1 tinyq-lower-cortex-m - Depthwise layers on the DSP kernel
// STATS-M4-NEXT: {{^ *}}10 tinyq-lower-cortex-m - Dense layers on the DSP kernel
// STATS-M4-NEXT: {{^ *}}3 tinyq-lower-cortex-m - Integer layers left to tinyq-lower-integer-ops
// STATS-M4-NOT: tinyq-lower-cortex-m
// STATS-BYTES: {{^ *}}8 tinyq-lower-cortex-m - int8 DSP layers over unpacked-weights-limit (weights kept as bytes)
// STATS-BYTES: {{^ *}}10 tinyq-lower-cortex-m - Dense layers on the DSP kernel
// STATS-M55: {{^ *}}1 tinyq-lower-cortex-m - Depthwise layers on Helium
// STATS-M55-NEXT: {{^ *}}6 tinyq-lower-cortex-m - Dense layers on the DSP kernel
// STATS-M55-NEXT: {{^ *}}4 tinyq-lower-cortex-m - Dense layers on the Helium kernel
// STATS-M55-NEXT: {{^ *}}1 tinyq-lower-cortex-m - int4 Helium layers (weights stored one per byte)
// STATS-M55-NEXT: {{^ *}}3 tinyq-lower-cortex-m - Integer layers left to tinyq-lower-integer-ops

// Six outputs over a depth of 8, two rows: one tile of 4 channels, then 2
// channels one at a time. The bias holds the zero-point term:
// 10 - (-128) * 36 = 4618, 20 + 128 * -36 = -4588, 30 + 128 * 4 = 542, ...
// Small layers store int8 weights as int16 halfword pairs (w0, w2),
// (w1, w3) per step and channel, in loop order; with the right-shift
// requantization below, doubled (as the bias), so the sums come doubled:
// 24 words (the values: WeightLayoutsTest's
// FullyConnectedTablesOfTheLoweringTest, which runs them through smlad).
// Bias: 2 * (4618, -4588, 542, ...), in a table of whole tiles of 4
// (per-channel layers would interleave each tile's multipliers and shifts
// after its biases).
// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<24xi32>
// CHECK-DAG: arith.constant dense<[9236, -9176, 1084, 5456, 4196, 11384, 0, 0]> : tensor<8xi32>
// Rows, then tiles of 4 channels [0, 4), then single channels [4, 6);
// the sums start from the tile's bias; only the input words are unpacked;
// two steps per iteration, and the reduction stays rolled.
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c2 step %c1 iter_args({{.*}}) -> (tensor<2x6xi8>)
// CHECK: scf.for %[[FIRST:.*]] = %c0 to %c4 step %c4
// CHECK: %[[BIAS0:.*]] = tensor.extract %{{.*}}[%[[FIRST]]] : tensor<8xi32>
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c2 iter_args(%{{.*}} = %[[BIAS0]], {{.*}}) -> (i32, i32, i32, i32)
// CHECK-COUNT-2: tinyq_cortexm.intr.sxtb16
// CHECK-NOT: tinyq_cortexm.intr.sxtb16
// CHECK-COUNT-8: tinyq_cortexm.intr.smlad
// CHECK-COUNT-2: tinyq_cortexm.intr.sxtb16
// CHECK-NOT: tinyq_cortexm.intr.sxtb16
// CHECK-COUNT-8: tinyq_cortexm.intr.smlad
// CHECK: } {loop_annotation = #[[ROLLED:.*]]}
// The multiplier 1395864371 * 2^-7 is a right shift and the accumulators
// stay far below 2^30: the high word of 2 * acc * m rounded (the doubled
// sum as it is: no shift), then ((h + (h >> 31)) >> 6 + 1) >> 1, the zero
// point 3 and the clamp; the tile's 4 outputs are gathered into one word
// (byte i = output i) and stored as its bytes at [row, first + i].
// CHECK-NOT: arith.shli %{{.*}}#0, %c1_i32
// CHECK: %[[WIDE:.*]] = arith.extsi %{{.*}}#0 : i32 to i64
// CHECK: %[[PRODUCT:.*]] = arith.muli %[[WIDE]], %c1395864371_i64 : i64
// CHECK: %[[ROUNDED:.*]] = arith.addi %[[PRODUCT]], %c2147483648_i64 : i64
// CHECK: %[[HIGH64:.*]] = arith.shrsi %[[ROUNDED]], %c32_i64 : i64
// CHECK: %[[HIGH:.*]] = arith.trunci %[[HIGH64]] : i64 to i32
// CHECK: %[[SIGN:.*]] = arith.shrsi %[[HIGH]], %c31_i32 : i32
// CHECK: %[[BIASED:.*]] = arith.addi %[[HIGH]], %[[SIGN]] : i32
// CHECK: %[[HALF:.*]] = arith.shrsi %[[BIASED]], %c6_i32 : i32
// CHECK: %[[UP:.*]] = arith.addi %[[HALF]], %c1_i32 : i32
// CHECK: %[[SCALED:.*]] = arith.shrsi %[[UP]], %c1_i32 : i32
// CHECK: %[[SHIFTED:.*]] = arith.addi %[[SCALED]], %c3_i32 : i32
// CHECK: %[[LOW:.*]] = arith.minsi %[[SHIFTED]], %c127_i32 : i32
// CHECK: %[[CLAMPED:.*]] = arith.maxsi %[[LOW]], %c-128_i32 : i32
// CHECK: %[[BYTE0:.*]] = arith.andi %[[CLAMPED]], %c255_i32 : i32
// CHECK: %[[BYTE1:.*]] = arith.andi %{{.*}}, %c255_i32 : i32
// CHECK-NEXT: %[[SHIFTED1:.*]] = arith.shli %[[BYTE1]], %c8_i32 : i32
// CHECK-NEXT: arith.ori %[[BYTE0]], %[[SHIFTED1]] : i32
// CHECK: arith.shli %{{.*}}, %c16_i32 : i32
// CHECK: arith.shli %{{.*}}, %c24_i32 : i32
// CHECK-NEXT: %[[WORD:.*]] = arith.ori %{{.*}}, %{{.*}} : i32
// CHECK-NEXT: %[[FIRSTBYTE:.*]] = arith.trunci %[[WORD]] : i32 to i8
// CHECK-NEXT: tensor.insert %[[FIRSTBYTE]] into %{{.*}}[%[[ROW]], %[[FIRST]]] : tensor<2x6xi8>
// CHECK-NEXT: arith.shrui %[[WORD]], %c8_i32 : i32
// CHECK: arith.shrui %[[WORD]], %c16_i32 : i32
// CHECK: arith.shrui %[[WORD]], %c24_i32 : i32
// The remaining channels, one at a time, store their byte.
// CHECK: scf.for %{{.*}} = %c4 to %c6 step %c1
// CHECK: %[[TAILBYTE:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK-NEXT: tensor.insert %[[TAILBYTE]]
// CHECK-NOT: tinyq.requantize
// CHECK-NOT: tinyq.fully_connected

// Above the limit, one word of 4 bytes per step and channel, little-
// endian (12 words; their values in WeightLayoutsTest). Each is unpacked
// like the input word.
// CHECK-BYTES-LABEL: func.func @fully_connected
// CHECK-BYTES: arith.constant dense<{{.*}}> : tensor<12xi32>
// CHECK-BYTES: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args({{.*}}) -> (i32, i32, i32, i32)
// CHECK-BYTES-COUNT-10: tinyq_cortexm.intr.sxtb16
// CHECK-BYTES: scf.for %{{.*}} = %c4 to %c6 step %c1
func.func @fully_connected(%x: tensor<2x8xi8>) -> tensor<2x6xi8> {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8], [-1, -2, -3, -4, -5, -6, -7, -8], [0, 1, 0, 1, 0, 1, 0, 1], [127, -127, 1, 2, 3, 4, 5, 6], [2, 2, 2, 2, 2, 2, 2, 2], [9, 8, 7, 6, 5, 4, 3, 2]]> : tensor<6x8xi8>
  %b = arith.constant dense<[10, 20, 30, 40, 50, 60]> : tensor<6xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 3) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<2x8xi8>, tensor<6x8xi8>, tensor<6xi32>) -> tensor<2x6xi8>
  return %0 : tensor<2x6xi8>
}

// -----

// int4 over a short reduction: a word holds 8 weights as nibbles (from bit
// 0) w5, w4, w1, w0, w7, w6, w3, w2; for [1, -2, 3, -4, 5, -6, 7, -8]
// that is 0x3C781E5A. (word << 4p) & 0xF000F000 gives the halfword pairs
// 4096 * (w0, w2), (w1, w3), (w4, w6), (w5, w7), which the rewrite folds:
// 0x30001000 = 805310464, 0xC000E000 = -1073684480, 0x70005000 =
// 1879068672, 0x8000A000 = -2147442688. The sums are 4096 times too large
// and shifted back by 11, doubled for the requantization, then the
// doubled bias added.
// CHECK-LABEL: func.func @int4
// CHECK-DAG: arith.constant 805310464 : i32
// CHECK-DAG: arith.constant -1073684480 : i32
// CHECK-DAG: arith.constant 1879068672 : i32
// CHECK-DAG: arith.constant -2147442688 : i32
// CHECK-NOT: tinyq_cortexm.intr.sxtb16 %c
// CHECK-COUNT-4: tinyq_cortexm.intr.smlad
// CHECK: arith.shrsi %{{.*}}, %c11_i32
// CHECK-BYTES-LABEL: func.func @int4
// CHECK-BYTES-COUNT-4: tinyq_cortexm.intr.smlad
func.func @int4(%x: tensor<1x8xi8>) -> tensor<1x1xi8> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6, 7, -8]]> : tensor<1x8xi4>
  %b = arith.constant dense<0> : tensor<1xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x8xi8>, tensor<1x8xi4>, tensor<1xi32>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

// int4 over 512 values: 4096-times products could overflow, so a word
// holds byte i = w[k + i] << 4 | (w[k + 4 + i] & 15) (here all 3: 0x33),
// unpacked by masking with 0xF0F0F0F0 (both halves fold to bytes 16 * 3:
// 0x30303030 = 808464432) and sxtb16; the sums are shifted back by 3
// (doubled sums).
// CHECK-LABEL: func.func @int4_long
// CHECK: arith.constant 808464432 : i32
// CHECK: tinyq_cortexm.intr.sxtb16
// CHECK: arith.shrsi %{{.*}}, %c3_i32
func.func @int4_long(%x: tensor<1x512xi8>) -> tensor<1x1xi8> {
  %w = arith.constant dense<3> : tensor<1x512xi4>
  %b = arith.constant dense<0> : tensor<1xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x512xi8>, tensor<1x512xi4>, tensor<1xi32>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

// A pointwise convolution runs the same kernel over [N * H * W, C].
// CHECK-LABEL: func.func @pointwise
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x2x3x4xi8> into tensor<6x4xi8>
// CHECK: tinyq_cortexm.intr.smlad
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 3, 4] : tensor<6x4xi8> into tensor<1x2x3x4xi8>
// CHECK-NOT: tinyq.requantize
func.func @pointwise(%x: tensor<1x2x3x4xi8>) -> tensor<1x2x3x4xi8> {
  %w = arith.constant dense<1> : tensor<4x1x1x4xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.conv2d %x, %w, %b zero_points(-128, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x2x3x4xi8>, tensor<4x1x1x4xi8>, tensor<4xi32>) -> tensor<1x2x3x4xi8>
  return %0 : tensor<1x2x3x4xi8>
}

// -----

// A 3x3 convolution: every output pixel's window is 3 runs (kernel rows)
// of KW * C = 12 contiguous bytes of the input padded with its zero point
// (-128) and viewed as [N * H, W * C]. The padding: a fill, then each
// input row r copied a word at a time (both words of a row per
// iteration) into padded row r + 2 * (r / 2) + 1 from column 4 (one pixel
// of 4 channels in).
// CHECK-LABEL: func.func @conv3x3
// CHECK: %[[FILLED:.*]] = linalg.fill ins(%c-128_i8 : i8) outs(%{{.*}} : tensor<1x4x4x4xi8>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<1x2x2x4xi8> into tensor<2x8xi8>
// CHECK: %[[PADDED:.*]] = tensor.collapse_shape %[[FILLED]] {{\[\[}}0, 1], [2, 3]] : tensor<1x4x4x4xi8> into tensor<4x16xi8>
// CHECK: %[[IMAGE:.*]] = scf.for %[[R:.*]] = %c0 to %c2 step %c1 iter_args(%{{.*}} = %[[PADDED]])
// CHECK: %[[BATCH:.*]] = arith.divui %[[R]], %c2 : index
// CHECK: %[[SKIP:.*]] = arith.muli %[[BATCH]], %c2 : index
// CHECK: %[[OFFSET:.*]] = arith.addi %[[SKIP]], %c1 : index
// CHECK: %[[TARGET:.*]] = arith.addi %[[R]], %[[OFFSET]] : index
// CHECK: scf.for %[[W:.*]] = %c0 to %c2 step %c2
// CHECK: %[[K:.*]] = arith.muli %[[W]], %c4 : index
// CHECK: tensor.extract %[[ROWS]][%[[R]], %[[K]]]
// CHECK: %[[COLUMN0:.*]] = arith.addi %[[K]], %c4 : index
// CHECK: tensor.insert %{{.*}}[%[[TARGET]], %[[COLUMN0]]] : tensor<4x16xi8>
// CHECK-COUNT-3: tensor.insert
// CHECK: %[[W1:.*]] = arith.addi %[[W]], %c1 : index
// CHECK: %[[K1:.*]] = arith.muli %[[W1]], %c4 : index
// CHECK: tensor.extract %[[ROWS]][%[[R]], %[[K1]]]
// CHECK-COUNT-4: tensor.insert
// Then each output pixel's first row and column come from its index
// (y = p / 2, x = p % 2 over the 2x2 output; stride 1). The runs loop
// outside, each run's 3 steps inside, kept rolled.
// CHECK: scf.for %[[PIXEL:.*]] = %c0 to %c4 step %c1 iter_args({{.*}}) -> (tensor<4x4xi8>)
// CHECK: %[[N:.*]] = arith.divui %[[PIXEL]], %c4 : index
// CHECK: %[[P:.*]] = arith.remui %[[PIXEL]], %c4 : index
// CHECK: %[[Y:.*]] = arith.divui %[[P]], %c2 : index
// CHECK: %[[X:.*]] = arith.remui %[[P]], %c2 : index
// CHECK: %[[NROW:.*]] = arith.muli %[[N]], %c4 : index
// CHECK: %[[ROW:.*]] = arith.addi %[[NROW]], %[[Y]] : index
// CHECK: %[[COLUMN:.*]] = arith.muli %[[X]], %c4 : index
// CHECK: scf.for %[[SEGMENT:.*]] = %c0 to %c3 step %c1 iter_args({{.*}}) -> (i32, i32, i32, i32)
// CHECK: scf.for %[[STEP:.*]] = %c0 to %c3 step %c1 iter_args({{.*}}) -> (i32, i32, i32, i32)
// CHECK: %[[ROWK:.*]] = arith.addi %[[ROW]], %[[SEGMENT]] : index
// CHECK: %[[K:.*]] = arith.muli %[[STEP]], %c4 : index
// CHECK: %[[C:.*]] = arith.addi %[[COLUMN]], %[[K]] : index
// CHECK: tensor.extract %[[IMAGE]][%[[ROWK]], %[[C]]] : tensor<4x16xi8>
// CHECK-COUNT-8: tinyq_cortexm.intr.smlad
// CHECK: } {loop_annotation =
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 2, 4] : tensor<4x4xi8> into tensor<1x2x2x4xi8>
// CHECK-NOT: tinyq.conv2d
func.func @conv3x3(%y: tensor<1x2x2x4xi8>) -> tensor<1x2x2x4xi8> {
  %cw = arith.constant dense<1> : tensor<4x3x3x4xi8>
  %cb = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.conv2d %y, %cw, %cb zero_points(-128, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1] : (tensor<1x2x2x4xi8>, tensor<4x3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return %0 : tensor<1x2x2x4xi8>
}

// -----

// A depthwise 3x3 convolution, 4 channels (one tile), weights w[tap][c] =
// 4 * tap + c + 1: per tap, the halfword pairs (w[c0], w[c2]), (w[c1],
// w[c3]), doubled for the right-shift requantization (2 words per tap;
// WeightLayoutsTest checks them), and twice the bias 128 * the channel's
// weight sum (153, 162, 171, 180). Per output pixel and tile the taps are unrolled: one input
// word, unpacked twice, four smlabb / smlatt from the bias.
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<18xi32>
// CHECK-DAG: arith.constant dense<[39168, 41472, 43776, 46080]> : tensor<4xi32>
// CHECK: linalg.fill ins(%c-128_i8 : i8)
// CHECK: scf.for %{{.*}} = %c0 to %c1 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c1 step %c1
// CHECK-COUNT-18: tinyq_cortexm.intr.smlatt
// CHECK-NOT: tinyq_cortexm.intr.smla
// CHECK: tensor.insert %{{.*}} : tensor<4x4xi8>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 2, 4] : tensor<4x4xi8> into tensor<1x2x2x4xi8>
// CHECK-NOT: tinyq.depthwise_conv2d
// With mve, the tile's accumulators are a vector<4xi32> from the bias; per
// tap the 4 input bytes and the tap's 4 weight bytes (a [tiles * taps, 4]
// table: tap 0 = [1, 2, 3, 4]) load as vectors, sign-extended, multiplied
// and added; the requantization runs in vectors (vqrdmulh, then vrshl by
// the shift, -7, of the high word less its sign: the output zero point
// -100 is above the clamp's -128, so negative values round exactly) and
// stores the four bytes as one word.
// CHECK-MVE-LABEL: func.func @depthwise
// CHECK-MVE-DAG: %[[SHIFT:.*]] = arith.constant dense<-7> : vector<4xi32>
// CHECK-MVE-DAG: %[[C31:.*]] = arith.constant dense<31> : vector<4xi32>
// CHECK-MVE: arith.constant dense<{{\[\[}}1, 2, 3, 4], [5, 6, 7, 8]
// CHECK-MVE-SAME: tensor<9x4xi8>
// CHECK-MVE: %[[ACC:.*]] = vector.from_elements {{.*}} : vector<4xi32>
// CHECK-MVE: vector.from_elements {{.*}} : vector<4xi8>
// CHECK-MVE: arith.extsi %{{.*}} : vector<4xi8> to vector<4xi32>
// CHECK-MVE: arith.muli %{{.*}}, %{{.*}} : vector<4xi32>
// CHECK-MVE: arith.addi %[[ACC]], %{{.*}} : vector<4xi32>
// CHECK-MVE: %[[HIGH:.*]] = tinyq_cortexm.intr.mve.vqrdmulh %{{.*}}, %{{.*}} : vector<4xi32>
// CHECK-MVE: %[[SIGN:.*]] = arith.shrsi %[[HIGH]], %[[C31]] : vector<4xi32>
// CHECK-MVE: %[[BIASED:.*]] = arith.addi %[[HIGH]], %[[SIGN]] : vector<4xi32>
// CHECK-MVE: tinyq_cortexm.intr.mve.vshl.vector %[[BIASED]], %[[SHIFT]] {is_unsigned = 0 : i32, round = 1 : i32, saturate = 0 : i32} : vector<4xi32>
// CHECK-MVE-NOT: tinyq_cortexm.intr.smla
func.func @depthwise(%x: tensor<1x2x2x4xi8>) -> tensor<1x2x2x4xi8> {
  %w = arith.constant dense<[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]], [[25, 26, 27, 28], [29, 30, 31, 32], [33, 34, 35, 36]]]> : tensor<3x3x4xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(-128, -100) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1] : (tensor<1x2x2x4xi8>, tensor<3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return %0 : tensor<1x2x2x4xi8>
}

// -----

// Per-channel constants of the scalar kernels sit in one table, tile-major:
// per tile of 4 channels its 4 (doubled) biases, 4 multipliers and 4
// shifts in the short form's `-shift - 1`, the last tile padded with 0
// (24 words; WeightLayoutsTest's TileMajorParametersAreAtFixedOffsets).
// A tile from channel `first` reads entry k of lane i at first * 3 + 4k +
// i (one address plus constants); the single channel after the tiles
// (not a multiple of 4) at (c / 4) * 12 + 4k + c % 4.
// CHECK-MVE-LABEL: func.func @per_channel_tables
// CHECK-CSE-LABEL: func.func @per_channel_tables
// CHECK-CSE: %[[TABLE:.*]] = arith.constant dense<{{.*}}> : tensor<24xi32>
// CHECK-CSE: scf.for %[[FIRST:.*]] = %c0 to %c4 step %c4
// CHECK-CSE: %[[BASE:.*]] = arith.muli %[[FIRST]], %c3 : index
// CHECK-CSE-NEXT: tensor.extract %[[TABLE]][%[[BASE]]] : tensor<24xi32>
// CHECK-CSE: %[[M0:.*]] = arith.addi %[[BASE]], %c4 : index
// CHECK-CSE-NEXT: tensor.extract %[[TABLE]][%[[M0]]] : tensor<24xi32>
// CHECK-CSE: %[[S0:.*]] = arith.addi %[[BASE]], %c8 : index
// CHECK-CSE-NEXT: tensor.extract %[[TABLE]][%[[S0]]] : tensor<24xi32>
// CHECK-CSE: scf.for %[[CHANNEL:.*]] = %c4 to %c5 step %c1
// CHECK-CSE: %[[TILE:.*]] = arith.divui %[[CHANNEL]], %c4 : index
// CHECK-CSE-NEXT: %[[LANE:.*]] = arith.remui %[[CHANNEL]], %c4 : index
// CHECK-CSE-NEXT: %[[TILEBASE:.*]] = arith.muli %[[TILE]], %c12 : index
// CHECK-CSE-NEXT: %[[BIAS:.*]] = arith.addi %[[TILEBASE]], %[[LANE]] : index
// CHECK-CSE-NEXT: tensor.extract %[[TABLE]][%[[BIAS]]] : tensor<24xi32>
func.func @per_channel_tables(%x: tensor<1x4xi8>) -> tensor<1x5xi8> {
  %w = arith.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20]]> : tensor<5x4xi8>
  %b = arith.constant dense<[10, 20, 30, 40, 50]> : tensor<5xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1073741824, 1200000000, 1300000000, 1400000000, 1500000000] shift [-7, -8, -9, -10, -11] clamp [-128, 127] : (tensor<1x4xi8>, tensor<5x4xi8>, tensor<5xi32>) -> tensor<1x5xi8>
  return %0 : tensor<1x5xi8>
}

// -----

// A fused ReLU (clamp from the output zero point up): every accumulator
// that scales to a value <= 0 ends at the zero point, however it rounds,
// so the requantization leaves out the high word's sign correction (the
// shift by 31 and its add), in scalars and in Helium vectors alike.
// CHECK-LABEL: func.func @relu_rounding
// CHECK: %[[HIGH:.*]] = arith.trunci %{{.*}} : i64 to i32
// CHECK-NEXT: %[[HALF:.*]] = arith.shrsi %[[HIGH]], %c6_i32 : i32
// CHECK-NOT: %c31_i32
// CHECK: return
// CHECK-MVE-LABEL: func.func @relu_rounding
// CHECK-MVE: %[[HIGH:.*]] = tinyq_cortexm.intr.mve.vqrdmulh
// CHECK-MVE-NEXT: tinyq_cortexm.intr.mve.vshl.vector %[[HIGH]],
// CHECK-MVE-NOT: dense<31> : vector<4xi32>
// CHECK-MVE: return
func.func @relu_rounding(%x: tensor<1x16xi8>) -> tensor<1x4xi8> {
  %w = arith.constant dense<1> : tensor<4x16xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, -128) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x16xi8>, tensor<4x16xi8>, tensor<4xi32>) -> tensor<1x4xi8>
  return %0 : tensor<1x4xi8>
}

// -----

// Depths that are not whole words, SPARQ layers, dilated convolutions and
// kernel rows of partial words (KW * C = 6) stay for
// tinyq-lower-integer-ops.
// CHECK-LABEL: func.func @left_alone
// CHECK: tinyq.fully_connected
// CHECK: tinyq.conv2d
// CHECK: tinyq.conv2d
// CHECK-NOT: tinyq_cortexm.intr
// CHECK-BYTES-LABEL: func.func @left_alone
// CHECK-BYTES-NOT: tinyq_cortexm.intr
func.func @left_alone(%x: tensor<1x6xi8>, %y: tensor<1x5x5x4xi8>, %z: tensor<1x4x4x2xi8>) -> (tensor<1x2xi8>, tensor<1x1x1x4xi8>, tensor<1x2x2x4xi8>) {
  %w = arith.constant dense<1> : tensor<2x6xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x6xi8>, tensor<2x6xi8>, tensor<2xi32>) -> tensor<1x2xi8>
  %cw = arith.constant dense<1> : tensor<4x3x3x4xi8>
  %cb = arith.constant dense<0> : tensor<4xi32>
  %1 = tinyq.conv2d %y, %cw, %cb zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [2, 2] : (tensor<1x5x5x4xi8>, tensor<4x3x3x4xi8>, tensor<4xi32>) -> tensor<1x1x1x4xi8>
  %nw = arith.constant dense<1> : tensor<4x3x3x2xi8>
  %2 = tinyq.conv2d %z, %nw, %cb zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x4x4x2xi8>, tensor<4x3x3x2xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return %0, %1, %2 : tensor<1x2xi8>, tensor<1x1x1x4xi8>, tensor<1x2x2x4xi8>
}

// -----

// With mve, a reduction of whole 16-byte vectors takes per step one vector
// of 16 input bytes and each channel's 16 weights (four words of bytes,
// bitcast) into Helium's signed byte dot product with accumulation
// (tinyq_cortexm.intr.mve.vmldava, signed, neither subtracting nor
// exchanging, of the sum and the two vectors): vmlava.s8. The weights are four words of bytes per
// channel and step (WeightLayoutsTest). Shorter rows keep the DSP kernel.
// CHECK-LABEL: func.func @helium
// CHECK-BYTES-LABEL: func.func @helium
// CHECK-MVE-LABEL: func.func @helium
// CHECK-MVE: arith.constant dense<{{.*}}> : tensor<{{[0-9]+}}xi32>
// CHECK-MVE: scf.for
// CHECK-MVE: %[[X:.*]] = vector.from_elements {{.*}} : vector<16xi8>
// CHECK-MVE: %[[WORDS:.*]] = vector.from_elements {{.*}} : vector<4xi32>
// CHECK-MVE: %[[W:.*]] = vector.bitcast %[[WORDS]] : vector<4xi32> to vector<16xi8>
// CHECK-MVE: tinyq_cortexm.intr.mve.vmldava %{{.*}}, %[[X]], %[[W]] {exchange = 0 : i32, is_unsigned = 0 : i32, subtract = 0 : i32} : vector<16xi8>
// CHECK-MVE-NOT: tinyq_cortexm.intr.smlad
// CHECK-MVE: tinyq_cortexm.intr.smlad
func.func @helium(%x: tensor<1x16xi8>, %y: tensor<1x8xi8>) -> (tensor<1x1xi8>, tensor<1x1xi8>) {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]]> : tensor<1x16xi8>
  %b = arith.constant dense<0> : tensor<1xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x16xi8>, tensor<1x16xi8>, tensor<1xi32>) -> tensor<1x1xi8>
  %v = arith.constant dense<1> : tensor<1x8xi8>
  %1 = tinyq.fully_connected %y, %v, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x8xi8>, tensor<1x8xi8>, tensor<1xi32>) -> tensor<1x1xi8>
  return %0, %1 : tensor<1x1xi8>, tensor<1x1xi8>
}

// -----

// With mve, short reductions take tiles of 8 channels, their steps
// unrolled (2 steps: 16 vmlava in one iteration); the sums start at 0 and
// take the bias (10 .. 17) as a vector of 4 channels before the vector
// requantization.
// CHECK-MVE-LABEL: func.func @helium_wide
// CHECK-MVE: %[[BIAS:.*]] = arith.constant dense<[10, 11, 12, 13, 14, 15, 16, 17]> : tensor<8xi32>
// CHECK-MVE: scf.for %[[FIRST:.*]] = %c0 to %c8 step %c8
// CHECK-MVE: %[[SUMS:.*]]:8 = scf.for %{{.*}} = %c0 to %c2 step %c2 iter_args(%{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32)
// CHECK-MVE-COUNT-16: tinyq_cortexm.intr.mve.vmldava
// CHECK-MVE-NOT: tinyq_cortexm.intr.mve.vmldava
// CHECK-MVE: %[[LOW:.*]] = vector.from_elements %[[SUMS]]#0, %[[SUMS]]#1, %[[SUMS]]#2, %[[SUMS]]#3 : vector<4xi32>
// CHECK-MVE: tensor.extract %[[BIAS]][%[[FIRST]]] : tensor<8xi32>
// CHECK-MVE: %[[LOWBIAS:.*]] = vector.from_elements %{{.*}} : vector<4xi32>
// CHECK-MVE: %[[LOWACC:.*]] = arith.addi %[[LOW]], %[[LOWBIAS]] : vector<4xi32>
// CHECK-MVE: tinyq_cortexm.intr.mve.vqrdmulh %[[LOWACC]], %{{.*}}
// CHECK-MVE: %[[HIGH:.*]] = vector.from_elements %[[SUMS]]#4, %[[SUMS]]#5, %[[SUMS]]#6, %[[SUMS]]#7 : vector<4xi32>
// CHECK-MVE: %[[HIGHBIAS:.*]] = vector.from_elements %{{.*}} : vector<4xi32>
// CHECK-MVE: %[[HIGHACC:.*]] = arith.addi %[[HIGH]], %[[HIGHBIAS]] : vector<4xi32>
// CHECK-MVE: tinyq_cortexm.intr.mve.vqrdmulh %[[HIGHACC]], %{{.*}}
func.func @helium_wide(%x: tensor<1x32xi8>) -> tensor<1x8xi8> {
  %w = arith.constant dense<1> : tensor<8x32xi8>
  %b = arith.constant dense<[10, 11, 12, 13, 14, 15, 16, 17]> : tensor<8xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x32xi8>, tensor<8x32xi8>, tensor<8xi32>) -> tensor<1x8xi8>
  return %0 : tensor<1x8xi8>
}
