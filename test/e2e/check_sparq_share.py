"""Checks a --sparq-budget choice in an integer model.

Usage: check_sparq_share.py INTEGER.mlir BUDGET

The layers SPARQ can take read an input whose zero point is -128 (a range
starting at 0). Their MACs, from the operand and result types, split into
those with a `sparq` attribute and the plain ones; the plain share must be
at most BUDGET of them. Prints both and the verdict.
"""

import re
import sys

import numpy as np


def shape(text):
    return [int(d) for d in text.strip("x").split("x")]


def main(path, budget):
    sparq = plain = 0
    for line in open(path):
        match = re.search(r"tinyq\.(conv2d|depthwise_conv2d|fully_connected) %\S+, %\S+, %\S+ "
                          r"zero_points\((-?\d+), ", line)
        if not match:
            continue
        types = re.findall(r"tensor<([0-9x]+x)i\d+>", line)
        weights, out = shape(types[1]), shape(types[-1])
        if match.group(1) == "conv2d":
            macs = np.prod(out) * np.prod(weights[1:])
        elif match.group(1) == "depthwise_conv2d":
            macs = np.prod(out) * weights[0] * weights[1]
        else:
            macs = np.prod(out) * shape(types[0])[-1]
        if int(match.group(2)) != -128:
            continue
        if "sparq = #tinyq.sparq" in line:
            sparq += int(macs)
        else:
            plain += int(macs)
    total = sparq + plain
    print("SPARQ MACs %d, plain MACs %d of %d" % (sparq, plain, total))
    print("within budget" if total and sparq and plain <= float(budget) * total
          else "over budget or degenerate")


if __name__ == "__main__":
    main(*sys.argv[1:])
