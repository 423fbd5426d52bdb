"""An ONNX graph as a torch module that TorchScript can trace: the first half of importing ONNX
models (the WD14 v2 taggers, deepghs's model zoo) into acg2vec model files.

``OnnxGraph(model_proto)`` keeps the graph's initializers as buffers and runs its nodes in order
with torch operations; ``torch.jit.trace`` then records those operations, so the saved module
holds no ONNX at all. Shape arithmetic (Shape -> Gather -> Concat -> Reshape, as
``torch.onnx.export`` and tf2onnx write it for a dynamic batch) stays tensor arithmetic, so the
trace keeps the batch dimension free.

The op implementations are ours, written from the ONNX operator specification (onnx/docs/
Operators.md) for the opsets 11-18 that the exporters write (a newer opset converts with the
same semantics, untested). An op without one, or an attribute value we do not implement, raises
``UnsupportedOnnx`` naming the op, the node and the opset.
``SUPPORTED_OPS`` lists what converts.

Only torch and onnx (Debian's python3-torch and python3-onnx) are needed.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


class UnsupportedOnnx(ValueError):
    """The graph holds something this importer does not convert; the message says what."""


# ONNX TensorProto element types -> torch dtypes.
_DTYPES = {
    onnx.TensorProto.FLOAT: torch.float32, onnx.TensorProto.DOUBLE: torch.float64,
    onnx.TensorProto.FLOAT16: torch.float16, onnx.TensorProto.INT64: torch.int64,
    onnx.TensorProto.INT32: torch.int32, onnx.TensorProto.INT16: torch.int16, onnx.TensorProto.INT8: torch.int8,
    onnx.TensorProto.UINT8: torch.uint8, onnx.TensorProto.BOOL: torch.bool,
}


class Node:
    """One graph node: what the op implementations see."""

    def __init__(self, proto: onnx.NodeProto, opset: int):
        self.op = proto.op_type
        self.name = proto.name or f"{proto.op_type}->{','.join(proto.output)}"
        self.inputs = list(proto.input)
        self.outputs = list(proto.output)
        self.attrs = {a.name: onnx.helper.get_attribute_value(a) for a in proto.attribute}
        self.opset = opset

    def attr(self, name: str, default: Any = None) -> Any:
        value = self.attrs.get(name, default)
        return value.decode() if isinstance(value, bytes) else value

    def unsupported(self, why: str) -> UnsupportedOnnx:
        return UnsupportedOnnx(f"ONNX op {self.op} (node '{self.name}', opset {self.opset}): {why}")


def _ints(t: Optional[torch.Tensor]) -> Optional[List[int]]:
    """A small constant tensor (axes, pads, starts) as Python ints; None stays None. Were one
    computed from a dynamic size, the trace would fix it: the importer's check at another batch
    size than the trace's catches that."""
    if t is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        return [int(v) for v in t.reshape(-1).tolist()]


def _sizes(t: torch.Tensor) -> List[torch.Tensor]:
    """A shape tensor as a list of 0-d tensors: reshape/expand then take them as ints, and the
    trace records the arithmetic that made them instead of today's values."""
    return list(t.reshape(-1).unbind(0))


def _static(sizes: Sequence[Any]) -> List[int]:
    """Sizes as Python ints, where they are constants of the traced graph (a weight's kernel
    size, the fixed image size): without the tracer's warning about exactly that."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        return [int(v) for v in sizes]


def _axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


# ------------------------------------------------------------------------------------------
# op implementations: f(node, inputs) -> list of outputs (inputs: tensors or None for "")

def _unary(fn: Callable[[torch.Tensor], torch.Tensor]):
    return lambda node, x: [fn(x[0])]


def _binary(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]):
    return lambda node, x: [fn(x[0], x[1])]


def _variadic(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]):
    def run(node, x):
        out = x[0]
        for t in x[1:]:
            out = fn(out, t)
        return [out]
    return run


def _div(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    if a.dtype.is_floating_point or b.dtype.is_floating_point:
        return a / b
    return torch.div(a, b, rounding_mode="trunc")  # ONNX integer division truncates


def _cast(node, x):
    to = node.attr("to")
    if to not in _DTYPES:
        raise node.unsupported(f"cast to element type {to}")
    return [x[0].to(_DTYPES[to])]


def _softmax_like(fn):
    def run(node, x):
        default = -1 if node.opset >= 13 else 1
        axis = node.attr("axis", default)
        if node.opset < 13 and _axis(axis, x[0].dim()) != x[0].dim() - 1:
            # opset < 13 flattens to 2-D around the axis; with the last axis it is the same thing
            raise node.unsupported("softmax over a non-last axis before opset 13")
        return [fn(x[0], dim=axis)]
    return run


def _clip(node, x):
    lo = x[1] if len(x) > 1 and x[1] is not None else node.attr("min")
    hi = x[2] if len(x) > 2 and x[2] is not None else node.attr("max")
    out = x[0]
    if lo is not None:
        out = torch.maximum(out, torch.as_tensor(lo, dtype=out.dtype))
    if hi is not None:
        out = torch.minimum(out, torch.as_tensor(hi, dtype=out.dtype))
    return [out]


def _reshape(node, x):
    data, shape = x[0], x[1]
    if node.attr("allowzero", 0):
        raise node.unsupported("allowzero=1")
    shape = shape.to(torch.int64).reshape(-1)
    # 0 copies the input's dimension at that place
    n = _static([shape.shape[0]])[0]  # the length of the shape: fixed by the graph
    have = torch._shape_as_tensor(data)
    if data.dim() < n:
        have = torch.cat([have, torch.ones(n - data.dim(), dtype=torch.int64)])
    shape = torch.where(shape == 0, have[:n], shape)
    return [data.reshape(_sizes(shape))]


def _transpose(node, x):
    perm = node.attr("perm") or list(range(x[0].dim() - 1, -1, -1))
    return [x[0].permute(*perm)]


def _flatten(node, x):
    axis = _axis(node.attr("axis", 1), x[0].dim())
    if axis == 0:
        return [x[0].reshape(1, -1)]
    return [x[0].flatten(axis).flatten(0, axis - 1) if axis > 1 else x[0].flatten(1)]


def _axes_of(node, x, index: int) -> Optional[List[int]]:
    """axes from the attribute (older opsets) or from input `index` (newer)."""
    if len(x) > index and x[index] is not None:
        return _ints(x[index])
    return node.attr("axes")


def _squeeze(node, x):
    axes = _axes_of(node, x, 1)
    if axes is None:
        return [x[0].squeeze()]
    out = x[0]
    for a in sorted((_axis(a, out.dim()) for a in axes), reverse=True):
        out = out.squeeze(a)
    return [out]


def _unsqueeze(node, x):
    axes = _axes_of(node, x, 1)
    rank = x[0].dim() + len(axes)
    out = x[0]
    for a in sorted(_axis(a, rank) for a in axes):
        out = out.unsqueeze(a)
    return [out]


def _concat(node, x):
    tensors = [t for t in x if t is not None]
    dtype = tensors[0].dtype
    return [torch.cat([t.to(dtype) for t in tensors], dim=node.attr("axis"))]


def _split(node, x):
    axis = node.attr("axis", 0)
    sizes = _ints(x[1]) if len(x) > 1 and x[1] is not None else node.attr("split")
    if sizes is None:
        n = len(node.outputs)
        length = x[0].shape[axis]
        sizes = [math.ceil(length / n)] * (n - 1)
        sizes.append(length - sum(sizes))
    return list(torch.split(x[0], list(sizes), dim=axis))


def _slice(node, x):
    data = x[0]
    if node.opset < 10:
        starts, ends, axes, steps = node.attr("starts"), node.attr("ends"), node.attr("axes"), None
    else:
        starts, ends = _ints(x[1]), _ints(x[2])
        axes = _ints(x[3]) if len(x) > 3 and x[3] is not None else None
        steps = _ints(x[4]) if len(x) > 4 and x[4] is not None else None
    axes = axes or list(range(len(starts)))
    steps = steps or [1] * len(starts)
    index: List[Any] = [slice(None)] * data.dim()
    flips = []
    for start, end, axis, step in zip(starts, ends, axes, steps):
        axis = _axis(axis, data.dim())
        if step > 0:
            # aten::slice clamps and counts negative bounds from the end at run time, as ONNX
            # does: an end of INT64_MAX on a dynamic dimension stays dynamic
            index[axis] = slice(start, end, step)
        else:  # a negative step: reverse, then slice forward (bounds fixed at the traced length)
            if step != -1:
                raise node.unsupported(f"step {step}")
            length = _static([data.shape[axis]])[0]
            first = max(-1, min(start + length if start < 0 else start, length - 1))  # taken first
            stop = max(-1, min(end + length if end < 0 else end, length - 1))  # not taken
            index[axis] = slice(stop + 1, max(stop + 1, first + 1))
            flips.append(axis)
    out = data[tuple(index)]
    return [out.flip(flips) if flips else out]


def _gather(node, x):
    data, indices = x[0], x[1].to(torch.int64)
    axis = _axis(node.attr("axis", 0), data.dim())
    size = data.shape[axis]
    indices = torch.where(indices < 0, indices + size, indices)
    picked = torch.index_select(data, axis, indices.reshape(-1))
    shape = list(data.shape[:axis]) + list(indices.shape) + list(data.shape[axis + 1:])
    return [picked.reshape(shape)]


def _shape(node, x):
    s = torch._shape_as_tensor(x[0])
    start, end = node.attr("start"), node.attr("end")
    if start is not None or end is not None:
        s = s[start or 0: end]
    return [s]


def _constant_of_shape(node, x):
    value = node.attr("value")
    fill = numpy_helper.to_array(value) if value is not None else np.zeros(1, dtype=np.float32)
    t = torch.from_numpy(np.array(fill).reshape(-1)[:1].copy())
    return [t.expand(_sizes(x[0])).contiguous() if _static([x[0].numel()])[0] else t.reshape(())]


def _expand(node, x):
    data = x[0]
    ones = torch.ones(_sizes(x[1]), dtype=data.dtype)  # numpy broadcasting of data against the shape
    return [data & ones if data.dtype == torch.bool else data * ones]


def _tile(node, x):
    return [x[0].repeat(_sizes(x[1]))]


def _pad(node, x):
    mode = node.attr("mode", "constant")
    if node.opset < 11:
        pads, value = node.attr("pads"), node.attr("value", 0.0)
    else:
        pads = _ints(x[1])
        value = float(x[2].reshape(-1)[0]) if len(x) > 2 and x[2] is not None and _static([x[2].numel()])[0] else 0.0
    rank = x[0].dim()
    if len(x) > 3 and x[3] is not None:  # opset 18: pads only for these axes
        axes = [_axis(a, rank) for a in _ints(x[3])]
        full = [0] * (2 * rank)
        for i, a in enumerate(axes):
            full[a], full[a + rank] = pads[i], pads[i + len(axes)]
        pads = full
    # ONNX: [x1_begin, x2_begin, ..., x1_end, ...]; torch: last dimension first, (begin, end)
    torch_pads: List[int] = []
    for d in range(rank - 1, -1, -1):
        torch_pads += [pads[d], pads[d + rank]]
    torch_mode = {"constant": "constant", "reflect": "reflect", "edge": "replicate"}.get(mode)
    if torch_mode is None:
        raise node.unsupported(f"mode {mode}")
    if torch_mode == "constant":
        return [F.pad(x[0], torch_pads, mode="constant", value=value)]
    return [F.pad(x[0], torch_pads[: 2 * (rank - 2)], mode=torch_mode)]


def _same_padding(node, x: torch.Tensor, kernel: Sequence[int], strides: Sequence[int],
                  dilations: Sequence[int]) -> List[int]:
    """auto_pad SAME_UPPER / SAME_LOWER (tf2onnx writes them) as explicit begin..., end... pads."""
    mode = node.attr("auto_pad", "NOTSET")
    spatial = x.dim() - 2
    if mode in ("NOTSET", "VALID"):
        return node.attr("pads", [0] * (2 * spatial)) if mode == "NOTSET" else [0] * (2 * spatial)
    begins, ends = [], []
    sizes = _static(x.shape[2:])  # the traced image size is fixed: these pads are constants on purpose
    for i in range(spatial):
        size = sizes[i]
        out = math.ceil(size / strides[i])
        total = max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size)
        small, large = total // 2, total - total // 2
        begins.append(large if mode == "SAME_LOWER" else small)
        ends.append(small if mode == "SAME_LOWER" else large)
    return begins + ends


def _padded(x: torch.Tensor, pads: List[int], value: float = 0.0) -> torch.Tensor:
    spatial = len(pads) // 2
    torch_pads: List[int] = []
    for d in range(spatial - 1, -1, -1):
        torch_pads += [pads[d], pads[d + spatial]]
    return F.pad(x, torch_pads, value=value) if any(torch_pads) else x


def _conv(node, x):
    data, weight = x[0], x[1]
    bias = x[2] if len(x) > 2 else None
    spatial = data.dim() - 2
    kernel = _static(weight.shape[2:])
    strides = node.attr("strides", [1] * spatial)
    dilations = node.attr("dilations", [1] * spatial)
    pads = _same_padding(node, data, kernel, strides, dilations)
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}.get(spatial)
    if conv is None:
        raise node.unsupported(f"{spatial}-d convolution")
    return [conv(_padded(data, pads), weight, bias, stride=strides, dilation=dilations, groups=node.attr("group", 1))]


def _pool(kind: str):
    def run(node, x):
        data = x[0]
        spatial = data.dim() - 2
        kernel = node.attr("kernel_shape")
        strides = node.attr("strides", [1] * spatial)
        dilations = node.attr("dilations", [1] * spatial)
        if node.attr("ceil_mode", 0):
            raise node.unsupported("ceil_mode=1")
        pads = _same_padding(node, data, kernel, strides, dilations)
        if kind == "max":
            if spatial != 2 or node.attr("storage_order", 0):
                raise node.unsupported("only 2-d max pooling in row-major order")
            return [F.max_pool2d(_padded(data, pads, -math.inf), kernel, strides, dilation=dilations)]
        if any(d != 1 for d in dilations) or spatial != 2:
            raise node.unsupported("only 2-d average pooling without dilation")
        if node.attr("count_include_pad", 0) or not any(pads):
            return [F.avg_pool2d(_padded(data, pads), kernel, strides)]
        # exclude the padding from each window's count, as ONNX's default does
        summed = F.avg_pool2d(_padded(data, pads), kernel, strides) * (kernel[0] * kernel[1])
        counts = F.avg_pool2d(_padded(torch.ones_like(data[:1, :1]), pads), kernel, strides) * (kernel[0] * kernel[1])
        return [summed / counts]
    return run


def _gemm(node, x):
    a, b = x[0], x[1]
    if node.attr("transA", 0):
        a = a.t()
    if node.attr("transB", 0):
        b = b.t()
    out = node.attr("alpha", 1.0) * (a @ b)
    if len(x) > 2 and x[2] is not None:
        out = out + node.attr("beta", 1.0) * x[2]
    return [out]


def _batch_norm(node, x):
    data, scale, bias, mean, var = x[:5]
    return [F.batch_norm(data, mean, var, scale, bias, training=False, eps=node.attr("epsilon", 1e-5))]


def _layer_norm(node, x):
    data, scale = x[0], x[1]
    bias = x[2] if len(x) > 2 else None
    axis = _axis(node.attr("axis", -1), data.dim())
    if node.attr("stash_type", 1) != 1:
        raise node.unsupported("stash_type other than float")
    return [F.layer_norm(data, list(data.shape[axis:]), scale, bias, eps=node.attr("epsilon", 1e-5))]


def _instance_norm(node, x):
    return [F.instance_norm(x[0], weight=x[1], bias=x[2], eps=node.attr("epsilon", 1e-5))]


def _reduce(fn: str):
    def run(node, x):
        axes = _axes_of(node, x, 1) if (fn == "sum" and node.opset >= 13) or node.opset >= 18 else node.attr("axes")
        keep = bool(node.attr("keepdims", 1))
        data = x[0]
        if not axes:
            if node.attr("noop_with_empty_axes", 0):
                return [data]
            axes = list(range(data.dim()))
        dims = sorted(_axis(a, data.dim()) for a in axes)
        if fn == "mean":
            return [data.mean(dim=dims, keepdim=keep)]
        if fn == "sum":
            return [data.sum(dim=dims, keepdim=keep)]
        out = data
        for d in reversed(dims):  # max / min over several dims, one at a time
            out = (out.amax if fn == "max" else out.amin)(dim=d, keepdim=keep)
        return [out]
    return run


def _global_pool(fn: str):
    def run(node, x):
        dims = list(range(2, x[0].dim()))
        return [x[0].mean(dim=dims, keepdim=True) if fn == "mean" else x[0].amax(dim=dims, keepdim=True)]
    return run


def _hard_sigmoid(node, x):
    return [torch.clamp(node.attr("alpha", 0.2) * x[0] + node.attr("beta", 0.5), 0, 1)]


OPS: Dict[str, Callable[[Node, List[Optional[torch.Tensor]]], List[torch.Tensor]]] = {
    "Identity": _unary(lambda t: t), "Dropout": lambda node, x: [x[0]],
    "Add": _binary(torch.add), "Sub": _binary(torch.sub), "Mul": _binary(torch.mul), "Div": _binary(_div),
    "Pow": _binary(lambda a, b: torch.pow(a, b.to(a.dtype) if b.dtype.is_floating_point else b)),
    "Sqrt": _unary(torch.sqrt), "Exp": _unary(torch.exp), "Log": _unary(torch.log), "Neg": _unary(torch.neg),
    "Abs": _unary(torch.abs), "Reciprocal": _unary(torch.reciprocal), "Floor": _unary(torch.floor),
    "Ceil": _unary(torch.ceil), "Erf": _unary(torch.erf), "Tanh": _unary(torch.tanh),
    "Sigmoid": _unary(torch.sigmoid), "Relu": _unary(F.relu), "Softplus": _unary(F.softplus),
    "LeakyRelu": lambda node, x: [F.leaky_relu(x[0], node.attr("alpha", 0.01))],
    "Elu": lambda node, x: [F.elu(x[0], node.attr("alpha", 1.0))],
    "HardSigmoid": _hard_sigmoid, "HardSwish": _unary(F.hardswish),
    "Softmax": _softmax_like(torch.softmax), "LogSoftmax": _softmax_like(torch.log_softmax),
    "Clip": _clip, "Min": _variadic(torch.minimum), "Max": _variadic(torch.maximum), "Sum": _variadic(torch.add),
    "Equal": _binary(torch.eq), "Greater": _binary(torch.gt), "Less": _binary(torch.lt),
    "GreaterOrEqual": _binary(torch.ge), "LessOrEqual": _binary(torch.le),
    "Not": _unary(torch.logical_not), "And": _binary(torch.logical_and), "Or": _binary(torch.logical_or),
    "Where": lambda node, x: [torch.where(x[0], x[1], x[2])], "Cast": _cast,
    "Reshape": _reshape, "Transpose": _transpose, "Flatten": _flatten, "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze, "Concat": _concat, "Split": _split, "Slice": _slice, "Gather": _gather,
    "Shape": _shape, "ConstantOfShape": _constant_of_shape, "Expand": _expand, "Tile": _tile,
    "Pad": _pad,
    "Conv": _conv, "MaxPool": _pool("max"), "AveragePool": _pool("average"),
    "GlobalAveragePool": _global_pool("mean"), "GlobalMaxPool": _global_pool("max"),
    "MatMul": _binary(torch.matmul), "Gemm": _gemm, "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm, "InstanceNormalization": _instance_norm,
    "ReduceMean": _reduce("mean"), "ReduceSum": _reduce("sum"), "ReduceMax": _reduce("max"),
    "ReduceMin": _reduce("min"),
}
SUPPORTED_OPS = sorted(OPS) + ["Constant"]


def _tensor(proto: onnx.TensorProto) -> torch.Tensor:
    array = numpy_helper.to_array(proto)
    if array.dtype == np.float64:
        array = array.astype(np.float32)  # acg2vec runs fp32
    return torch.from_numpy(np.array(array, copy=True))


class OnnxGraph(torch.nn.Module):
    """forward(*graph inputs) -> the graph's outputs (one tensor, or a tuple)."""

    def __init__(self, model: onnx.ModelProto):
        super().__init__()
        self.opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
        for o in model.opset_import:
            if o.domain not in ("", "ai.onnx"):
                raise UnsupportedOnnx(f"operator set '{o.domain}' (version {o.version}) is not supported")
        graph = model.graph
        initializer_names = {t.name for t in graph.initializer}
        self.input_names = [i.name for i in graph.input if i.name not in initializer_names]
        self.output_names = [o.name for o in graph.output]
        self._constants: Dict[str, str] = {}  # value name -> buffer name
        for i, t in enumerate(graph.initializer):
            self._add_constant(t.name, _tensor(t), f"init{i}")
        self.nodes: List[Node] = []
        for proto in graph.node:
            node = Node(proto, self.opset)
            if node.op == "Constant":
                self._add_constant(node.outputs[0], self._constant_value(node), f"const{len(self._constants)}")
                continue
            if node.op not in OPS:
                raise node.unsupported("not supported (supported: " + ", ".join(SUPPORTED_OPS) + ")")
            self.nodes.append(node)

    def _add_constant(self, name: str, value: torch.Tensor, buffer: str) -> None:
        self.register_buffer(buffer, value, persistent=True)
        self._constants[name] = buffer

    @staticmethod
    def _constant_value(node: Node) -> torch.Tensor:
        for key in ("value", "value_float", "value_int", "value_floats", "value_ints"):
            if key in node.attrs:
                v = node.attrs[key]
                if key == "value":
                    return _tensor(v)
                return torch.tensor(v, dtype=torch.float32 if "float" in key else torch.int64)
        raise node.unsupported("a Constant without value/value_float(s)/value_int(s)")

    def forward(self, *inputs: torch.Tensor):
        if len(inputs) != len(self.input_names):
            raise ValueError(f"the graph takes {len(self.input_names)} inputs ({', '.join(self.input_names)}), "
                             f"got {len(inputs)}")
        values: Dict[str, torch.Tensor] = {n: getattr(self, b) for n, b in self._constants.items()}
        values.update(zip(self.input_names, inputs))
        for node in self.nodes:
            args = [values[name] if name else None for name in node.inputs]
            try:
                outputs = OPS[node.op](node, args)
            except UnsupportedOnnx:
                raise
            except Exception as e:  # name the node: a shape error deep in a graph is otherwise opaque
                raise RuntimeError(f"ONNX node '{node.name}' ({node.op}, opset {node.opset}): {e}") from e
            for name, value in zip(node.outputs, outputs):
                if name:
                    values[name] = value
        results = tuple(values[name] for name in self.output_names)
        return results[0] if len(results) == 1 else results
