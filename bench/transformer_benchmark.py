#!/usr/bin/python3
"""Transformer models at full size: acg2vec against the Python pipeline a user writes today, in
one run, same model file, same BLAS (OPENBLAS_CORETYPE as acg2vec picks it) and threads.

For each model of bench/transformer_models.py (random weights, published sizes), image towers
on the shared sample images and text towers on Danbooru-tag texts of mixed lengths:
  - end to end: files -> vectors or tags (acg2vec: its batch engine; Python: Pillow, a batch at a
    time) and texts -> vectors (acg2vec: its tokenizers; Python: ids given, tokenizers untimed);
  - model only: the image method on a ready tensor;
  - Python both through torch.jit.load of the file and through the eager module;
  - GFLOPS achieved (analytic FLOPs / time) and their share of the measured sgemm peak;
  - the median latency of one text (what a search box waits for).
The three run in turns, --rounds times, and each keeps its best: a slow spell of this shared
machine then costs every side alike. Prints a table and writes transformer_benchmark.json into
the output folder.

With --precision bf16 it instead compares acg2vec in bf16 with acg2vec in fp32 on the same
inputs: speed, and the cosine of every output to the fp32 one (tag probabilities: also the
largest difference). --precision int8 does the same for the model's int8 file (tools/export
--quantize dynamic_int8, same weights) run in fp32.

Usage: /usr/bin/python3 bench/transformer_benchmark.py BUILD_DIR SHARED_DATA
           [--models NAME...] [--images 16] [--texts 64] [--batch 8] [--threads 2] [--repeats 2] [--rounds 2]
           [--precision bf16|int8]
(BUILD_DIR holds bench/transformer_acg2vec and src/acg2vec; models are made once into
BUILD_DIR/bench-models/transformers.)
"""
import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import transformer_models  # noqa: E402


def run_json(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def texts_of(data, count):
    """Danbooru-style prompts of 2 to 40 tags from the WD v3 table: mixed lengths."""
    with open(os.path.join(data, "tags", "wd_v3_selected_tags.csv"), newline="") as f:
        names = [row["name"].replace("_", " ") for row in csv.DictReader(f) if row["category"] == "0"]
    rng = random.Random(7)
    return [", ".join(rng.sample(names, rng.randint(2, 40))) for _ in range(count)]


def keep_best(best, again):
    """best updated with any part `again` ran faster."""
    for key, value in again.items():
        if isinstance(value, dict) and "seconds" in value and value["seconds"] < best[key]["seconds"]:
            best[key] = value
        elif key == "text_latency_median_seconds":
            best[key] = min(best[key], value)


def rate(part, flops):
    if not part:
        return None
    items_per_second = part["items"] / part["seconds"]
    return {"per_second": items_per_second, "gflops": items_per_second * flops / 1e9 if flops else None}


def cosines(a_rows, b_rows):
    out = []
    for a, b in zip(a_rows, b_rows):
        dot = sum(x * y for x, y in zip(a, b))
        norm = (sum(x * x for x in a) * sum(y * y for y in b)) ** 0.5
        out.append(dot / norm if norm else 1.0)
    return out


def compare_precision(args, build, models, images, texts_path, out_dir):
    """acg2vec in args.precision against acg2vec in fp32: speed and output change, in turns."""
    lines = [f"{args.precision} against fp32, acg2vec, {args.threads} threads, batch {args.batch}, best of "
             f"{args.rounds} rounds",
             "model            measure              fp32/s  " + f"{args.precision}/s  speed-up  min cosine  mean cosine"]
    for name in args.models:
        spec = models[name]
        has_image, has_text = spec["image_flops"] is not None, spec["text_flops"] is not None
        print(f"== {name} ({args.precision})", file=sys.stderr, flush=True)
        runs, outputs = {}, {}
        for _ in range(args.rounds):
            for precision in ("fp32", args.precision):
                path = os.path.join(out_dir, f"{name}.{precision}.outputs.json")
                int8 = precision == "int8"  # a file of its own, run in fp32
                result = run_json([os.path.join(build, "bench", "transformer_acg2vec"),
                                   spec["int8_file"] if int8 else spec["file"],
                                   images if has_image else "-", texts_path if has_text else "-", str(args.batch),
                                   str(args.threads), str(args.repeats), "fp32" if int8 else precision, path])
                if precision in runs:
                    keep_best(runs[precision], result)
                else:
                    runs[precision] = result
                with open(path) as f:
                    outputs[precision] = json.load(f)
        for part, key in (("image_end_to_end", "images"), ("image_model_only", "images"), ("text_end_to_end", "texts")):
            if part not in runs["fp32"]:
                continue
            a, b = (runs[p][part]["items"] / runs[p][part]["seconds"] for p in ("fp32", args.precision))
            c = cosines(outputs["fp32"][key], outputs[args.precision][key])
            extra = ""
            if spec["kind"] == "tagger" and key == "images":
                extra = "  max |dp| %.4f" % max(abs(x - y) for r, s in zip(outputs["fp32"][key],
                                                                          outputs[args.precision][key])
                                               for x, y in zip(r, s))
            lines.append(f"{name:16} {part:18} {a:7.2f} {b:8.2f} {b / a:8.2f}x {min(c):11.5f} {sum(c) / len(c):12.5f}"
                         + extra)
    print("\n".join(lines))
    with open(os.path.join(out_dir, f"precision_{args.precision}.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("data")
    ap.add_argument("--models", nargs="*", default=list(transformer_models.MODELS))
    ap.add_argument("--images", type=int, default=16)
    ap.add_argument("--texts", type=int, default=64)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--precision", choices=("bf16", "int8"),
                    help="compare acg2vec in bf16, or the int8 file of each model, with fp32")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    out_dir = os.path.join(build, "bench-models", "transformers")
    subprocess.run([sys.executable, os.path.join(HERE, "transformer_models.py"), out_dir, args.data], check=True)
    with open(os.path.join(out_dir, "models.json")) as f:
        models = json.load(f)

    images = os.path.join(out_dir, "images")
    shutil.rmtree(images, ignore_errors=True)
    os.makedirs(images)
    samples = sorted(os.listdir(os.path.join(args.data, "images")))[: args.images]
    for name in samples:
        shutil.copy(os.path.join(args.data, "images", name), images)
    texts = texts_of(args.data, args.texts)
    texts_path = os.path.join(out_dir, "texts.txt")
    with open(texts_path, "w") as f:
        f.write("\n".join(texts) + "\n")

    if args.precision:
        compare_precision(args, build, models, images, texts_path, out_dir)
        return
    results = {}
    for name in args.models:
        spec = models[name]
        has_image, has_text = spec["image_flops"] is not None, spec["text_flops"] is not None
        print(f"== {name}", file=sys.stderr, flush=True)
        def ours_run():
            return run_json([os.path.join(build, "bench", "transformer_acg2vec"), spec["file"],
                             images if has_image else "-", texts_path if has_text else "-",
                             str(args.batch), str(args.threads), str(args.repeats)])
        ours = ours_run()
        env = dict(os.environ)
        if ours.get("blas_core"):
            env["OPENBLAS_CORETYPE"] = ours["blas_core"]  # the kernels acg2vec runs on
        tokens = "-"
        text_flops = spec["text_flops"]
        if has_text:
            tokens = os.path.join(out_dir, name + ".tokens.json")
            ids = [run_json([os.path.join(build, "src", "acg2vec"), "tokenize", "-m", spec["file"], t, "--json"],
                            env)["ids"] for t in texts]
            if spec["kind"] == "sentence":
                text_flops = transformer_models.sentence_text_flops(name, [len(row) for row in ids])
            with open(tokens, "w") as f:
                json.dump(ids, f)

        def peer_run(mode):
            return run_json([sys.executable, os.path.join(HERE, "transformer_peer.py"), spec["file"], name, mode,
                             images if has_image else "-", tokens, str(args.batch), str(args.threads),
                             str(args.repeats)], env)
        sides = {"acg2vec": ours, "jit": peer_run("jit"), "eager": peer_run("eager")}
        for _ in range(args.rounds - 1):
            for side, again in (("acg2vec", ours_run()), ("jit", peer_run("jit")), ("eager", peer_run("eager"))):
                keep_best(sides[side], again)
        results[name] = {**sides, "image_flops": spec["image_flops"], "text_flops": text_flops}

    peak = max(r["acg2vec"]["sgemm_gflops"] for r in results.values())
    lines = [f"machine: {os.cpu_count()} cores, {args.threads} threads, batch {args.batch}, best of {args.rounds} "
             f"rounds x {args.repeats} repeats, "
             f"BLAS {next(iter(results.values()))['acg2vec']['blas']} "
             f"({next(iter(results.values()))['acg2vec']['blas_core']}), sgemm peak {peak:.0f} GFLOPS",
             "model            measure              acg2vec/s  GFLOPS  %peak   jit/s  eager/s  vs jit  vs eager"]
    for name, r in results.items():
        for part, flops_key in (("image_end_to_end", "image_flops"), ("image_model_only", "image_flops"),
                                ("text_end_to_end", "text_flops")):
            if part not in r["acg2vec"]:
                continue
            ours = rate(r["acg2vec"][part], r[flops_key])
            jit, eager = rate(r["jit"].get(part), r[flops_key]), rate(r["eager"].get(part), r[flops_key])
            lines.append(f"{name:16} {part:18} {ours['per_second']:9.2f} {ours['gflops']:7.1f} "
                         f"{100 * ours['gflops'] / peak:5.1f}% {jit['per_second']:7.2f} {eager['per_second']:8.2f} "
                         f"{ours['per_second'] / jit['per_second']:6.2f}x {ours['per_second'] / eager['per_second']:8.2f}x")
        if "text_latency_median_seconds" in r["acg2vec"]:
            lines.append(f"{name:16} {'one text latency':18} {1000 * r['acg2vec']['text_latency_median_seconds']:7.1f} ms"
                         f"                 jit {1000 * r['jit']['text_latency_median_seconds']:.1f} ms, eager "
                         f"{1000 * r['eager']['text_latency_median_seconds']:.1f} ms")
    print("\n".join(lines))
    with open(os.path.join(out_dir, "transformer_benchmark.json"), "w") as f:
        json.dump({"results": results, "table": lines}, f, indent=1)


if __name__ == "__main__":
    main()
