#!/usr/bin/python3
"""Estimated cycles of a profiled run: each executed block's llvm-mca cycles
for the core's scheduling model times its executions.

Usage: estimate_cycles.py ELF BLOCKS MCPU WINDOWS [--top N]

BLOCKS is the profile tools/qemu-insn-count writes with blocks=FILE (one
line "ADDRESS INSTRUCTIONS EXECUTIONS" per block, summed over WINDOWS
windows). The blocks' instructions come from llvm-objdump of ELF; llvm-mca
(-mcpu=MCPU) analyzes each distinct block as its own code region, 100
iterations, and a block costs its steady-state cycles per iteration
(Total Cycles / 100): the throughput of a loop body run back to back,
dependencies between iterations included, branches at the scheduling
model's cost; instructions the model has no data for (the M7's `it`)
or that llvm-mca cannot parse out of context (a block that starts inside
an IT block) are skipped (a block left with none costs a cycle per instruction, and
the output says how many did). Calls become branches, and branches
target a placeholder label. Prints the
estimated cycles per window and, with --top, the N costliest blocks.
Deterministic: the profile and llvm-mca are.
"""

import argparse
import bisect
import collections
import re
import shutil
import subprocess
import sys

ITERATIONS = 100


def tool(name):
    for candidate in (name + "-22", name):
        if shutil.which(candidate):
            return candidate
    sys.exit("estimate_cycles: %s not found" % name)


def disassemble(elf, mcpu):
    """Address -> instruction text of ELF's executable sections."""
    listing = subprocess.run([tool("llvm-objdump"), "-d", "--no-show-raw-insn",
                              "--mcpu=" + mcpu, elf], check=True, capture_output=True,
                             text=True).stdout
    instructions = {}
    for line in listing.splitlines():
        match = re.match(r"^\s*([0-9a-f]+):\s+(\S.*)$", line)
        if match:
            text = match.group(2).split("@")[0].strip()
            instructions[int(match.group(1), 16)] = text
    return instructions


BRANCH = re.compile(r"^(b|bl|blx|b\w\w|b\.w|b\w\w\.w|cbz|cbnz|le|wls|dls|letp|wlstp)\b")


def assembly(text):
    """\\p text as llvm-mca reads it: branch targets become a label, and a
    call a branch (llvm-mca gives calls a flat 100 cycles; the callee's
    blocks are profiled on their own)."""
    mnemonic = text.split()[0]
    if mnemonic in ("bl", "blx") and re.search(r"0x[0-9a-f]+", text):
        text = "b.w" + text[len(mnemonic):]
    if BRANCH.match(text.split()[0]) and re.search(r"0x[0-9a-f]+", text):
        return re.sub(r"0x[0-9a-f]+(\s*<[^>]*>)?", ".Ltarget", text)
    # The symbolic form llvm-objdump adds to pc-relative operands.
    return re.sub(r"\s*<[^>]*>", "", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("elf")
    parser.add_argument("blocks")
    parser.add_argument("mcpu")
    parser.add_argument("windows", type=int)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()

    executions = collections.Counter()
    for line in open(args.blocks):
        address, count, runs = line.split()
        executions[(int(address, 16), int(count))] += int(runs)
    instructions = disassemble(args.elf, args.mcpu)
    addresses = sorted(instructions)

    regions = []
    for (address, count) in sorted(executions):
        if address not in instructions:
            sys.exit("estimate_cycles: no instruction at 0x%x in %s" % (address, args.elf))
        start = bisect.bisect_left(addresses, address)
        body = [assembly(instructions[a]) for a in addresses[start:start + count]]
        regions.append(((address, count), body))
    source = [".syntax unified", ".thumb"]
    for index, (_, body) in enumerate(regions):
        source.append("# LLVM-MCA-BEGIN block%d" % index)
        source.extend("\t" + text for text in body)
        source.append("# LLVM-MCA-END")
    source.append(".Ltarget:")
    mca = subprocess.run([tool("llvm-mca"), "-mtriple=thumbv8.1m.main-none-eabi"
                          if args.mcpu == "cortex-m55" else "-mtriple=thumbv7em-none-eabi",
                          "-mcpu=" + args.mcpu, "-iterations=%d" % ITERATIONS,
                          "-skip-unsupported-instructions=any"],
                         input="\n".join(source) + "\n", capture_output=True, text=True)
    if mca.returncode != 0:
        sys.exit("estimate_cycles: llvm-mca failed: %s" % mca.stderr[:2000])
    # Per region name; a region all of whose instructions were skipped
    # (a lone `le`, say) has no result and costs a cycle per instruction.
    cycles = {}
    for chunk in re.split(r"Code Region - (?=block\d+)", mca.stdout)[1:]:
        name = re.match(r"block(\d+)", chunk)
        total = re.search(r"^Total Cycles:\s+(\d+)", chunk, re.M)
        if name and total:
            cycles[int(name.group(1))] = int(total.group(1))
    unmodelled = 0

    costs = []
    for index, (key, body) in enumerate(regions):
        if index in cycles:
            per_iteration = cycles[index] / ITERATIONS
        else:
            per_iteration = float(len(body))
            unmodelled += 1
        costs.append((per_iteration * executions[key], key, per_iteration, body))
    estimate = sum(cost for cost, _, _, _ in costs) / args.windows
    instructions_run = sum(count * executions[(a, count)]
                           for (a, count) in executions) / args.windows
    print("estimated cycles per window: %d (%d instructions, %d blocks)" %
          (round(estimate), round(instructions_run), len(regions)))
    if unmodelled:
        print("  %d blocks without an llvm-mca result, at a cycle per instruction"
              % unmodelled)
    for cost, (address, count), per_iteration, body in sorted(costs, reverse=True)[:args.top]:
        print("  0x%x: %d instructions, %.2f cycles x %d = %d per window" % (
            address, count, per_iteration, executions[(address, count)] // args.windows,
            round(cost / args.windows)))


if __name__ == "__main__":
    main()
