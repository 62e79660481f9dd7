"""The integer layers of an integer model as tinyq-compile --emit=mlir
writes it: kind, multiply-accumulates from the operand and result types,
input zero point and whether it carries SPARQ.

Used by check_sparq_share.py and bench/cortex_m.py.
"""

import re
from collections import namedtuple

import numpy as np

Layer = namedtuple("Layer", "kind macs input_zero_point sparq")

LAYER = re.compile(r"tinyq\.(conv2d|depthwise_conv2d|fully_connected) %\S+, %\S+, %\S+ "
                   r"zero_points\((-?\d+), ")


def _shape(text):
    return [int(d) for d in text.strip("x").split("x")]


def read_layers(path):
    """The layers of the integer model in file \\p path, in order."""
    layers = []
    for line in open(path):
        match = LAYER.search(line)
        if not match:
            continue
        types = re.findall(r"tensor<([0-9x]+x)i\d+>", line)
        weights, out = _shape(types[1]), _shape(types[-1])
        kind = match.group(1)
        if kind == "conv2d":
            macs = np.prod(out) * np.prod(weights[1:])
        elif kind == "depthwise_conv2d":
            macs = np.prod(out) * weights[0] * weights[1]
        else:
            macs = np.prod(out) * _shape(types[0])[-1]
        layers.append(Layer(kind, int(macs), int(match.group(2)),
                            "sparq = #tinyq.sparq" in line))
    return layers
