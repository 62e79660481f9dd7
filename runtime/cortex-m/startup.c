//===- startup.c - Reset and vector table for TinyQ's Cortex-M runs -------===//
//
// The minimum a bare-metal program needs on the MPS2/MPS3 boards QEMU
// emulates: a vector table whose first words are the initial stack pointer
// and the reset handler; a reset handler that copies .data from flash,
// clears .bss, enables the FPU when the build uses one, opens newlib's
// semihosting file handles (librdimon) and runs main. A fault ends the run
// through semihosting with a non-zero status, so that a test sees it.
//
//===----------------------------------------------------------------------===//

#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_load__, __data_start__, __data_end__;
extern uint32_t __bss_start__, __bss_end__, __stack_top__;
extern int main(void);
extern void initialise_monitor_handles(void);

void Reset_Handler(void);

// newlib's exit runs the .fini_array through _fini, which crtn.o would
// provide; there are no static constructors or destructors to run.
void _init(void) {}
void _fini(void) {}

static void Fault_Handler(void) { exit(3); }

__attribute__((section(".isr_vector"), used)) static void (
    *const vectors[16])(void) = {
    (void (*)(void))(&__stack_top__),
    Reset_Handler,
    Fault_Handler, // NMI
    Fault_Handler, // HardFault
    Fault_Handler, // MemManage
    Fault_Handler, // BusFault
    Fault_Handler, // UsageFault
    Fault_Handler, // SecureFault (v8-M)
};

void Reset_Handler(void) {
  for (uint32_t *from = &__data_load__, *to = &__data_start__;
       to < &__data_end__;)
    *to++ = *from++;
  for (uint32_t *to = &__bss_start__; to < &__bss_end__;)
    *to++ = 0;
#if defined(__ARM_FP)
  // CPACR: full access to CP10 and CP11, the floating-point unit.
  volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
  *cpacr |= 0xFu << 20;
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
  initialise_monitor_handles();
  exit(main());
}
