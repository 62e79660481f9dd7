// RUN: tinyq-opt %s --split-input-file --verify-diagnostics

// Four bytes per 32-bit lane: 16 lanes take 64 bytes.
func.func @vpdpbusd_bytes(%acc: vector<16xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<16xi32> {
  // expected-error @+1 {{operand #1 must be vector of 8-bit signless integer values of length 64}}
  %0 = tinyq_x86.intr.vpdpbusd.512 %acc, %a, %b : vector<16xi32>, vector<32xi8>
  return %0 : vector<16xi32>
}

// -----

// A 256-bit dot product accumulates 8 lanes.
func.func @vpdpbusd_lanes(%acc: vector<16xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<16xi32> {
  // expected-error @+1 {{operand #0 must be vector of 32-bit signless integer values of length 8}}
  %0 = tinyq_x86.intr.vpdpbusd.256 %acc, %a, %b : vector<16xi32>, vector<32xi8>
  return %0 : vector<16xi32>
}

// -----

// Halfwords in, not bytes.
func.func @pmaddwd_bytes(%a: vector<32xi8>) -> vector<8xi32> {
  // expected-error @+1 {{operand #0 must be vector of 16-bit signless integer values of length 16}}
  %0 = tinyq_x86.intr.pmaddwd.256 %a, %a : vector<32xi8> to vector<8xi32>
  return %0 : vector<8xi32>
}
