@ A known instruction count for tools/qemu-insn-count: between the return
@ of tinyq_bench_begin and the call of tinyq_bench_end, `measure` executes
@ movs (1), 100 x (subs, bne) (200) and the bl to the end marker (1): 202.
  .syntax unified
  .thumb
  .text

  .global measure
  .thumb_func
measure:
  push {r4, lr}
  bl tinyq_bench_begin
  movs r0, #100
1:
  subs r0, r0, #1
  bne 1b
  bl tinyq_bench_end
  pop {r4, pc}

  .global tinyq_bench_begin
  .thumb_func
tinyq_bench_begin:
  bx lr

  .global tinyq_bench_end
  .thumb_func
tinyq_bench_end:
  bx lr
