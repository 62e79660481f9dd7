"""What the Cortex-M scripts share: the QEMU board of each core and the
link of a compiled model with runtime/cortex-m and Inputs/run-model.c.

Used by run_cortex_m.py (bit-exactness tests) and bench/cortex_m.py.
"""

import os
import subprocess

# Board, linker script, compiler flags.
CORES = {
    "cortex-m3": ("mps2-an385", "mps2-an386.ld", ["-mcpu=cortex-m3", "-mfloat-abi=soft"]),
    "cortex-m4": ("mps2-an386", "mps2-an386.ld",
                  ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]),
    "cortex-m7": ("mps2-an500", "mps2-an386.ld",
                  ["-mcpu=cortex-m7", "-mfloat-abi=hard", "-mfpu=fpv5-d16"]),
    "cortex-m33": ("mps2-an505", "mps2-an505.ld",
                   ["-mcpu=cortex-m33", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"]),
    "cortex-m55": ("mps3-an547", "mps3-an547.ld", ["-mcpu=cortex-m55", "-mfloat-abi=hard"]),
}

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs", "run-model.c")


def check_output(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("failed: %s\n%s" % (" ".join(command), result.stderr))
    return result.stdout


def link_model(core, runtime, prefix, markers=False):
    """Links PREFIX.o (the model, with header PREFIX.h) into PREFIX.elf, a
    program that reads int8 inputs from PREFIX.in and writes the int8
    outputs to PREFIX.out through semihosting. The harness for the
    Cortex-M55 is compiled with clang (Debian's GCC 12 miscompiles some MVE
    code), with short enums as newlib's EABI, and linked by GCC."""
    board, script, cflags = CORES[core]
    defines = ["-include", prefix + ".h", "-DNAME=model", "-DPREFIX=MODEL", "-DENTRY=_run",
               "-DIN_TYPE=int8_t", "-DOUT_TYPE=int8_t", '-DINPUT_FILE="%s.in"' % prefix,
               '-DOUTPUT_FILE="%s.out"' % prefix] + (["-DBENCH_MARKERS"] if markers else [])
    sources = [os.path.join(runtime, "startup.c"), os.path.join(runtime, "libm-extras.c")]
    if markers:
        sources.append(os.path.join(runtime, "markers.c"))
    sources.append(HARNESS)
    objects = [prefix + ".o"]
    if core == "cortex-m55":
        # newlib's headers, next to the libc.a GCC links.
        libc = check_output(["arm-none-eabi-gcc", "-print-file-name=libc.a"]).strip()
        newlib = os.path.normpath(os.path.join(os.path.dirname(libc), "..", "include"))
        for index, source in enumerate(sources):
            out = "%s.harness%d.o" % (prefix, index)
            check_output(["clang-22", "--target=thumbv8.1m.main-none-eabihf",
                          "-mcpu=cortex-m55", "-mfloat-abi=hard", "-fshort-enums", "-O2",
                          "-isystem", newlib, "-c", source, "-o", out] + defines)
            objects.append(out)
        sources = []
    check_output(["arm-none-eabi-gcc", "-O2", "-mthumb"] + cflags +
                 ["-nostartfiles", "--specs=rdimon.specs", "-Wl,--no-warn-execstack", "-T",
                  os.path.join(runtime, script)] + defines + sources + objects +
                 ["-lm", "-o", prefix + ".elf"])
    return board
