"""ONNX Runtime (npm onnxruntime-node, through ort_run.mjs) as the tests' reference."""
import json
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def onnx_runtime(path, inputs):
    """ONNX Runtime's outputs for {name: numpy array}."""
    out_dir = path + ".ort"
    os.makedirs(out_dir, exist_ok=True)
    described = []
    for i, (name, array) in enumerate(inputs.items()):
        file = os.path.join(out_dir, f"in{i}.bin")
        array.tofile(file)
        described.append({"name": name, "dims": list(array.shape), "file": file,
                          "type": "int64" if array.dtype == np.int64 else "float32"})
    request = os.path.join(out_dir, "request.json")
    with open(request, "w") as f:
        json.dump({"model": path, "inputs": described, "outputs_dir": out_dir}, f)
    subprocess.run(["node", os.path.join(HERE, "ort_run.mjs"), request], check=True)
    with open(os.path.join(out_dir, "outputs.json")) as f:
        outputs = json.load(f)
    return [np.fromfile(os.path.join(out_dir, f"{i}.bin"), dtype=np.float32).reshape(o["dims"])
            for i, o in enumerate(outputs)]
