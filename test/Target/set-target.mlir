// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 | FileCheck %s --check-prefix=M4
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 | FileCheck %s --check-prefix=M55
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m0plus | FileCheck %s --check-prefix=M0
// RUN: tinyq-opt %s --tinyq-set-target="target=cortex-m4 cpu=cortex-m7 float-abi=soft" | FileCheck %s --check-prefix=OVERRIDE
// RUN: tinyq-opt %s --tinyq-set-target=target=host | FileCheck %s --check-prefix=HOST
// RUN: not tinyq-opt %s --tinyq-set-target=target=cortex-m99 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not tinyq-opt %s --tinyq-set-target="target=host float-abi=hard" 2>&1 | FileCheck %s --check-prefix=HOST-ABI
// RUN: not tinyq-opt %s --tinyq-set-target="target=cortex-m4 float-abi=softfp" 2>&1 | FileCheck %s --check-prefix=BAD-ABI

// RUN: tinyq-opt %s --tinyq-set-target=target=x86_64 | FileCheck %s --check-prefix=X86
// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64 cpu=x86-64-v2" | FileCheck %s --check-prefix=X86-V2
// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64 cpu=icelake-server" | FileCheck %s --check-prefix=ICX
// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64 cpu=znver5" | FileCheck %s --check-prefix=ZEN5
// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64 cpu=sapphirerapids features=-avx512f,+bmi2" | tinyq-opt | FileCheck %s --check-prefix=MATTR
// RUN: tinyq-opt %s --tinyq-set-target=target=aarch64 | FileCheck %s --check-prefix=A53
// RUN: tinyq-opt %s --tinyq-set-target="target=aarch64 cpu=neoverse-n1" | FileCheck %s --check-prefix=N1
// RUN: tinyq-opt %s --tinyq-set-target="target=aarch64 cpu=neoverse-v1" | FileCheck %s --check-prefix=V1
// RUN: not tinyq-opt %s --tinyq-set-target="target=x86_64 features=avx2" 2>&1 | FileCheck %s --check-prefix=NO-SIGN
// RUN: not tinyq-opt %s --tinyq-set-target="target=x86_64 features=+dotprod" 2>&1 | FileCheck %s --check-prefix=NOT-X86
// RUN: not tinyq-opt %s --tinyq-set-target="target=x86_64 float-abi=hard" 2>&1 | FileCheck %s --check-prefix=HOST-ABI
// The target table's triple, CPU and float ABI; the features LLVM reports
// for the CPU among those TinyQ's kernels choose by; index arithmetic as
// wide as the target's pointers.
// M4: module attributes {dlti.dl_spec = #dlti.dl_spec<index = 32 : i64>, tinyq.target = #tinyq.target<cpu = "cortex-m4", triple = "thumbv7em-none-eabihf", features = ["+dsp"], float_abi = hard>}
// M55: tinyq.target = #tinyq.target<cpu = "cortex-m55", triple = "thumbv8.1m.main-none-eabihf", features = ["+dsp", "+mve"], float_abi = hard>
// M0: tinyq.target = #tinyq.target<cpu = "cortex-m0plus", triple = "thumbv6m-none-eabi", features = [], float_abi = soft>
// The M7 has the DSP extension too.
// OVERRIDE: tinyq.target = #tinyq.target<cpu = "cortex-m7", triple = "thumbv7em-none-eabihf", features = ["+dsp"], float_abi = soft>
// HOST: module attributes {dlti.dl_spec = #dlti.dl_spec<index = 64 : i64>, tinyq.target = #tinyq.target<cpu = "{{.+}}", triple = "x86_64-{{.+}}", features = [{{.*}}], float_abi = default>}
// The CPU features LLVM describes: SSE4.1 from x86-64-v2, AVX2 from v3
// (the x86_64 default), AVX-512 VNNI from Ice Lake, AVX-VNNI from Zen 5;
// --mattr removes AVX-512 (and what needs it) and adds what it names.
// X86: tinyq.target = #tinyq.target<cpu = "x86-64-v3", triple = "x86_64-unknown-linux-gnu", features = ["+sse4.1", "+avx2"], float_abi = default>
// X86-V2: features = ["+sse4.1"]
// ICX: features = ["+sse4.1", "+avx2", "+avx512f", "+avx512bw", "+avx512vnni"]
// ZEN5: features = ["+sse4.1", "+avx2", "+avx512f", "+avx512bw", "+avx512vnni", "+avxvnni"]
// MATTR: cpu = "sapphirerapids", triple = "x86_64-unknown-linux-gnu", features = ["+sse4.1", "+avx2", "+avxvnni", "+amx-int8", "-avx512f", "+bmi2"]
// NEON on the A53, dot products from the Neoverse N1, int8 matrix
// multiplies from the V1.
// A53: tinyq.target = #tinyq.target<cpu = "cortex-a53", triple = "aarch64-unknown-linux-gnu", features = ["+neon"], float_abi = default>
// N1: features = ["+neon", "+dotprod"]
// V1: features = ["+neon", "+dotprod", "+i8mm"]
// NO-SIGN: error: --mattr entry 'avx2' must start with + or -
// NOT-X86: error: --mattr: 'dotprod' is not a feature of x86_64-unknown-linux-gnu
// UNKNOWN: error: unknown --target 'cortex-m99' (expected host, cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55, cortex-m85, x86_64 or aarch64)
// HOST-ABI: error: --mfloat-abi applies to the Cortex-M targets
// BAD-ABI: error: --mfloat-abi must be soft or hard, not 'softfp'
module {
}
