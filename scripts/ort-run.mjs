// Runs an ONNX model with ONNX Runtime (npm onnxruntime-node) on raw inputs:
//   node ort-run.mjs MODEL OUT_PREFIX NAME:DTYPE:D0xD1x...:FILE ...
// writes output i to OUT_PREFIX<i>.bin (raw little-endian) and prints one
// JSON line per output with its dtype and dims.
import * as ort from 'onnxruntime-node';
import { readFileSync, writeFileSync } from 'node:fs';

const [modelPath, outPrefix, ...specs] = process.argv.slice(2);
const arrays = {
  float32: Float32Array, uint8: Uint8Array, int8: Int8Array,
  int32: Int32Array, int64: BigInt64Array,
};
const feeds = {};
for (const spec of specs) {
  const [name, dtype, dims, file] = spec.split(':');
  const bytes = readFileSync(file);
  const data = new arrays[dtype](bytes.buffer, bytes.byteOffset,
                                 bytes.byteLength / arrays[dtype].BYTES_PER_ELEMENT);
  feeds[name] = new ort.Tensor(dtype, data, dims.split('x').map(Number));
}
// Graph optimizations off: ORT's default optimizer removes Q->DQ pairs,
// which would change the very numerics being compared.
const session = await ort.InferenceSession.create(modelPath, {
  graphOptimizationLevel: 'disabled',
});
const results = await session.run(feeds);
session.outputNames.forEach((name, i) => {
  const tensor = results[name];
  writeFileSync(`${outPrefix}${i}.bin`, Buffer.from(tensor.data.buffer,
                tensor.data.byteOffset, tensor.data.byteLength));
  console.log(JSON.stringify({ name, dtype: tensor.type, dims: tensor.dims }));
});
