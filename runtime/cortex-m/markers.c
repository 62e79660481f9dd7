//===- markers.c - Where an instruction count starts and ends -------------===//
//
// tools/qemu-insn-count counts the instructions executed between a call of
// tinyq_bench_begin and the next call of tinyq_bench_end; a harness calls
// them around what it measures. Each is one return instruction, kept out
// of line so that its address marks it.
//
//===----------------------------------------------------------------------===//

__attribute__((noinline, used)) void tinyq_bench_begin(void) {
  __asm volatile("" ::: "memory");
}

__attribute__((noinline, used)) void tinyq_bench_end(void) {
  __asm volatile("" ::: "memory");
}
