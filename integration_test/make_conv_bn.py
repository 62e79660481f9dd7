"""Writes an ONNX Conv -> BatchNormalization -> Relu model with random
weights and statistics, and a random input batch."""

import sys

import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(0)
C = 4
W = rng.normal(size=(C, 3, 3, 3)).astype(np.float32)
B = rng.normal(size=(C,)).astype(np.float32)
scale = rng.uniform(0.5, 2, C).astype(np.float32)
bias = rng.normal(size=C).astype(np.float32)
mean = rng.normal(size=C).astype(np.float32)
var = rng.uniform(0.5, 2, C).astype(np.float32)
inits = [numpy_helper.from_array(a, n) for a, n in [(W,'W'),(B,'B'),(scale,'s'),(bias,'b'),(mean,'m'),(var,'v')]]
nodes = [helper.make_node('Conv', ['x','W','B'], ['c'], pads=[1,1,1,1]),
         helper.make_node('BatchNormalization', ['c','s','b','m','v'], ['y'], epsilon=1e-5),
         helper.make_node('Relu', ['y'], ['z'])]
g = helper.make_graph(nodes, 'convbn', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1,3,8,8])],
    [helper.make_tensor_value_info('z', TensorProto.FLOAT, [1,C,8,8])], inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])
onnx.checker.check_model(m)
onnx.save(m, sys.argv[1])
np.save(sys.argv[2], rng.normal(size=(5, 3, 8, 8)).astype(np.float32))
