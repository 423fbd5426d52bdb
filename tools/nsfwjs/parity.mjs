// Runs the ORIGINAL nsfwjs model with TensorFlow.js (pure-JS CPU backend) and writes its outputs,
// for parity.py to compare with the converted TorchScript model.
//
//   node parity.mjs --node-modules DIR --model mobilenet_v2|inception_v3 --out PREFIX
//                   (--pixels FILE.f32 --shape N,3,S,S | --rgb FILE.u8 --shape H,W,3)
//
// --pixels: raw little-endian float32, NCHW, values in [0, 1], S the model's input size
//           (224 / 299): fed to the Keras model as it is (transposed to NHWC).
// --rgb:    raw 8-bit RGB, row-major H x W x 3, one image: run through nsfwjs's own pipeline
//           (NSFWJS.infer: toFloat, div 255, resizeBilinear(alignCorners=true) unless already
//           S x S). The tensor that pipeline feeds the model is written too.
//
// Writes PREFIX.probs.f32 [N,5], PREFIX.features.f32 [N,D] (output of the layer before the dense
// head, "flatten_1"), for --rgb also PREFIX.pixels.f32 [1,3,S,S] (NCHW), and PREFIX.json with
// shapes, versions and timings. Log lines go to stderr.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const MODELS = {
    mobilenet_v2: { nsfwjsName: "MobileNetV2", size: 224, featuresLayer: "flatten_1" },
    inception_v3: { nsfwjsName: "InceptionV3", size: 299, featuresLayer: "flatten_1" },
};

function parseArgs(argv) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const a = { nodeModules: process.env.NSFWJS_NODE_MODULES || path.join(here, "node_modules") };
    for (let i = 0; i < argv.length; i++) {
        const k = argv[i];
        const v = () => {
            if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
            return argv[++i];
        };
        if (k === "--node-modules") a.nodeModules = v();
        else if (k === "--model") a.model = v();
        else if (k === "--pixels") a.pixels = v();
        else if (k === "--rgb") a.rgb = v();
        else if (k === "--shape") a.shape = v().split(",").map((x) => parseInt(x, 10));
        else if (k === "--out") a.out = v();
        else throw new Error(`unknown argument ${k}`);
    }
    if (!MODELS[a.model]) throw new Error(`--model must be one of ${Object.keys(MODELS).join(", ")}`);
    if (!a.out || !a.shape || !!a.pixels === !!a.rgb) throw new Error("need --out, --shape and one of --pixels / --rgb");
    return a;
}

function readRaw(file, ArrayType, count) {
    const buf = fs.readFileSync(file);
    if (buf.length !== count * ArrayType.BYTES_PER_ELEMENT) {
        throw new Error(`${file}: ${buf.length} bytes, expected ${count * ArrayType.BYTES_PER_ELEMENT} for the given --shape`);
    }
    const out = new ArrayType(count);
    new Uint8Array(out.buffer).set(buf);
    return out;
}

function writeRaw(file, typed) {
    fs.writeFileSync(file, Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));
}

const args = parseArgs(process.argv.slice(2));
// Both packages through one CommonJS require, so nsfwjs uses this very tfjs instance.
const require = createRequire(path.join(path.resolve(args.nodeModules), "_resolve_from_here.js"));
const tf = require("@tensorflow/tfjs");
const nsfwjs = require("nsfwjs");
const nsfwjsVersion = JSON.parse(fs.readFileSync(path.join(args.nodeModules, "nsfwjs", "package.json"), "utf8")).version;

const spec = MODELS[args.model];
const log = (...m) => console.error(`[parity.mjs ${args.model}]`, ...m);

await tf.setBackend("cpu");
await tf.ready();
const t0 = Date.now();
// Silence nsfwjs's console.info banner.
const info = console.info;
console.info = () => {};
const net = await nsfwjs.load(spec.nsfwjsName, spec.size === 224 ? undefined : { size: spec.size });
console.info = info;
const loadMs = Date.now() - t0;
const model = net.model;
const inputShape = model.inputs[0].shape;
if (inputShape[1] !== spec.size || inputShape[2] !== spec.size) throw new Error(`model input ${inputShape}`);
const both = tf.model({ inputs: model.inputs, outputs: [model.outputs[0], model.getLayer(spec.featuresLayer).output] });
log(`backend ${tf.getBackend()}, tfjs ${tf.version.tfjs}, nsfwjs ${nsfwjsVersion}, loaded in ${loadMs} ms`);

const S = spec.size;
const meta = { model: args.model, nsfwjs: nsfwjsVersion, tfjs: tf.version.tfjs, backend: tf.getBackend(), load_ms: loadMs };
let batch; // NHWC float32 tensor fed to the Keras model
if (args.pixels) {
    const [n, c, h, w] = args.shape;
    if (args.shape.length !== 4 || c !== 3 || h !== S || w !== S) throw new Error(`--shape must be N,3,${S},${S}`);
    const data = readRaw(args.pixels, Float32Array, n * 3 * S * S);
    batch = tf.tidy(() => tf.tensor4d(data, [n, 3, S, S]).transpose([0, 2, 3, 1]));
} else {
    const [h, w, c] = args.shape;
    if (args.shape.length !== 3 || c !== 3) throw new Error("--shape must be H,W,3 for --rgb");
    const rgb = readRaw(args.rgb, Uint8Array, h * w * 3);
    // What tf.browser.fromPixels / tf.node.decodeImage(buf, 3) hand nsfwjs: int32 [H, W, 3].
    const img = tf.tensor3d(Int32Array.from(rgb), [h, w, 3], "int32");
    // nsfwjs's own path, for its probabilities.
    const t1 = Date.now();
    const inferred = net.infer(img);
    meta.nsfwjs_infer_ms = Date.now() - t1;
    const nsfwjsProbs = await inferred.data();
    inferred.dispose();
    // The same preprocessing, step by step as in NSFWJS.infer, to expose the tensor it feeds the model.
    batch = tf.tidy(() => {
        const normalized = img.toFloat().div(tf.scalar(255));
        const resized = h !== S || w !== S ? tf.image.resizeBilinear(normalized, [S, S], true) : normalized;
        return resized.reshape([1, S, S, 3]);
    });
    img.dispose();
    const nchw = tf.tidy(() => batch.transpose([0, 3, 1, 2]));
    writeRaw(`${args.out}.pixels.f32`, await nchw.data());
    nchw.dispose();
    meta.nsfwjs_probs = Array.from(nsfwjsProbs);
    meta.pixels_shape = [1, 3, S, S];
}
const t2 = Date.now();
const [probsT, featuresT] = both.predict(batch);
const probs = await probsT.data();
const features = await featuresT.data();
meta.predict_ms = Date.now() - t2;
meta.probs_shape = probsT.shape;
meta.features_shape = featuresT.shape;
if (meta.nsfwjs_probs) {
    // The replicated preprocessing must give exactly what nsfwjs.infer gave.
    meta.replicated_vs_infer_max_abs = Math.max(...meta.nsfwjs_probs.map((p, i) => Math.abs(p - probs[i])));
    if (meta.replicated_vs_infer_max_abs !== 0) log(`warning: replicated pipeline differs from nsfwjs.infer by ${meta.replicated_vs_infer_max_abs}`);
}
writeRaw(`${args.out}.probs.f32`, probs);
writeRaw(`${args.out}.features.f32`, features);
fs.writeFileSync(`${args.out}.json`, JSON.stringify(meta, null, 1));
log(`batch ${probsT.shape[0]}: predict ${meta.predict_ms} ms`);
tf.dispose([probsT, featuresT, batch]);
