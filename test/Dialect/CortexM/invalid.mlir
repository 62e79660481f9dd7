// RUN: tinyq-opt %s --split-input-file --verify-diagnostics

// One case per verifier rule of the tinyq_cortexm ops.

func.func @dsp_operand_not_a_word(%x: i16) -> i32 {
  // expected-error@+1 {{operand #0 must be 32-bit signless integer}}
  %p = "tinyq_cortexm.intr.sxtb16"(%x) : (i16) -> i32
  return %p : i32
}

// -----

func.func @dot_product_of_different_vectors(%acc: i32, %a: vector<16xi8>, %b: vector<8xi16>) -> i32 {
  // expected-error@+1 {{all of {a, b} have same type}}
  %d = "tinyq_cortexm.intr.mve.vmldava"(%acc, %a, %b) {exchange = 0 : i32, is_unsigned = 0 : i32, subtract = 0 : i32} : (i32, vector<16xi8>, vector<8xi16>) -> i32
  return %d : i32
}

// -----

func.func @dot_product_of_a_64_bit_vector(%acc: i32, %a: vector<8xi8>) -> i32 {
  // expected-error@+1 {{operand #1 must be vector of 8-bit signless integer values of length 16 or vector of 16-bit signless integer values of length 8 or vector of 32-bit signless integer values of length 4}}
  %d = tinyq_cortexm.intr.mve.vmldava %acc, %a, %a {exchange = 0 : i32, is_unsigned = 0 : i32, subtract = 0 : i32} : vector<8xi8>
  return %d : i32
}

// -----

func.func @flag_of_two(%acc: i32, %a: vector<16xi8>) -> i32 {
  // expected-error@+1 {{attribute 'is_unsigned' failed to satisfy constraint: 32-bit signless integer attribute whose minimum value is 0 whose maximum value is 1}}
  %d = tinyq_cortexm.intr.mve.vmldava %acc, %a, %a {exchange = 0 : i32, is_unsigned = 2 : i32, subtract = 0 : i32} : vector<16xi8>
  return %d : i32
}

// -----

func.func @vmull_not_widening(%h: vector<8xi16>) -> vector<8xi16> {
  // expected-error@+1 {{widens 'vector<8xi16>' into lanes twice as wide, not into 'vector<8xi16>'}}
  %p = tinyq_cortexm.intr.mve.vmull %h, %h {is_unsigned = 0 : i32, top = 0 : i32} : vector<8xi16> to vector<8xi16>
  return %p : vector<8xi16>
}

// -----

llvm.func @gather_lanes_differ(%base: !llvm.ptr, %offsets: vector<4xi32>) -> vector<8xi16> {
  // expected-error@+1 {{gathers as many lanes as it has offsets}}
  %g = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %offsets {is_unsigned = 0 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<4xi32>) -> vector<8xi16>
  llvm.return %g : vector<8xi16>
}

// -----

llvm.func @gather_wider_than_lanes(%base: !llvm.ptr, %offsets: vector<8xi16>) -> vector<8xi16> {
  // expected-error@+1 {{accesses 32-bit elements in 16-bit lanes}}
  %g = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %offsets {is_unsigned = 0 : i32, memory_bits = 32 : i32, shift = 0 : i32} : (!llvm.ptr, vector<8xi16>) -> vector<8xi16>
  llvm.return %g : vector<8xi16>
}

// -----

llvm.func @gather_odd_elements(%base: !llvm.ptr, %offsets: vector<4xi32>) -> vector<4xi32> {
  // expected-error@+1 {{accesses elements of 8, 16 or 32 bits, not 12}}
  %g = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %offsets {is_unsigned = 0 : i32, memory_bits = 12 : i32, shift = 0 : i32} : (!llvm.ptr, vector<4xi32>) -> vector<4xi32>
  llvm.return %g : vector<4xi32>
}

// -----

llvm.func @scatter_scaled_wrongly(%base: !llvm.ptr, %offsets: vector<4xi32>, %words: vector<4xi32>) {
  // expected-error@+1 {{scales offsets by the element size or not at all, not by 2^2}}
  tinyq_cortexm.intr.mve.vstr.scatter.offset %base, %offsets, %words {memory_bits = 16 : i32, shift = 2 : i32} : !llvm.ptr, vector<4xi32>, vector<4xi32>
  llvm.return
}

// -----

llvm.func @scatter_lanes_differ(%base: !llvm.ptr, %offsets: vector<4xi32>, %halves: vector<8xi16>) {
  // expected-error@+1 {{scatters as many lanes as it has offsets}}
  tinyq_cortexm.intr.mve.vstr.scatter.offset %base, %offsets, %halves {memory_bits = 8 : i32, shift = 0 : i32} : !llvm.ptr, vector<4xi32>, vector<8xi16>
  llvm.return
}
