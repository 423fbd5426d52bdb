// Runs an ONNX file with ONNX Runtime (npm onnxruntime-node, its bundled CPU library): the
// reference that tools/import's converted modules are compared with.
// Usage: node ort_run.mjs REQUEST.json
// REQUEST: {"model": "x.onnx", "inputs": [{"name", "dims", "type": "float32"|"int64", "file"}],
//           "outputs_dir": "DIR"}. Writes DIR/<i>.bin (float32, little-endian) and DIR/outputs.json
// ([{"name", "dims"}] in the graph's output order).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

// node_modules beside this script, or in $ACG2VEC_ORT_MODULES (tools/import/tests/install_onnxruntime.sh)
const modules = process.env.ACG2VEC_ORT_MODULES;
const require = createRequire(modules ? `${resolve(modules)}/node_modules/` : import.meta.url);
const ort = require('onnxruntime-node');

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const session = await ort.InferenceSession.create(request.model, { graphOptimizationLevel: 'disabled' });
const feeds = {};
for (const input of request.inputs) {
  const bytes = readFileSync(input.file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const data = input.type === 'int64' ? new BigInt64Array(buffer) : new Float32Array(buffer);
  feeds[input.name] = new ort.Tensor(input.type, data, input.dims);
}
const results = await session.run(feeds);
const described = session.outputNames.map((name, i) => {
  const t = results[name];
  const values = t.type === 'float32' ? t.data : Float32Array.from(t.data, Number);
  writeFileSync(`${request.outputs_dir}/${i}.bin`, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  return { name, dims: t.dims };
});
writeFileSync(`${request.outputs_dir}/outputs.json`, JSON.stringify(described));
