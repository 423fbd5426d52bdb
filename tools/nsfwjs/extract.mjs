// Extracts the pretrained nsfwjs models (TF.js layers format, bundled as UMD modules) into
// files that Python can read with numpy alone. Does not load TensorFlow.js.
//
//   node extract.mjs --nsfwjs DIR/node_modules/nsfwjs --out OUTDIR [--model mobilenet_v2] [--model inception_v3]
//
// For each model writes OUTDIR/<model>/:
//   topology.json  the Keras model topology from model.json (keras_version, model_config, ...)
//   weights.bin    every weight as little-endian float32, dequantised exactly as TF.js does
//   weights.json   {"source": {...}, "weights": [{"name", "shape", "dtype": "float32", "offset", "length"}]}
//                  offset/length in bytes into weights.bin, in manifest order
//   classes.json   the class names by output index, from nsfwjs's own dist/cjs/nsfw_classes.js
// With --layers-model also OUTDIR/<model>/layers-model/: the bundle as the TF.js layers model
// it was made from (model.json and its binary shards, still quantised), for the tests of
// tools/import, which reads such folders.
//
// The bundles are browserify UMD modules: model.min.js exports the model.json object (a JS
// object literal, not JSON), each group1-shardKofN.min.js exports one base64 string. They are
// evaluated in an empty vm context (no require, no globals), which is all a UMD module needs.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import crypto from "node:crypto";

const MODELS = ["mobilenet_v2", "inception_v3"];

function parseArgs(argv) {
    const args = { nsfwjs: null, out: null, models: [], layersModel: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
            return argv[++i];
        };
        if (a === "--nsfwjs") args.nsfwjs = value();
        else if (a === "--out") args.out = value();
        else if (a === "--model") args.models.push(value());
        else if (a === "--layers-model") args.layersModel = true;
        else if (a === "-h" || a === "--help") {
            console.log("usage: node extract.mjs --nsfwjs DIR --out OUTDIR [--model NAME]... [--layers-model]  (NAME: " +
                MODELS.join(", ") + ")");
            process.exit(0);
        } else throw new Error(`unknown argument ${a}`);
    }
    if (!args.nsfwjs || !args.out) throw new Error("--nsfwjs and --out are required (see --help)");
    if (args.models.length === 0) args.models = MODELS;
    return args;
}

// Evaluates a UMD bundle in an empty context and returns what it assigns to module.exports.
function loadUmd(file) {
    const source = fs.readFileSync(file, "utf8");
    const module = { exports: {} };
    const context = vm.createContext({ module, exports: module.exports });
    vm.runInContext(source, context, { filename: file, timeout: 60000 });
    const value = module.exports && module.exports.__esModule ? module.exports.default : module.exports;
    return value;
}

// dist/cjs/nsfw_classes.js: exports.NSFW_CLASSES = {0: 'Drawing', ...} -> ["Drawing", ...]
function loadClasses(nsfwjsDir) {
    const file = path.join(nsfwjsDir, "dist", "cjs", "nsfw_classes.js");
    const exports = {};
    vm.runInContext(fs.readFileSync(file, "utf8"), vm.createContext({ exports, module: { exports } }), { filename: file });
    const table = exports.NSFW_CLASSES;
    if (!table) throw new Error(`${file}: no NSFW_CLASSES export`);
    const n = Object.keys(table).length;
    const names = [];
    for (let i = 0; i < n; i++) {
        if (typeof table[i] !== "string") throw new Error(`${file}: NSFW_CLASSES[${i}] missing`);
        names.push(table[i]);
    }
    return names;
}

function sha256(buf) {
    return crypto.createHash("sha256").update(buf).digest("hex");
}

const VALUE_SIZE = { uint8: 1, uint16: 2, float16: 2, float32: 4, int32: 4 };

// Mirrors @tensorflow/tfjs-core io_utils decodeWeight() for the cases these models use.
function decodeWeight(spec, bytes, offset) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== "float32") throw new Error(`${spec.name}: dtype ${spec.dtype} is not supported`);
    const q = spec.quantization;
    const out = new Float32Array(size);
    if (!q) {
        const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size * 4);
        for (let i = 0; i < size; i++) out[i] = view.getFloat32(i * 4, true);
        return { values: out, consumed: size * 4 };
    }
    if (q.dtype === "uint8" || q.dtype === "uint16") {
        const n = VALUE_SIZE[q.dtype];
        const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size * n);
        for (let i = 0; i < size; i++) {
            const v = n === 1 ? view.getUint8(i) : view.getUint16(i * 2, true);
            out[i] = v * q.scale + q.min; // the same double expression as TF.js, rounded to float32 on store
        }
        return { values: out, consumed: size * n };
    }
    throw new Error(`${spec.name}: quantization ${q.dtype} is not supported`);
}

function extractModel(nsfwjsDir, model, outRoot, layersModel) {
    const pkg = JSON.parse(fs.readFileSync(path.join(nsfwjsDir, "package.json"), "utf8"));
    const modelDir = path.join(nsfwjsDir, "dist", "models", model);
    const modelFile = path.join(modelDir, "model.min.js");
    const modelJson = loadUmd(modelFile);
    if (!modelJson || !modelJson.modelTopology || !modelJson.weightsManifest) {
        throw new Error(`${modelFile}: no modelTopology/weightsManifest in its export`);
    }
    const sources = [{ file: path.relative(nsfwjsDir, modelFile), sha256: sha256(fs.readFileSync(modelFile)) }];
    const specs = [];
    const shards = [];
    const layersDir = path.join(outRoot, model, "layers-model");
    if (layersModel) fs.mkdirSync(layersDir, { recursive: true });
    for (const group of modelJson.weightsManifest) {
        for (const p of group.paths) {
            const file = path.join(modelDir, `${p}.min.js`);
            const b64 = loadUmd(file);
            if (typeof b64 !== "string") throw new Error(`${file}: export is not a base64 string`);
            shards.push(Buffer.from(b64, "base64"));
            sources.push({ file: path.relative(nsfwjsDir, file), sha256: sha256(fs.readFileSync(file)) });
            if (layersModel) fs.writeFileSync(path.join(layersDir, p), shards[shards.length - 1]);
        }
        specs.push(...group.weights);
    }
    if (layersModel) fs.writeFileSync(path.join(layersDir, "model.json"), JSON.stringify(modelJson));
    // TF.js concatenates all shards and reads the weights one after another across shard borders.
    const bytes = Buffer.concat(shards);
    const outDir = path.join(outRoot, model);
    fs.mkdirSync(outDir, { recursive: true });
    const entries = [];
    const chunks = [];
    let inOffset = 0;
    let outOffset = 0;
    for (const spec of specs) {
        const { values, consumed } = decodeWeight(spec, bytes, inOffset);
        inOffset += consumed;
        const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
        chunks.push(buf);
        entries.push({
            name: spec.name,
            shape: spec.shape,
            dtype: "float32",
            offset: outOffset,
            length: buf.length,
            quantization: spec.quantization ? spec.quantization.dtype : null,
        });
        outOffset += buf.length;
    }
    if (inOffset !== bytes.length) {
        throw new Error(`${model}: weights use ${inOffset} bytes but the shards hold ${bytes.length}`);
    }
    const weightsBin = Buffer.concat(chunks);
    // Little-endian hosts only (Float32Array is host order); every platform node runs on here is LE.
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("big-endian host is not supported");
    fs.writeFileSync(path.join(outDir, "weights.bin"), weightsBin);
    fs.writeFileSync(path.join(outDir, "topology.json"), JSON.stringify(modelJson.modelTopology, null, 1));
    const meta = {
        source: { package: pkg.name, version: pkg.version, license: pkg.license, model, files: sources },
        weights_bin_sha256: sha256(weightsBin),
        weights: entries,
    };
    fs.writeFileSync(path.join(outDir, "weights.json"), JSON.stringify(meta, null, 1));
    fs.writeFileSync(path.join(outDir, "classes.json"), JSON.stringify(loadClasses(nsfwjsDir)));
    const layers = modelJson.modelTopology.model_config.config.layers;
    console.log(`${model}: ${layers.length} layers, ${entries.length} weights, ` +
        `${outOffset / 4} floats (${bytes.length} quantised bytes) -> ${outDir}`);
}

const args = parseArgs(process.argv.slice(2));
for (const m of args.models) {
    if (!MODELS.includes(m)) throw new Error(`unknown model ${m} (known: ${MODELS.join(", ")})`);
    extractModel(args.nsfwjs, m, args.out, args.layersModel);
}
