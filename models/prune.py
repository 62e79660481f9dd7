#!/usr/bin/python3
"""Magnitude-prunes the weights of an ONNX model: unstructured to a
fraction of zeros per layer, or N:M structured (2:4: in every group of 4
consecutive weights along the reduction axis, the 2 of smallest
magnitude become zero).

Run with Debian's interpreter (it sees python3-onnx):
    /usr/bin/python3 models/prune.py models/onnx/mnist_mlp.onnx \
        --sparsity 0.5 -o build/pruned/mnist_mlp-50.onnx
    /usr/bin/python3 models/prune.py models/onnx/mnist_cnn.onnx \
        --pattern 2:4 -o build/pruned/mnist_cnn-2of4.onnx

The weights of every Gemm, MatMul and Conv whose weights are an
initializer are pruned, depthwise ones too; biases are not. The reduction
axis is K of a Gemm / MatMul weight and, for a Conv weight [O, C/g, KH,
KW], the input channels (where TinyQ's NHWC kernels read them
consecutively). N:M pruning leaves dense the layers whose reduction does
not split into such groups (a Conv over fewer than M or not a multiple
of M input channels per group, such as a first convolution over one
channel or a depthwise one; a Gemm whose K is not a multiple of M), as
2:4 hardware does. There is no fine-tuning: the accuracy the pruned model keeps is
what bench/cortex_m.py and the tests measure. Prints, per layer, the
weights and the fraction that is zero.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def reduction_rows(weights, op_type, transposed):
    """The weights as rows of the reduction axis: [outputs, depth], and a
    function that puts such rows back into the original shape."""
    if op_type in ("Gemm", "MatMul"):
        rows = weights.T if not transposed else weights
        return rows, (lambda r: r.T if not transposed else r)
    # Conv [O, C, KH, KW] -> [O, KH, KW, C] so that channels are innermost.
    nhwc = weights.transpose(0, 2, 3, 1)
    shape = nhwc.shape
    return (nhwc.reshape(shape[0], -1),
            lambda r: r.reshape(shape).transpose(0, 3, 1, 2))


def prune_unstructured(rows, sparsity):
    """Zeroes the round(sparsity * size) weights of smallest magnitude
    (ties by position, so the count is exact)."""
    flat = rows.reshape(-1)
    count = int(round(sparsity * flat.size))
    order = np.argsort(np.abs(flat), kind="stable")
    pruned = flat.copy()
    pruned[order[:count]] = 0
    return pruned.reshape(rows.shape)


def prune_structured(rows, keep, group):
    """In every group of `group` consecutive weights of a row (whose
    length is a multiple of `group`), zeroes all but the `keep` of largest
    magnitude."""
    pruned = rows.copy()
    for start in range(0, rows.shape[1], group):
        block = pruned[:, start:start + group]
        # Indices of the (group - keep) smallest magnitudes in each row.
        order = np.argsort(np.abs(block), axis=1, kind="stable")
        np.put_along_axis(block, order[:, : group - keep], 0, axis=1)
    return pruned


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--sparsity", type=float,
                       help="fraction of each layer's weights set to zero (0 to 1)")
    group.add_argument("--pattern", help="N:M structured sparsity, e.g. 2:4")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    keep = group_size = None
    if args.pattern:
        try:
            keep, group_size = (int(part) for part in args.pattern.split(":"))
        except ValueError:
            sys.exit("prune.py: --pattern must be N:M, e.g. 2:4, not '%s'" % args.pattern)
        if not 0 < keep < group_size:
            sys.exit("prune.py: --pattern N:M needs 0 < N < M, not '%s'" % args.pattern)
    elif not 0 <= args.sparsity < 1:
        sys.exit("prune.py: --sparsity must be in [0, 1), not %s" % args.sparsity)

    try:
        model = onnx.load(args.model)
    except Exception as error:  # onnx raises several kinds for bad files.
        sys.exit("prune.py: cannot read %s: %s" % (args.model, error))
    initializers = {init.name: init for init in model.graph.initializer}
    pruned_layers = 0
    for node in model.graph.node:
        if node.op_type not in ("Gemm", "MatMul", "Conv") or len(node.input) < 2:
            continue
        init = initializers.get(node.input[1])
        if init is None:
            continue
        weights = numpy_helper.to_array(init)
        attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Gemm" and attributes.get("transA", 0):
            continue
        if weights.ndim != (4 if node.op_type == "Conv" else 2):
            continue
        rows, restore = reduction_rows(weights, node.op_type,
                                       bool(attributes.get("transB", 0)))
        channels = weights.shape[1] if node.op_type == "Conv" else rows.shape[1]
        name = "%s %s %s" % (node.op_type, node.name or node.output[0],
                             "x".join(map(str, weights.shape)))
        if keep is not None and channels % group_size != 0:
            print("%s: kept dense (%d input channels, not groups of %d)" % (
                name, channels, group_size))
            continue
        if keep is not None:
            pruned = prune_structured(rows, keep, group_size)
        else:
            pruned = prune_unstructured(rows, args.sparsity)
        result = np.ascontiguousarray(restore(pruned)).astype(weights.dtype)
        init.CopyFrom(numpy_helper.from_array(result, init.name))
        pruned_layers += 1
        print("%s: %d weights, %.1f%% zero" % (
            name, result.size, 100.0 * np.count_nonzero(result == 0) / result.size))
    if pruned_layers == 0:
        sys.exit("prune.py: %s has no Gemm, MatMul or Conv with constant weights" % args.model)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    onnx.save(model, args.output)


if __name__ == "__main__":
    main()
