//===- Passes.td - Target passes ---------------------------*- tablegen -*-===//

#ifndef TINYQ_TARGET_PASSES_TD
#define TINYQ_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def TinyQSetTarget : Pass<"tinyq-set-target", "::mlir::ModuleOp"> {
  let summary = "Attach the #tinyq.target of a --target name to the module";
  let description = [{
    Does to the module what `tinyq-compile --target NAME [--mcpu CPU]
    [--mfloat-abi ABI] [--mattr FEATURES]` does before lowering: sets its `tinyq.target` (the
    CPU's triple, features and float ABI from TinyQ's target table and
    LLVM's description of the CPU) and its data layout (index arithmetic as
    wide as the target's pointers). Every target-dependent pass reads the
    attribute, so that `tinyq-opt` runs them as the compiler does. An
    unknown target or feature, a float ABI given for a target that is not
    Arm, or `cpu=native` for another architecture than this machine's is an
    error.

    ```mlir
    // tinyq-opt --tinyq-set-target=target=cortex-m4
    module attributes {dlti.dl_spec = #dlti.dl_spec<index = 32 : i64>,
        tinyq.target = #tinyq.target<cpu = "cortex-m4",
            triple = "thumbv7em-none-eabihf", features = ["+dsp"],
            float_abi = hard>} {
    }
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", "\"host\"",
           "A --target name of tinyq-compile: host, cortex-m0plus, "
           "cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55, "
           "cortex-m85, x86_64 or aarch64">,
    Option<"cpu", "cpu", "std::string", "\"\"",
           "An LLVM CPU name instead of the target's, or native (--mcpu)">,
    Option<"floatAbi", "float-abi", "std::string", "\"\"",
           "soft or hard instead of the target's (--mfloat-abi)">,
    Option<"features", "features", "std::string", "\"\"",
           "LLVM features to add (+name) or remove (-name), "
           "comma-separated (--mattr)">,
  ];
  let dependentDialects = ["::mlir::DLTIDialect", "::tinyq::TinyQDialect"];
}

#endif // TINYQ_TARGET_PASSES_TD
