"""Checks a --sparq-budget choice in an integer model.

Usage: check_sparq_share.py INTEGER.mlir BUDGET

The layers SPARQ can take read an input whose zero point is -128 (a range
starting at 0). Their MACs, from the operand and result types, split into
those with a `sparq` attribute and the plain ones; the plain share must be
at most BUDGET of them. Prints both and the verdict.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from integer_layers import read_layers  # noqa: E402


def main(path, budget):
    eligible = [layer for layer in read_layers(path) if layer.input_zero_point == -128]
    sparq = sum(layer.macs for layer in eligible if layer.sparq)
    plain = sum(layer.macs for layer in eligible if not layer.sparq)
    total = sparq + plain
    print("SPARQ MACs %d, plain MACs %d of %d" % (sparq, plain, total))
    print("within budget" if total and sparq and plain <= float(budget) * total
          else "over budget or degenerate")


if __name__ == "__main__":
    main(*sys.argv[1:])
