#!/usr/bin/python3
"""tools/import/onnx_graph.py against ONNX Runtime (npm onnxruntime-node) on graphs made both
ways the issue names: torch.onnx.export of small ViT, ConvNeXt-like and Swin-like structures
(NCHW, opsets 13 and 17), and graphs written with onnx.helper in tf2onnx's NHWC style
(Transposes around convolutions, auto_pad SAME, BatchNormalization, MaxPool, Gemm). Each graph is
converted, traced at batch 2 and run at batches 1 and 3 on seeded random inputs; every output
must be within 1e-4 of ONNX Runtime's.

Usage: test_onnx_graph.py WORK_DIR   (needs node and tools/import/tests/node_modules: npm ci)
"""
import json
import os
import subprocess
import sys
import unittest

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "export", "tests"))

from onnx_graph import OnnxGraph, UnsupportedOnnx  # noqa: E402
from ort_reference import onnx_runtime  # noqa: E402
from tiny_models import TinyTagger, VisionTransformer  # noqa: E402

WORK = sys.argv.pop(1) if len(sys.argv) > 1 else "/tmp/acg2vec-onnx-test"
TOLERANCE = 1e-4


class ConvNeXtLike(nn.Module):
    """ConvNeXt's block: depthwise 7x7, LayerNorm over channels (channels last), MLP with GELU,
    layer scale, residual; a stride-2 downsampling conv between two stages; mean pool, head."""

    def __init__(self, width=16, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 4, stride=4)
        self.blocks = nn.ModuleList([self._block(width), self._block(2 * width)])
        self.down = nn.Conv2d(width, 2 * width, 2, stride=2)
        self.norm = nn.LayerNorm(2 * width)
        self.head = nn.Linear(2 * width, classes)

    @staticmethod
    def _block(c):
        return nn.ModuleDict({"dw": nn.Conv2d(c, c, 7, padding=3, groups=c), "ln": nn.LayerNorm(c),
                              "fc1": nn.Linear(c, 4 * c), "fc2": nn.Linear(4 * c, c)})

    def _run(self, b, x):
        y = b["dw"](x).permute(0, 2, 3, 1)
        y = b["fc2"](torch.nn.functional.gelu(b["fc1"](b["ln"](y))))
        return x + 0.5 * y.permute(0, 3, 1, 2)

    def forward(self, x):
        x = self._run(self.blocks[0], self.stem(x))
        x = self._run(self.blocks[1], self.down(x))
        return torch.sigmoid(self.head(self.norm(x.mean(dim=(2, 3)))))


class SwinLike(nn.Module):
    """Swin's moves: a cyclic shift (torch.roll), window partition and reverse by reshape and
    permute, attention inside windows with a relative position bias gathered from a table."""

    def __init__(self, width=16, window=4, heads=2, classes=10):
        super().__init__()
        self.window, self.heads = window, heads
        self.embed = nn.Conv2d(3, width, 4, stride=4)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.table = nn.Parameter(torch.randn((2 * window - 1) ** 2, heads))
        coords = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window), indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + window - 1
        self.register_buffer("index", rel[..., 0] * (2 * window - 1) + rel[..., 1])
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        x = self.embed(x).permute(0, 2, 3, 1)  # N H W C
        n, h, w, c = x.shape
        s, k = self.window, self.heads
        x = torch.roll(x, shifts=(-(s // 2), -(s // 2)), dims=(1, 2))
        win = x.reshape(n, h // s, s, w // s, s, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, s * s, c)
        q, kk, v = self.qkv(win).reshape(-1, s * s, 3, k, c // k).permute(2, 0, 3, 1, 4)
        bias = self.table[self.index.reshape(-1)].reshape(s * s, s * s, k).permute(2, 0, 1)
        att = ((q @ kk.transpose(-2, -1)) * (c // k) ** -0.5 + bias).softmax(-1)
        y = self.proj((att @ v).transpose(1, 2).reshape(-1, s * s, c))
        y = y.reshape(n, h // s, w // s, s, s, c).permute(0, 1, 3, 2, 4, 5).reshape(n, h, w, c)
        y = torch.roll(y, shifts=(s // 2, s // 2), dims=(1, 2))
        return self.head(y.mean(dim=(1, 2)))


def tf2onnx_style_graph(size=32, width=8, classes=6, seed=0, opset=13):
    """An NHWC Keras-like classifier as tf2onnx writes it: input [N,H,W,3], Transpose to NCHW
    before each convolution block and back after, SAME padding, BatchNormalization, Relu,
    MaxPool, a Reshape with a -1 batch, MatMul + Add, Sigmoid. From opset 18 the reduction's
    axes are an input."""
    rng = np.random.default_rng(seed)

    def init(name, *shape, scale=0.3):
        return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)

    nodes = [
        helper.make_node("Transpose", ["input_1:0"], ["t0"], perm=[0, 3, 1, 2], name="transpose_in"),
        helper.make_node("Conv", ["t0", "w1", "b1"], ["c1"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER",
                         name="conv1"),
        helper.make_node("BatchNormalization", ["c1", "g1", "be1", "m1", "v1"], ["bn1"], epsilon=1e-3, name="bn1"),
        helper.make_node("Relu", ["bn1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER",
                         name="pool1"),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], kernel_shape=[3, 3], group=width, auto_pad="SAME_UPPER",
                         name="depthwise"),
        helper.make_node("Transpose", ["c2"], ["t1"], perm=[0, 2, 3, 1], name="transpose_out"),
        helper.make_node("ReduceMean", ["t1", "gap_axes"], ["gap"], keepdims=0, name="global_average")
        if opset >= 18 else
        helper.make_node("ReduceMean", ["t1"], ["gap"], axes=[1, 2], keepdims=0, name="global_average"),
        helper.make_node("Reshape", ["gap", "shape"], ["flat"], name="flatten"),
        helper.make_node("MatMul", ["flat", "wd"], ["mm"], name="dense/MatMul"),
        helper.make_node("Add", ["mm", "bd"], ["logits"], name="dense/BiasAdd"),
        helper.make_node("Sigmoid", ["logits"], ["predictions_sigmoid"], name="sigmoid"),
    ]
    inits = [init("w1", width, 3, 3, 3), init("b1", width), init("g1", width), init("be1", width),
             init("m1", width), numpy_helper.from_array(rng.uniform(0.5, 1.5, width).astype(np.float32), "v1"),
             init("w2", width, 1, 3, 3), numpy_helper.from_array(np.array([-1, width], np.int64), "shape"),
             init("wd", width, classes), init("bd", classes)]
    if opset >= 18:
        inits.append(numpy_helper.from_array(np.array([1, 2], np.int64), "gap_axes"))
    graph = helper.make_graph(nodes, "tf2onnx_like",
                              [helper.make_tensor_value_info("input_1:0", TensorProto.FLOAT, ["N", size, size, 3])],
                              [helper.make_tensor_value_info("predictions_sigmoid", TensorProto.FLOAT, ["N", classes])],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="tf2onnx")
    if opset <= 17:  # Debian 12's onnx 1.12 checks opsets up to 17; ONNX Runtime checks the rest
        onnx.checker.check_model(model)
    return model


def op_zoo_graph():
    """The converted ops that the exported test models do not contain, each on the same input
    [N,4,6,6], one graph output per op (onnx.helper, opset 14)."""
    rng = np.random.default_rng(3)
    f = lambda name, *shape: numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)  # noqa: E731
    i64 = lambda name, values: numpy_helper.from_array(np.array(values, np.int64), name)  # noqa: E731
    scalar = lambda name, value: numpy_helper.from_array(np.array(value, np.float32), name)  # noqa: E731
    n = helper.make_node
    nodes = [
        n("Pad", ["x", "pads", "zero"], ["pad_constant"], mode="constant"),
        n("Pad", ["x", "pads"], ["pad_reflect"], mode="reflect"),
        n("Pad", ["x", "pads"], ["pad_edge"], mode="edge"),
        n("AveragePool", ["x"], ["avg_excl"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        n("AveragePool", ["x"], ["avg_incl"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1),
        n("AveragePool", ["x"], ["avg_same"], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_UPPER"),
        n("MaxPool", ["x"], ["max_pads"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        n("GlobalAveragePool", ["x"], ["gap"]), n("GlobalMaxPool", ["x"], ["gmp"]),
        n("Clip", ["x", "lo", "hi"], ["clip"]), n("HardSigmoid", ["x"], ["hsig"], alpha=0.3, beta=0.4),
        n("HardSwish", ["x"], ["hswish"]), n("LeakyRelu", ["x"], ["leaky"], alpha=0.1), n("Elu", ["x"], ["elu"]),
        n("Softplus", ["x"], ["softplus"]), n("Exp", ["x"], ["exp"]), n("Abs", ["x"], ["abs"]),
        n("Add", ["abs", "one"], ["abs1"]), n("Log", ["abs1"], ["log"]), n("Neg", ["x"], ["neg"]),
        n("Reciprocal", ["abs1"], ["recip"]), n("Floor", ["x"], ["floor"]), n("Ceil", ["x"], ["ceil"]),
        n("Tanh", ["x"], ["tanh"]), n("Flatten", ["x"], ["flatten2"], axis=2), n("Tile", ["x", "reps"], ["tile"]),
        n("ReduceSum", ["x", "axes13"], ["rsum"], keepdims=1), n("ReduceMax", ["x"], ["rmax"], axes=[2, 3], keepdims=0),
        n("ReduceMin", ["x"], ["rmin"], axes=[-1], keepdims=1),
        n("InstanceNormalization", ["x", "in_scale", "in_bias"], ["inorm"], epsilon=1e-5),
        n("LogSoftmax", ["x"], ["logsoftmax"], axis=1), n("Softmax", ["x"], ["softmax1"], axis=1),
        n("Min", ["x", "y"], ["min"]), n("Max", ["x", "y", "zero"], ["max"]), n("Sum", ["x", "y", "y"], ["sum"]),
        n("GreaterOrEqual", ["x", "y"], ["ge"]), n("LessOrEqual", ["x", "y"], ["le"]),
        n("Greater", ["x", "y"], ["gt"]), n("Less", ["x", "zero"], ["lt"]), n("Not", ["gt"], ["not_gt"]),
        n("And", ["gt", "lt"], ["and"]), n("Or", ["not_gt", "lt"], ["or"]), n("Where", ["or", "x", "y"], ["where"]),
        n("Cast", ["and"], ["cast"], to=TensorProto.FLOAT), n("Sub", ["x", "y"], ["sub"]),
        n("Div", ["x", "abs1"], ["div"]), n("Pow", ["abs1", "y"], ["pow"]), n("Sqrt", ["abs1"], ["sqrt"]),
        n("Squeeze", ["gap", "axes_sq"], ["squeeze"]), n("Unsqueeze", ["squeeze", "axes_unsq"], ["unsqueeze"]),
        n("Split", ["x", "split_sizes"], ["split_a", "split_b"], axis=1),
        n("Gemm", ["squeeze", "gw", "gb"], ["gemm"], transB=1, alpha=0.5, beta=2.0),
        n("Conv", ["x", "cw"], ["conv_dil"], kernel_shape=[3, 3], dilations=[2, 2], pads=[2, 2, 2, 2]),
        n("Slice", ["x", "starts", "ends", "slice_axes", "steps"], ["slice_rev"]),
        n("Identity", ["x"], ["identity"]), n("Dropout", ["x"], ["dropout"]),
    ]
    inits = [i64("pads", [0, 0, 1, 2, 0, 0, 2, 1]), scalar("zero", 0.0), scalar("one", 1.0), scalar("lo", -0.5),
             scalar("hi", 0.7), i64("reps", [1, 2, 1, 1]), i64("axes13", [1]), f("in_scale", 4), f("in_bias", 4),
             f("y", 4, 6, 6), i64("axes_sq", [2, 3]), i64("axes_unsq", [1]), i64("split_sizes", [1, 3]),
             f("gw", 5, 4), f("gb", 5), f("cw", 2, 4, 3, 3), i64("starts", [-1, 4]), i64("ends", [-100, 0]),
             i64("slice_axes", [2, 3]), i64("steps", [-1, -1])]
    booleans = ("ge", "le", "gt", "lt", "not_gt", "and", "or")
    outputs = [o for node in nodes for o in node.output if o not in ("abs", "abs1") + booleans]
    graph = helper.make_graph(nodes, "op_zoo", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4, 6, 6])],
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs]
                              + [helper.make_tensor_value_info(o, TensorProto.BOOL, None) for o in booleans],
                              inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])


def opset18_graph():
    """What opset 18 changed in the supported ops (WD MOAT v2 is stamped opset 18): reduction
    axes as an input, Split by num_outputs, Pad with an axes input."""
    i64 = lambda name, values: numpy_helper.from_array(np.array(values, np.int64), name)  # noqa: E731
    n = helper.make_node
    nodes = [
        n("ReduceMean", ["x", "hw"], ["rmean"], keepdims=1), n("ReduceMax", ["x", "hw"], ["rmax"], keepdims=0),
        n("ReduceMin", ["x", "last"], ["rmin"]), n("ReduceSum", ["x", "channel"], ["rsum"], keepdims=0),
        n("ReduceMean", ["x"], ["rmean_all"], keepdims=0),
        n("Split", ["x"], ["split_a", "split_b", "split_c"], axis=2, num_outputs=3),
        n("Pad", ["x", "pads_hw", "", "hw"], ["pad_hw"], mode="constant"),
        n("Pad", ["x", "pads_last", "", "last"], ["pad_last"], mode="edge"),
        n("Sub", ["x", "rmean"], ["centred"]),  # layer norm written out, as tf2onnx does it
        n("Mul", ["centred", "centred"], ["sq"]), n("ReduceMean", ["sq", "channel"], ["var"], keepdims=1),
    ]
    inits = [i64("hw", [2, 3]), i64("last", [-1]), i64("channel", [1]), i64("pads_hw", [1, 2, 2, 1]),
             i64("pads_last", [3, 1])]
    outputs = [o for node in nodes for o in node.output if o not in ("centred", "sq")]
    graph = helper.make_graph(nodes, "opset18", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4, 6, 6])],
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


class OnnxGraphTest(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)

    def check(self, path, input_shape, name="input"):
        """Convert, trace at batch 2, compare batches 1 and 3 with ONNX Runtime."""
        model = onnx.load(path)
        module = OnnxGraph(model).eval()
        rng = np.random.default_rng(7)
        with torch.no_grad():
            traced = torch.jit.trace(module, torch.from_numpy(
                rng.standard_normal((2, *input_shape)).astype(np.float32)), check_trace=False)
            for batch in (1, 3):
                x = rng.standard_normal((batch, *input_shape)).astype(np.float32)
                ours = traced(torch.from_numpy(x))
                ours = ours if isinstance(ours, tuple) else (ours,)
                theirs = onnx_runtime(path, {module.input_names[0]: x})
                self.assertEqual(len(ours), len(theirs))
                for a, b in zip(ours, theirs):
                    self.assertEqual(tuple(a.shape), b.shape, f"{path} batch {batch}")
                    err = float(np.abs(a.numpy() - b).max())
                    print(f"{os.path.basename(path)} batch {batch}: max |d| {err:.2e}")
                    self.assertLessEqual(err, TOLERANCE, f"{path} batch {batch}")

    def export(self, module, name, input_shape, opset):
        path = os.path.join(WORK, f"{name}.opset{opset}.onnx")
        torch.manual_seed(0)
        x = torch.rand(2, *input_shape)
        torch.onnx.export(module.eval(), x, path, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "n"}, "output": {0: "n"}}, opset_version=opset)
        return path

    def test_torch_exported_vit(self):
        for opset in (13, 17):
            torch.manual_seed(1)
            self.check(self.export(VisionTransformer(48, 8, 32, 2, 4, 16), "vit", (3, 48, 48), opset), (3, 48, 48))

    def test_torch_exported_vit_tagger(self):
        torch.manual_seed(2)
        self.check(self.export(TinyTagger(image_size=32, patch=8), "vit_tagger", (3, 32, 32), 17), (3, 32, 32))

    def test_torch_exported_convnext_like(self):
        for opset in (13, 17):
            torch.manual_seed(3)
            self.check(self.export(ConvNeXtLike(), "convnext", (3, 32, 32), opset), (3, 32, 32))

    def test_torch_exported_swin_like(self):
        torch.manual_seed(4)
        self.check(self.export(SwinLike(), "swin", (3, 32, 32), 17), (3, 32, 32))

    def test_tf2onnx_style_nhwc_graph(self):
        for opset in (13, 18):
            path = os.path.join(WORK, f"tf2onnx_like.opset{opset}.onnx")
            onnx.save(tf2onnx_style_graph(opset=opset), path)
            self.check(path, (32, 32, 3))

    def test_op_zoo(self):
        path = os.path.join(WORK, "op_zoo.onnx")
        onnx.save(op_zoo_graph(), path)
        self.check(path, (4, 6, 6))

    def test_opset_18(self):
        path = os.path.join(WORK, "opset18.onnx")
        onnx.save(opset18_graph(), path)
        self.check(path, (4, 6, 6))

    def test_unsupported_op_names_op_node_and_opset(self):
        node = helper.make_node("NonMaxSuppression", ["boxes", "scores"], ["selected"], name="nms_1")
        graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, 4, 4]),
                                               helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 1, 4])],
                                  [helper.make_tensor_value_info("selected", TensorProto.INT64, [None, 3])])
        with self.assertRaises(UnsupportedOnnx) as caught:
            OnnxGraph(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]))
        message = str(caught.exception)
        for part in ("NonMaxSuppression", "nms_1", "opset 13"):
            self.assertIn(part, message)


if __name__ == "__main__":
    unittest.main(verbosity=2)
