"""Checks the Markdown of `tinyq-run --sweep` for consistency.

Usage: check_sweep.py SWEEP.md INT8_RUN INT4_RUN

Every cell's weight bytes must be within its budget, the budgets 0.5 and
1.0 must use the all-int4 and all-int8 bytes and equal the uniform
baselines, and those must equal the accuracies that plain `--weights i8`
and `--weights i4` runs printed.
"""

import math
import re
import sys

text = open(sys.argv[1]).read()
int8_bytes, int4_bytes = map(
    int, re.search(r"Weights: (\d+) bytes at int8, (\d+) at int4", text).groups()
)
budgets = [
    float(b)
    for b in re.search(r"^\| budget \(of int8 bytes\) \|(.*)$", text, re.M)
    .group(1)
    .split("|")
    if b.strip()
]
rows = {}
for label in ("two-inference (TinyQ)", "single-layer exhaustive", "random order (median)"):
    line = re.search(r"^\| " + re.escape(label) + r" \|(.*)$", text, re.M).group(1)
    cells = re.findall(r"([0-9.]+) \((\d+) B\)", line)
    rows[label] = [(float(a), int(b)) for a, b in cells]
uniform = {
    name: float(re.search(r"^\| " + name + r" \| ([0-9.]+) at (\d+) B", text, re.M).group(1))
    for name in ("uniform-int4", "uniform-int8")
}

problems = []
for label, cells in rows.items():
    if len(cells) != len(budgets):
        problems.append("%s has %d cells for %d budgets" % (label, len(cells), len(budgets)))
    for budget, (_, used) in zip(budgets, cells):
        if used > math.floor(budget * int8_bytes):
            problems.append("%s uses %d bytes at budget %.3f" % (label, used, budget))
print("%d methods x %d budgets %s" % (
    len(rows), len(budgets), "within budget" if not problems else problems))

ends = []
for label, cells in rows.items():
    if cells[0] != (uniform["uniform-int4"], int4_bytes):
        ends.append("%s at 0.5: %s" % (label, cells[0]))
    if cells[-1] != (uniform["uniform-int8"], int8_bytes):
        ends.append("%s at 1.0: %s" % (label, cells[-1]))
print("ends equal the uniform baselines" if not ends else ends)


def plain_accuracy(path):
    return float(re.search(r"accuracy: ([0-9.]+)", open(path).read()).group(1))


for name, path in (("uniform-int8", sys.argv[2]), ("uniform-int4", sys.argv[3])):
    plain = plain_accuracy(path)
    flag = "--weights i" + name[-1]
    print("%s %s %s" % (
        name, "equals" if plain == uniform[name] else "differs from (%.4f vs %.4f)" % (
            uniform[name], plain), flag))
