"""Compiled tinyq.sparq against the reference evaluator, exhaustively.

Usage: check_sparq_lowering.py TINYQ_RUN WORK_DIR

For every named SPARQ option set (n = 4: 5opt, 3opt, 2opt; n = 3 and
n = 2 with every shift), both roundings, with and without vSPARQ pairs,
runs one function through tinyq-run twice: JIT-compiled, and with
--reference (the numerics library). Its inputs are all 65536 magnitude
pairs (rows of even length, both orders) and rows of odd length 7 (a
virtual zero pairs with the last element), a third of them zeros. Prints
one line per configuration and a total.
"""

import os
import subprocess
import sys

import numpy as np

tinyq_run, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)

first = np.arange(256).repeat(256)
second = np.tile(np.arange(256), 256)
pairs = np.stack([first, second], 1).reshape(-1)
even = (np.stack([pairs, pairs[::-1]]) - 128).astype(np.int8)
rng = np.random.default_rng(5)
odd = rng.integers(0, 256, size=(64, 7))
odd[rng.random(odd.shape) < 1 / 3] = 0
odd = (odd - 128).astype(np.int8)
np.save(os.path.join(work, "even.npy"), even)
np.save(os.path.join(work, "odd.npy"), odd)

configs = [
    (4, [0, 1, 2, 3, 4], "5opt"),
    (4, [0, 2, 4], "3opt"),
    (4, [0, 4], "2opt"),
    (3, [0, 1, 2, 3, 4, 5], "n3"),
    (2, [0, 1, 2, 3, 4, 5, 6], "n2"),
]
total = exact = 0
for bits, shifts, name in configs:
    for rounding in ("truncate", "nearest_even"):
        for pairs_flag in (False, True):
            config = "<bits = %d, shifts = [%s], rounding = %s%s>" % (
                bits, ", ".join(map(str, shifts)), rounding,
                ", pairs = true" if pairs_flag else "")
            module = """func.func @main(%x: tensor<2x131072xi8>, %y: tensor<64x7xi8>) -> (tensor<2x131072xi8>, tensor<64x7xi8>) {
  %0 = tinyq.sparq %x CONFIG zero_point -128 : tensor<2x131072xi8>
  %1 = tinyq.sparq %y CONFIG zero_point -128 : tensor<64x7xi8>
  return %0, %1 : tensor<2x131072xi8>, tensor<64x7xi8>
}
""".replace("CONFIG", config)
            path = os.path.join(work, "sparq.mlir")
            with open(path, "w") as f:
                f.write(module)
            results = []
            for mode in ([], ["--reference"]):
                outputs = [os.path.join(work, "%s%d.npy" % ("ref" if mode else "jit", i))
                           for i in range(2)]
                subprocess.run(
                    [tinyq_run, path, "--unbatched"] + mode
                    + ["--input", os.path.join(work, "even.npy"),
                       "--input", os.path.join(work, "odd.npy")]
                    + sum((["--output", o] for o in outputs), []),
                    check=True, stderr=subprocess.DEVNULL)
                results.append(np.concatenate([np.load(o).reshape(-1) for o in outputs]))
            jit, ref = results
            same = int((jit == ref).sum())
            changed = int((ref != np.concatenate([even.reshape(-1), odd.reshape(-1)])).sum())
            total += jit.size
            exact += same
            print("%s %s%s: %d of %d equal, %d changed by SPARQ" % (
                name, rounding, " pairs" if pairs_flag else "", same, jit.size, changed))
print("total: %d of %d equal" % (exact, total))
