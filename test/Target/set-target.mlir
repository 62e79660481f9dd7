// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 | FileCheck %s --check-prefix=M4
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 | FileCheck %s --check-prefix=M55
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m0plus | FileCheck %s --check-prefix=M0
// RUN: tinyq-opt %s --tinyq-set-target="target=cortex-m4 cpu=cortex-m7 float-abi=soft" | FileCheck %s --check-prefix=OVERRIDE
// RUN: tinyq-opt %s --tinyq-set-target=target=host | FileCheck %s --check-prefix=HOST
// RUN: not tinyq-opt %s --tinyq-set-target=target=cortex-m99 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not tinyq-opt %s --tinyq-set-target="target=host float-abi=hard" 2>&1 | FileCheck %s --check-prefix=HOST-ABI
// RUN: not tinyq-opt %s --tinyq-set-target="target=cortex-m4 float-abi=softfp" 2>&1 | FileCheck %s --check-prefix=BAD-ABI

// The target table's triple, CPU and float ABI; the features LLVM reports
// for the CPU among those TinyQ's kernels choose by; index arithmetic as
// wide as the target's pointers.
// M4: module attributes {dlti.dl_spec = #dlti.dl_spec<index = 32 : i64>, tinyq.target = #tinyq.target<cpu = "cortex-m4", triple = "thumbv7em-none-eabihf", features = ["+dsp"], float_abi = hard>}
// M55: tinyq.target = #tinyq.target<cpu = "cortex-m55", triple = "thumbv8.1m.main-none-eabihf", features = ["+dsp", "+mve"], float_abi = hard>
// M0: tinyq.target = #tinyq.target<cpu = "cortex-m0plus", triple = "thumbv6m-none-eabi", features = [], float_abi = soft>
// The M7 has the DSP extension too.
// OVERRIDE: tinyq.target = #tinyq.target<cpu = "cortex-m7", triple = "thumbv7em-none-eabihf", features = ["+dsp"], float_abi = soft>
// HOST: module attributes {dlti.dl_spec = #dlti.dl_spec<index = 64 : i64>, tinyq.target = #tinyq.target<cpu = "{{.+}}", triple = "x86_64-{{.+}}", features = [{{.*}}], float_abi = default>}
// UNKNOWN: error: unknown --target 'cortex-m99' (expected host, cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55 or cortex-m85)
// HOST-ABI: error: --mfloat-abi applies to the Cortex-M targets
// BAD-ABI: error: --mfloat-abi must be soft or hard, not 'softfp'
module {
}
