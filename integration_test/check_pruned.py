"""Checks a model pruned by models/prune.py against its original, from the
definitions alone: the same graph and initializers except the weights of
Gemm and Conv nodes; per layer, with --sparsity S, round(S * size) zeros
and no kept weight smaller in magnitude than a pruned one; with --pattern
N:M, in every group of M consecutive input channels (NHWC order for
Conv), at most N non-zero, and those are the group's N largest in
magnitude, and layers whose channels do not split into such groups
unchanged. Pruning keeps the values it keeps.

Usage: check_pruned.py ORIGINAL PRUNED (--sparsity S | --pattern N:M)
Prints one line per layer and "pruned: ok", or exits with the failure.
"""

import sys

import numpy as np
import onnx
from onnx import numpy_helper

original_path, pruned_path, mode, value = sys.argv[1:5]
original = onnx.load(original_path)
pruned = onnx.load(pruned_path)
before = {i.name: numpy_helper.to_array(i) for i in original.graph.initializer}
after = {i.name: numpy_helper.to_array(i) for i in pruned.graph.initializer}
if before.keys() != after.keys() or len(original.graph.node) != len(pruned.graph.node):
    sys.exit("the graphs differ")
weights = {n.input[1]: n.op_type for n in original.graph.node
           if n.op_type in ("Gemm", "Conv")}
for name, old in before.items():
    new = after[name]
    if old.shape != new.shape:
        sys.exit("%s: shape changed" % name)
    changed = new != old
    if name not in weights:
        if changed.any():
            sys.exit("%s: not a weight, but changed" % name)
        continue
    if (new[changed] != 0).any():
        sys.exit("%s: a kept weight changed value" % name)
    if weights[name] == "Conv":
        rows = old.transpose(0, 2, 3, 1).reshape(old.shape[0], -1)
        kept_rows = new.transpose(0, 2, 3, 1).reshape(old.shape[0], -1)
    else:  # Gemm with transB = 1: [outputs, depth].
        rows, kept_rows = old, new
    zeros = int((new == 0).sum())
    if mode == "--sparsity":
        expected = int(round(float(value) * new.size))
        # Weights that were zero already count; none other than the
        # smallest may go.
        if zeros != max(expected, int((old == 0).sum())):
            sys.exit("%s: %d zeros, expected %d" % (name, zeros, expected))
        pruned_magnitudes = np.abs(old[new == 0])
        kept_magnitudes = np.abs(old[new != 0])
        if kept_magnitudes.size and pruned_magnitudes.max() > kept_magnitudes.min():
            sys.exit("%s: a pruned weight is larger than a kept one" % name)
    else:
        keep, group = (int(part) for part in value.split(":"))
        channels = old.shape[1] if weights[name] == "Conv" else rows.shape[1]
        if channels % group != 0:
            if changed.any():
                sys.exit("%s: %d channels, not groups of %d, but pruned" % (
                    name, channels, group))
            print("%s: dense" % name)
            continue
        for row, kept_row in zip(rows, kept_rows):
            for start in range(0, row.size, group):
                block, kept = row[start:start + group], kept_row[start:start + group]
                nonzero = np.flatnonzero(kept)
                if nonzero.size > keep:
                    sys.exit("%s: %d non-zero in a group" % (name, nonzero.size))
                dropped = np.setdiff1d(np.arange(block.size), nonzero)
                if np.abs(block[dropped]).max() > np.abs(block[nonzero]).min(initial=np.inf):
                    sys.exit("%s: a group kept a smaller weight" % name)
    print("%s: %d of %d zero" % (name, zeros, new.size))
print("pruned: ok")
