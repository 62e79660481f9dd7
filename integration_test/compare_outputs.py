"""Compares two .npy files of model outputs bit for bit.

Prints 'bit-exact: N of M values' (N the values whose bit patterns are
equal) and, when they differ, the first differing positions.
"""

import sys

import numpy as np


def main():
    a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
    if a.shape != b.shape or a.dtype != b.dtype:
        print(f"shape or type differs: {a.shape} {a.dtype} vs {b.shape} {b.dtype}")
        return 1
    unsigned = np.dtype(f"u{a.dtype.itemsize}")
    equal = a.view(unsigned) == b.view(unsigned)
    print(f"bit-exact: {int(equal.sum())} of {equal.size} values")
    for index in np.argwhere(~equal)[:5]:
        position = tuple(int(i) for i in index)
        print(f"  at {position}: {a[position]} vs {b[position]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
