// Computes ONNX Runtime's outputs for one model over a full IDX test set:
// the top-1 label of every image and the logits of the first images.
//   node scripts/ort-reference.mjs MODEL.onnx IMAGES.idx[.gz] SCALE OUT.json
// onnxruntime-node comes from npm (scripts/ort-reference.sh installs it).
import * as ort from 'onnxruntime-node';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';

const [modelPath, imagesPath, scaleText, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node ort-reference.mjs MODEL IMAGES SCALE OUT.json');
  process.exit(2);
}
const LOGIT_IMAGES = 200;
const BATCH = 500;

let bytes = readFileSync(imagesPath);
if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
if (bytes[2] !== 0x08) throw new Error('expected an unsigned-byte IDX file');
const rank = bytes[3];
const dims = [];
for (let i = 0; i < rank; ++i) dims.push(bytes.readUInt32BE(4 + 4 * i));
const count = dims[0];
const perImage = dims.slice(1).reduce((a, b) => a * b, 1);
const pixels = bytes.subarray(4 + 4 * rank);
const scale = Number(scaleText);

const session = await ort.InferenceSession.create(modelPath);
const [inputName] = session.inputNames;
const [outputName] = session.outputNames;
const top1 = [];
const logits = [];
for (let first = 0; first < count; first += BATCH) {
  const n = Math.min(BATCH, count - first);
  const data = new Float32Array(n * perImage);
  for (let i = 0; i < n * perImage; ++i)
    data[i] = pixels[first * perImage + i] * scale;
  const result = await session.run({
    [inputName]: new ort.Tensor('float32', data, [n, 1, 28, 28]),
  });
  const out = result[outputName].data;
  const classes = out.length / n;
  for (let s = 0; s < n; ++s) {
    const row = Array.from(out.subarray(s * classes, (s + 1) * classes));
    top1.push(row.indexOf(Math.max(...row)));
    if (first + s < LOGIT_IMAGES) logits.push(row);
  }
}
writeFileSync(outPath, JSON.stringify({
  model: basename(modelPath),
  runtime: `onnxruntime-node ${ort.env.versions.common}`,
  images: basename(imagesPath),
  input_scale: scale,
  top1,
  logits_first_images: logits,
}) + '\n');
console.log(`${outPath}: ${count} images`);
