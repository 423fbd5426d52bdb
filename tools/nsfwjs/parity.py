#!/usr/bin/python3
"""Checks a converted nsfwjs TorchScript model against the original TF.js model (parity.mjs).

  /usr/bin/python3 parity.py --cache DIR [--model mobilenet_v2] [--model inception_v3] [options]

Inputs (choose any; default: --count 4 seeded synthetic inputs per model):
  --count N --seed S         N synthetic NCHW inputs in [0, 1] (noise, smooth, blocky, flat+noise, ...)
  --pixels FILE --shape N,3,S,S
                             a model input tensor: raw little-endian float32 NCHW in [0, 1]
                             (or FILE.npy, shape taken from the file), e.g. one written by the
                             acg2vec C++ preprocessing. Both models get exactly this tensor.
  --rgb FILE --rgb-shape H,W,3
                             one decoded image: raw 8-bit RGB rows (H x W x 3, no alpha).
                             nsfwjs's own pipeline (div 255 + TF bilinear align-corners resize)
                             runs in TF.js; the TorchScript model gets the tensor that pipeline
                             made. With --pixels too, that tensor (the C++ preprocessing of the
                             same image) is compared with nsfwjs's and also run through TorchScript.
  --image FILE               like --rgb, decoding FILE with Pillow's convert("RGB") (python3-pil)

Passes when max |probs delta| <= 1e-4 and max |features delta| <= 1e-3 for every comparison.
Exit status 0 = pass, 1 = a tolerance exceeded, 2 = usage or setup error.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = {
    "mobilenet_v2": {"file": "nsfwjs-mobilenetv2.pt", "size": 224, "features": 1280},
    "inception_v3": {"file": "nsfwjs-inceptionv3.pt", "size": 299, "features": 2048},
}
PROBS_TOL = 1e-4
FEATURES_TOL = 1e-3


class UsageError(Exception):
    pass


def parse_shape(text, rank):
    try:
        shape = [int(x) for x in text.split(",")]
    except ValueError:
        raise UsageError(f"--shape {text!r}: expected {rank} comma-separated integers")
    if len(shape) != rank or any(d <= 0 for d in shape):
        raise UsageError(f"--shape {text!r}: expected {rank} positive integers")
    return shape


def read_pixels(path, shape_text):
    if path.endswith(".npy"):
        a = np.load(path).astype(np.float32)
    else:
        if not shape_text:
            raise UsageError("--pixels FILE.f32 needs --shape N,3,S,S")
        shape = parse_shape(shape_text, 4)
        a = np.fromfile(path, dtype="<f4")
        if a.size != int(np.prod(shape)):
            raise UsageError(f"{path}: {a.size} floats, --shape {shape} needs {int(np.prod(shape))}")
        a = a.reshape(shape)
    if a.ndim == 3:
        a = a[None]
    if a.ndim != 4 or a.shape[1] != 3:
        raise UsageError(f"{path}: shape {a.shape}, expected N,3,S,S")
    return np.ascontiguousarray(a, dtype=np.float32)


def synthetic_inputs(count, size, seed):
    """Seeded NCHW inputs in [0, 1] with different statistics, so the classes vary."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        kind = i % 4
        if kind == 0:  # uniform noise
            x = rng.random((3, size, size))
        elif kind == 1:  # smooth: 6x6 random colours, bilinear upsampled
            x = F.interpolate(torch.from_numpy(rng.random((1, 3, 6, 6))), size=(size, size), mode="bilinear",
                              align_corners=True)[0].numpy()
        elif kind == 2:  # blocky: 12x12 random colours, nearest upsampled
            x = F.interpolate(torch.from_numpy(rng.random((1, 3, 12, 12))), size=(size, size), mode="nearest")[0].numpy()
        else:  # a flat colour with mild noise
            x = np.clip(rng.random((3, 1, 1)) + 0.1 * rng.standard_normal((3, size, size)), 0.0, 1.0)
        out.append(x)
    return np.ascontiguousarray(np.stack(out), dtype=np.float32)


def run_node(args, model, out_prefix, pixels=None, rgb=None):
    cmd = [args.node, os.path.join(HERE, "parity.mjs"), "--node-modules", args.node_modules, "--model", model,
           "--out", out_prefix]
    if pixels is not None:
        path = out_prefix + ".in.f32"
        pixels.astype("<f4").tofile(path)
        cmd += ["--pixels", path, "--shape", ",".join(map(str, pixels.shape))]
    else:
        path = out_prefix + ".in.u8"
        rgb.astype(np.uint8).tofile(path)
        cmd += ["--rgb", path, "--shape", ",".join(map(str, rgb.shape))]
    t0 = time.time()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"parity.mjs failed ({r.returncode}):\n{r.stderr[-4000:]}")
    meta = json.load(open(out_prefix + ".json"))
    meta["node_wall_s"] = time.time() - t0
    n = meta["probs_shape"][0]
    probs = np.fromfile(out_prefix + ".probs.f32", dtype="<f4").reshape(meta["probs_shape"])
    feats = np.fromfile(out_prefix + ".features.f32", dtype="<f4").reshape(meta["features_shape"])
    result = {"meta": meta, "probs": probs, "features": feats, "n": n}
    if rgb is not None:
        result["pixels"] = np.fromfile(out_prefix + ".pixels.f32", dtype="<f4").reshape(meta["pixels_shape"])
    return result


def run_torch(module, pixels):
    with torch.no_grad():
        out = module(torch.from_numpy(pixels))
    return out["probs"].numpy(), out["features"].numpy()


def compare(label, model, tf_probs, tf_feats, pt_probs, pt_feats, rows):
    dp = float(np.abs(tf_probs - pt_probs).max())
    df = float(np.abs(tf_feats - pt_feats).max())
    agree = bool((tf_probs.argmax(1) == pt_probs.argmax(1)).all())
    ok = dp <= PROBS_TOL and df <= FEATURES_TOL
    rows.append({"model": model, "input": label, "n": int(tf_probs.shape[0]), "probs_max_abs": dp,
                 "features_max_abs": df, "features_max": float(np.abs(tf_feats).max()), "argmax_agree": agree,
                 "pass": ok})
    return ok


def time_torch(module, size, repeats=5):
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        module(x)
        t0 = time.perf_counter()
        for _ in range(repeats):
            module(x)
    return (time.perf_counter() - t0) / repeats


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", help="prepare.sh's cache dir (models in CACHE/models, node_modules in CACHE/npm)")
    ap.add_argument("--models-dir", help="where nsfwjs-*.pt are (default CACHE/models)")
    ap.add_argument("--node-modules", help="node_modules with nsfwjs and @tensorflow/tfjs (default CACHE/npm/node_modules)")
    ap.add_argument("--node", default=os.environ.get("NODE", "node"))
    ap.add_argument("--model", action="append", choices=sorted(MODELS))
    ap.add_argument("--count", type=int, default=None, help="synthetic inputs per model (default 4 when no other input)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pixels")
    ap.add_argument("--rgb")
    ap.add_argument("--image")
    ap.add_argument("--shape", help="N,3,S,S for --pixels FILE.f32")
    ap.add_argument("--rgb-shape", help="H,W,3 for --rgb")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--keep", help="keep the exchanged files in this directory")
    ap.add_argument("--time", action="store_true", help="also time the TorchScript model (batch 1)")
    args = ap.parse_args(argv)

    if not args.models_dir and not args.cache:
        raise UsageError("need --cache or --models-dir/--node-modules")
    args.models_dir = args.models_dir or os.path.join(args.cache, "models")
    args.node_modules = args.node_modules or os.path.join(args.cache, "npm", "node_modules")
    if args.rgb and args.image:
        raise UsageError("--rgb and --image exclude each other")
    rgb = None
    if args.image:
        from PIL import Image  # python3-pil
        rgb = np.asarray(Image.open(args.image).convert("RGB"), dtype=np.uint8)
    elif args.rgb:
        if not args.rgb_shape:
            raise UsageError("--rgb needs --rgb-shape H,W,3")
        hwc = parse_shape(args.rgb_shape, 3)
        if hwc[2] != 3:
            raise UsageError("--rgb-shape must end in 3")
        rgb = np.fromfile(args.rgb, dtype=np.uint8)
        if rgb.size != int(np.prod(hwc)):
            raise UsageError(f"{args.rgb}: {rgb.size} bytes, --rgb-shape {hwc} needs {int(np.prod(hwc))}")
        rgb = rgb.reshape(hwc)
    pixels = read_pixels(args.pixels, args.shape) if args.pixels else None
    count = args.count if args.count is not None else (0 if (pixels is not None or rgb is not None) else 4)

    models = args.model or list(MODELS)
    rows = []
    timings = {}
    workdir = args.keep or tempfile.mkdtemp(prefix="nsfwjs-parity-")
    os.makedirs(workdir, exist_ok=True)
    all_ok = True
    for model in models:
        spec = MODELS[model]
        path = os.path.join(args.models_dir, spec["file"])
        if not os.path.exists(path):
            raise UsageError(f"{path} does not exist (run prepare.sh)")
        module = torch.jit.load(path).eval()
        S = spec["size"]
        if count:
            x = synthetic_inputs(count, S, args.seed)
            tf = run_node(args, model, os.path.join(workdir, f"{model}.synthetic"), pixels=x)
            timings[f"{model} tfjs predict ms/image"] = tf["meta"]["predict_ms"] / count
            p, f = run_torch(module, x)
            all_ok &= compare(f"synthetic seed {args.seed}", model, tf["probs"], tf["features"], p, f, rows)
        if rgb is not None:
            tf = run_node(args, model, os.path.join(workdir, f"{model}.rgb"), rgb=rgb)
            p, f = run_torch(module, tf["pixels"])
            nsfwjs_probs = np.asarray(tf["meta"]["nsfwjs_probs"], dtype=np.float32)[None]
            all_ok &= compare(f"rgb {rgb.shape[1]}x{rgb.shape[0]} via nsfwjs preprocessing", model, nsfwjs_probs,
                              tf["features"], p, f, rows)
            if pixels is not None:
                if pixels.shape != (1, 3, S, S):
                    raise UsageError(f"--pixels shape {pixels.shape} is not 1,3,{S},{S} for {model}")
                dpx = float(np.abs(pixels - tf["pixels"]).max())
                p2, f2 = run_torch(module, pixels)
                ok = compare("rgb via --pixels (e.g. acg2vec preprocessing)", model, nsfwjs_probs, tf["features"],
                             p2, f2, rows)
                rows[-1]["pixels_max_abs_vs_nsfwjs"] = dpx
                all_ok &= ok
        elif pixels is not None:
            if pixels.shape[2:] != (S, S):
                print(f"skipping --pixels for {model}: its input is {S}x{S}, the tensor is {pixels.shape}", file=sys.stderr)
            else:
                tf = run_node(args, model, os.path.join(workdir, f"{model}.pixels"), pixels=pixels)
                p, f = run_torch(module, pixels)
                all_ok &= compare(f"--pixels {os.path.basename(args.pixels)}", model, tf["probs"], tf["features"], p, f,
                                  rows)
        if args.time:
            timings[f"{model} torchscript s/image (batch 1, {torch.get_num_threads()} thread(s), as saved)"] = \
                time_torch(module, S)
            frozen = torch.jit.optimize_for_inference(torch.jit.freeze(module))
            timings[f"{model} torchscript s/image (batch 1, frozen + optimize_for_inference)"] = time_torch(frozen, S)

    print(f"{'model':<13} {'input':<48} {'n':>2} {'max|dprobs|':>12} {'max|dfeat|':>11} {'max|feat|':>9} argmax  result")
    for r in rows:
        extra = f"  (pixels max|d| {r['pixels_max_abs_vs_nsfwjs']:.3g})" if "pixels_max_abs_vs_nsfwjs" in r else ""
        print(f"{r['model']:<13} {r['input']:<48} {r['n']:>2} {r['probs_max_abs']:>12.3g} {r['features_max_abs']:>11.3g} "
              f"{r['features_max']:>9.3g} {'same' if r['argmax_agree'] else 'DIFF':>6}  {'pass' if r['pass'] else 'FAIL'}{extra}")
    for k, v in timings.items():
        print(f"{k}: {v:.4f}")
    print(f"tolerances: probs {PROBS_TOL}, features {FEATURES_TOL}: {'PASS' if all_ok else 'FAIL'}")
    if args.json:
        json.dump({"rows": rows, "timings": timings, "pass": all_ok, "probs_tol": PROBS_TOL,
                   "features_tol": FEATURES_TOL}, open(args.json, "w"), indent=1)
    return 0 if all_ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except UsageError as e:
        print(f"parity.py: error: {e}", file=sys.stderr)
        sys.exit(2)
