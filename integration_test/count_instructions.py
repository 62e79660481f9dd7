"""Runs an ELF in qemu-system-arm under tools/qemu-insn-count.

Usage: count_instructions.py PLUGIN BOARD ELF OUT [BLOCKS]

Finds tinyq_bench_begin and tinyq_bench_end in the ELF's symbol table,
runs the board with the plugin counting between them, and prints the
plugin's report (one line per window and the total). With BLOCKS, the
plugin also writes its per-block execution profile there.
"""

import subprocess
import sys

plugin, board, elf, out = sys.argv[1:5]
blocks = ",blocks=" + sys.argv[5] if len(sys.argv) > 5 else ""
symbols = {}
for line in subprocess.run(["arm-none-eabi-nm", elf], check=True, capture_output=True,
                           text=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3:
        symbols[parts[2]] = "0x" + parts[0]
result = subprocess.run(
    ["qemu-system-arm", "-M", board, "-nographic", "-monitor", "none", "-serial", "none",
     "-semihosting-config", "enable=on,target=native", "-plugin",
     "%s,begin=%s,end=%s,out=%s%s" % (plugin, symbols["tinyq_bench_begin"],
                                      symbols["tinyq_bench_end"], out, blocks),
     "-kernel", elf], capture_output=True, text=True, timeout=600)
if result.returncode != 0:
    sys.exit("the run failed (%d): %s" % (result.returncode, result.stderr))
print(open(out).read(), end="")
