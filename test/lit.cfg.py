# -*- Python -*-
# The TinyQ lit suite: FileCheck tests of tinyq-opt and the other tools.

import os
import subprocess

import lit.formats
import lit.util
from lit.llvm import llvm_config

config.name = "TinyQ"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tinyq_obj_root, "test")
config.excludes = [
    "CMakeLists.txt",
    "README.md",
    "lit.cfg.py",
    "lit.site.cfg.py.in",
    "Unit",
    "Inputs",
]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%tinyq_src_root", config.tinyq_src_root))
config.substitutions.append(("%tinyq_obj_root", config.tinyq_obj_root))
# Runtime libraries for JIT tests through mlir-runner.
config.substitutions.append(
    (
        "%mlir_runner_libs",
        ",".join(
            os.path.join(config.llvm_lib_dir, lib)
            for lib in ["libmlir_c_runner_utils.so", "libmlir_runner_utils.so"]
        ),
    )
)

tool_dirs = [config.tinyq_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    ["tinyq-opt", "tinyq-translate", "tinyq-run", "tinyq-compile", "mlir-runner",
     "not", "count", "clang-22", "llc", "llvm-nm", "llvm-size", "llvm-objdump"],
    tool_dirs,
)

clang_format = lit.util.which("clang-format-22") or os.path.join(
    config.llvm_tools_dir, "clang-format"
)
if os.path.exists(clang_format):
    config.available_features.add("clang-format")
    config.substitutions.append(("%clang_format", clang_format))
# This machine's CPU has VNNI byte dot products: the JIT (tinyq-run) takes
# the x86-64 VNNI kernels.
if os.path.exists("/proc/cpuinfo"):
    with open("/proc/cpuinfo") as cpuinfo:
        flags = cpuinfo.read().split()
    if "avx512_vnni" in flags or "avx_vnni" in flags:
        config.available_features.add("x86-vnni")
# TinyQ built with assertions (-DTINYQ_ENABLE_ASSERTIONS=ON): its
# LLVM_DEBUG output and -debug-only exist.
if getattr(config, "tinyq_enable_assertions", False):
    config.available_features.add("asserts")
if os.path.isdir(os.path.join(config.tinyq_src_root, ".git")):
    config.available_features.add("git-checkout")

# Debian's interpreter: the first python3 on PATH may not see Debian's
# python3-onnx and python3-numpy.
debian_python = "/usr/bin/python3"
config.substitutions.append(("%python", debian_python))
if os.path.exists(debian_python) and (
    subprocess.run(
        [debian_python, "-c", "import numpy, onnx"], capture_output=True
    ).returncode
    == 0
):
    config.available_features.add("python-onnx")
if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")
data_dir = os.environ.get(
    "TINYQ_DATA_DIR", os.path.join(config.tinyq_obj_root, "data")
)
config.substitutions.append(("%tinyq_data", data_dir))
if os.path.exists(os.path.join(data_dir, "mnist", "t10k-images-idx3-ubyte")):
    config.available_features.add("mnist-data")
if os.path.exists(
    os.path.join(data_dir, "fashion-mnist", "t10k-images-idx3-ubyte.gz")
):
    config.available_features.add("fashion-mnist-data")
config.substitutions.append(
    ("%tinyq_run_path", os.path.join(config.tinyq_tools_dir, "tinyq-run"))
)
config.substitutions.append(("%tinyq_tools_dir", config.tinyq_tools_dir))
ort_dir = os.path.join(config.tinyq_obj_root, "ort")
config.substitutions.append(("%ort_dir", ort_dir))
if lit.util.which("node") and os.path.isdir(
    os.path.join(ort_dir, "node_modules", "onnxruntime-node")
):
    config.available_features.add("onnxruntime")

# The MLPerf Tiny KWS models ship in ../shared next to the checkout, or
# where TINYQ_KWS_MODELS points.
kws_dir = os.environ.get(
    "TINYQ_KWS_MODELS",
    os.path.join(
        os.path.dirname(config.tinyq_src_root), "shared", "models", "mlperf_tiny_kws"
    ),
)
config.substitutions.append(("%kws_models", kws_dir))
if os.path.exists(os.path.join(kws_dir, "kws_ref_model.tflite")):
    config.available_features.add("kws-models")
else:
    lit_config.note(
        "MLPerf Tiny KWS models not found in %s (set TINYQ_KWS_MODELS): "
        "their tests are skipped" % kws_dir
    )

# Headless Chromium renders the HTML reports in their tests.
chromium = lit.util.which("chromium")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(
        ("%chromium", chromium + " --headless --no-sandbox --disable-gpu")
    )
else:
    lit_config.note("chromium not found: the report rendering tests are skipped")

# Cortex-M runs: QEMU's MPS2/MPS3 boards and the arm-none-eabi toolchain
# with newlib (runtime/cortex-m).
if lit.util.which("qemu-system-arm") and lit.util.which("arm-none-eabi-gcc"):
    config.available_features.add("cortex-m")
    config.substitutions.append(
        ("%cortex_m_runtime", os.path.join(config.tinyq_src_root, "runtime", "cortex-m"))
    )
else:
    lit_config.note("qemu-system-arm or arm-none-eabi-gcc not found: the "
                    "Cortex-M tests are skipped")

# The instruction counter (tools/qemu-insn-count), built when QEMU's plugin
# header was fetched (scripts/fetch-qemu-plugin-header.sh).
insn_count = os.path.join(config.tinyq_obj_root, "lib", "libtinyq-insn-count.so")
if os.path.exists(insn_count) and "cortex-m" in config.available_features:
    config.available_features.add("insn-count")
    config.substitutions.append(("%insn_count_plugin", insn_count))
else:
    lit_config.note("the QEMU instruction counter is not built: its tests "
                    "are skipped (run scripts/fetch-qemu-plugin-header.sh)")

if config.host_triple.startswith("x86_64"):
    config.available_features.add("host-x86_64")
