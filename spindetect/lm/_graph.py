"""SmolLM2's forward pass as an ONNX graph, built in memory from the shipped weights, for onnxruntime.

The graphs are small (a few hundred nodes); the weights never pass through protobuf. Every weight is an
initializer declared as external data, at its offset in one weights file (`WeightsFile`) that the builder
writes tensor by tensor as it lays the graph out, and that onnxruntime maps from the cache folder or a
temporary folder when it makes a session (`_transformer.py`): it keeps the packed copies its matrix products make and drops the
rest, so the process holds each weight once, not as a numpy array and a packed copy. Where no temporary
file can be written, the same bytes stay in memory and each tensor is handed over as an array over them
(both copies then live as long as the session).

Two graphs:

- **body**: token ids, their positions, an additive attention mask and the key/value cache of earlier
  positions in; final normalised hidden states and the updated cache out. One graph serves a full pass
  (an empty cache) and a rescoring pass that runs only a variant's suffix on the cached prefix; rows of a
  batch may see different prefixes of one cache (the mask hides what a row must not see), so every
  variant of one window runs in one call.
- **head**: hidden states in, next-token log-probabilities over the vocabulary out (the token embedding
  reused as the output head).

Matrix products run in int8 (what scoring uses since `lm@4`: 1.8-2.2 times the float32 speed, perplexity on
held-out news +2.9%, `benchmarks/lm_runtime.py`) or in float32 (`smoothing=None`: the reference's numbers,
read by `lm@3` and older deep stages). An int8 product of activations x (rows, in) and a weight W (out, in) is
`row_max * (q(x / s / row_max) @ q(W * s).T)`:

- **per input channel, a smoothing factor s** (SmoothQuant, alpha 0.5: s = sqrt(max |x_j| / max |W_j|),
  the activation maxima measured on held-out news by `training/calibrate_lm.py` and shipped in
  `int8_smoothing.npz`): a few channels carry activations a hundred times the others', which would
  leave the rest of the row a handful of int8 steps; dividing them down and multiplying W's columns up
  leaves the product unchanged and spreads the range over both sides;
- **per row (token), its own scale row_max**: every row is divided by its largest magnitude and quantised
  to int8 steps of 1/127 around 0 (`QuantizeLinear`), so a token with large activations (the start token,
  a rare name) does not coarsen the others, and a row reads the same whichever rows share its batch: a
  cached suffix pass equals a full recompute, as in float32;
- **per output channel, the weight's own scale** (`quantize_rows`), symmetric, 7 bits (why: there);
- the integer product by `com.microsoft.MatMulIntegerToFloat`, whose kernels use VNNI or AMX where the
  processor has them.

Per-tensor activation scales (onnxruntime's `DynamicQuantizeMatMul`) were measured first: perplexity +63%.

The rotary embedding pairs adjacent dimensions (2i, 2i + 1) in the GGUF layout. The graph instead rotates
the two halves of each head (i, i + d/2), which is one Split and a Concat, and the query and key
projections' rows are permuted to match at load (`half_split_rows`); attention scores are dot products of
query and key, so the same permutation on both leaves them unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import BinaryIO

import numpy as np
from onnx import TensorProto, helper

OPSET = 23
FLOAT = TensorProto.FLOAT
_INLINE_BYTES = 64
EMBEDDING = "token_embd"  # the token embedding's initializer, shared by the body and the head
# Offsets in the weights file are multiples of this, so onnxruntime may map each tensor from the file in
# place (64 KiB: Windows' allocation granularity; a multiple of every Linux and macOS page size).
_ALIGNMENT = 1 << 16


def half_split_rows(heads: int, head_dim: int) -> np.ndarray:
    """Row order that turns each head's adjacent rotary pairs (2i, 2i+1) into halves (i, i + d/2)."""
    within = np.concatenate([np.arange(0, head_dim, 2), np.arange(1, head_dim, 2)])
    return (np.arange(heads)[:, None] * head_dim + within[None, :]).reshape(-1)


def quantize_rows(weight: np.ndarray, levels: int = 63) -> tuple[np.ndarray, np.ndarray]:
    """(out, in) float weights -> int8 (in, out) in [-levels, levels] and float32 per-output scales,
    symmetric per row. 63 (7 bits), not 127: processors without VNNI multiply unsigned by signed bytes in
    pairs summed into 16 bits (VPMADDUBSW), which saturates once 2 * 255 * |w| exceeds 32,767; with 7-bit
    weights it never does, so every processor computes the same products (8 bits were measured at
    perplexity +1.9% against +2.9%, and are not worth answers that depend on the processor)."""
    scale = np.abs(weight).max(axis=1) / float(levels)
    scale[scale == 0] = 1.0
    quantized = np.rint(weight / scale[:, None]).astype(np.int8)
    return np.ascontiguousarray(quantized.T), scale.astype(np.float32)


class WeightsFile:
    """The graphs' external data: tensors written one after another (aligned) to `stream`, which onnxruntime
    will know as `location`. A tensor added twice under one name (the token embedding, read by the body and
    used as the head) is written once."""

    def __init__(self, stream: BinaryIO, location: str = "weights.bin") -> None:
        self.stream = stream
        self.location = location
        self.placed: dict[str, tuple[int, int]] = {}
        self.shapes: dict[str, tuple[int, ...]] = {}
        self.dtypes: dict[str, np.dtype] = {}
        self._end = 0

    def add(self, name: str, array: np.ndarray) -> tuple[int, int]:
        """(offset, length) of `array`'s bytes in the file."""
        if name not in self.placed:
            offset = -(-self._end // _ALIGNMENT) * _ALIGNMENT
            self.stream.write(b"\0" * (offset - self._end))
            data = memoryview(np.ascontiguousarray(array)).cast("B")
            self.stream.write(data)
            self.placed[name] = (offset, len(data))
            self.shapes[name] = array.shape
            self.dtypes[name] = array.dtype
            self._end = offset + len(data)
        return self.placed[name]


class _Builder:
    """Accumulates nodes and initializers; names are unique by construction. `smoothing` (None: float32
    products) gives each int8 product's input-channel factors by product name; `taps`, when a list, collects
    (product name, input tensor name, the weight's largest magnitude per input channel) of every product,
    for calibration (`training/calibrate_lm.py`)."""

    def __init__(self, weights: WeightsFile, smoothing: Mapping[str, np.ndarray] | None = None,
                 taps: list | None = None) -> None:
        self.weights = weights
        self.smoothing = smoothing
        self.taps = taps
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0
        if smoothing is not None:  # shared by every int8 product
            self.last_axis = self.constant("axes.last", np.array([-1], np.int64))
            self.tiny = self.constant("tiny", np.array(1e-30, np.float32))
            self.step = self.constant("int8.step", np.array(1 / 127, np.float32))
            self.zero = self.constant("int8.zero", np.array(128, np.uint8))

    def name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def node(self, op: str, inputs: list[str], output: str | None = None, outputs: int = 1,
             domain: str = "", **attributes) -> str | list[str]:
        """One node; its output is called `output` (a graph output) or gets a fresh name."""
        names = [output] if output else [self.name(op) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, domain=domain, **attributes))
        return names[0] if outputs == 1 else names

    def constant(self, name: str, array: np.ndarray) -> str:
        """An initializer: a small one (a shape, an axis) in the graph, where shape inference reads it; a
        weight as external data in the weights file (see the module docstring)."""
        array = np.ascontiguousarray(array)
        if array.nbytes <= _INLINE_BYTES:
            self.initializers.append(helper.make_tensor(name, helper.np_dtype_to_tensor_dtype(array.dtype),
                                                        array.shape, array.tobytes(), raw=True))
            return name
        self.weights.add(name, array)
        return self._external(name)

    def shared(self, name: str, tensors: Mapping[str, np.ndarray], key: str) -> str:
        """The weights file's tensor `name`, decoding `tensors[key]` only if no graph has written it yet."""
        return self._external(name) if name in self.weights.placed else self.constant(name, tensors[key])

    def _external(self, name: str) -> str:
        offset, length = self.weights.placed[name]
        tensor = TensorProto()
        tensor.name = name
        tensor.data_type = helper.np_dtype_to_tensor_dtype(self.weights.dtypes[name])
        tensor.dims.extend(self.weights.shapes[name])
        tensor.data_location = TensorProto.EXTERNAL
        for key, value in (("location", self.weights.location), ("offset", str(offset)), ("length", str(length))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        self.initializers.append(tensor)
        return name

    def matmul(self, x: str, name: str, weight: np.ndarray) -> str:
        """x @ weight.T for (rows, in) activations and an (out, in) weight: in float32, or in int8 when the
        builder has smoothing factors (see the module docstring)."""
        self.tap(name, x, weight)
        if self.smoothing is None:  # Gemm reads the weight as it is stored: no transposed copy
            return self.node("Gemm", [x, self.constant(name, weight)], transB=1)
        factors = np.asarray(self.smoothing[name], np.float32)
        quantized, scale = quantize_rows(weight * factors[None, :])
        smoothed = self.node("Mul", [x, self.constant(name + ".unsmooth", 1 / factors)])
        row_max = self.node("Max", [self.node("ReduceMax", [self.node("Abs", [smoothed]), self.last_axis], keepdims=1),
                                    self.tiny])
        # uint8 around 128: onnxruntime's integer kernels take unsigned activations against signed weights.
        # onnxruntime's own QuantizeLinear: the standard one at opset 23 has no uint8 kernel before 1.24.
        codes = self.node("QuantizeLinear", [self.node("Div", [smoothed, row_max]), self.step, self.zero],
                          domain="com.microsoft")
        product = self.node("MatMulIntegerToFloat", [codes, self.constant(name, quantized), self.step,
                                                     self.constant(name + ".scale", scale), self.zero],
                            domain="com.microsoft")
        return self.node("Mul", [product, row_max])

    def tap(self, name: str, x: str, weight: np.ndarray) -> None:
        """Record a product's input and its weight's column maxima when calibrating (`taps`)."""
        if self.taps is not None:
            self.taps.append((name, x, np.abs(weight).max(axis=0)))

    def model(self, inputs, outputs):
        graph = helper.make_graph(self.nodes, "smollm2", inputs, outputs, initializer=self.initializers)
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                       helper.make_opsetid("com.microsoft", 1)])


def build_body(config: dict, tensors: Mapping[str, np.ndarray], weights: WeightsFile,
               smoothing: Mapping[str, np.ndarray] | None = None, taps: list | None = None):
    """The body graph, its weights written to `weights`. `tensors` are float32 (out, in) weights by GGUF
    name (each read once, so a mapping that decodes on access suffices). Products (`blk.<i>.qkv`,
    `.attn_out`, `.gate_up`, `.down`) run in int8 with `smoothing`, else in float32; `taps`: see _Builder."""
    hidden, heads, kv_heads = int(config["hidden"]), int(config["heads"]), int(config["kv_heads"])
    d = hidden // heads
    half, eps = d // 2, float(config["norm_eps"])
    b = _Builder(weights, smoothing, taps)
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
        # Rotary angles of each row's positions: (batch, length, d/2) each.
        helper.make_tensor_value_info("cos", FLOAT, ["batch", "length", half]),
        helper.make_tensor_value_info("sin", FLOAT, ["batch", "length", half]),
        # Added to the attention scores: (batch, 1, length, past + length), 0 or a large negative.
        helper.make_tensor_value_info("mask", FLOAT, ["batch", 1, "length", "total"]),
    ]
    outputs = [helper.make_tensor_value_info("states", FLOAT, ["batch", "length", hidden])]
    # Shapes used by Reshape: 0 copies that dimension from the input.
    shape_heads = b.constant("shape.heads", np.array([0, 0, heads, d], np.int64))
    shape_kv = b.constant("shape.kv", np.array([0, 0, kv_heads, d], np.int64))
    shape_merged = b.constant("shape.merged", np.array([0, 0, -1], np.int64))
    # Between products the activations are (batch * length, hidden) rows; attention wants them as
    # (batch, length, features).
    shape_rows = b.constant("shape.rows", np.array([-1, hidden], np.int64))
    shape_sequences = b.node("Concat", [b.node("Shape", ["input_ids"]), b.constant("minus_one", np.array([-1], np.int64))],
                             axis=0)
    split_qkv = b.constant("split.qkv", np.array([hidden, kv_heads * d, kv_heads * d], np.int64))
    split_half = b.constant("split.half", np.array([half, half], np.int64))
    ffn = tensors["blk.0.ffn_gate.weight"].shape[0]
    split_ffn = b.constant("split.ffn", np.array([ffn, ffn], np.int64))
    axis_heads = b.constant("axes.heads", np.array([2], np.int64))
    cos = b.node("Unsqueeze", ["cos", axis_heads])  # (batch, length, 1, d/2): broadcast over heads
    sin = b.node("Unsqueeze", ["sin", axis_heads])

    def rotate(x: str, shape: str) -> str:
        """(batch, length, heads * d) -> the same, each head's halves rotated by its position's angles."""
        first, second = b.node("Split", [b.node("Reshape", [x, shape]), split_half], outputs=2, axis=-1)
        rotated = b.node("Concat", [b.node("Sub", [b.node("Mul", [first, cos]), b.node("Mul", [second, sin])]),
                                    b.node("Add", [b.node("Mul", [second, cos]), b.node("Mul", [first, sin])])],
                         axis=-1)
        return b.node("Reshape", [rotated, shape_merged])

    rows = half_split_rows(heads, d)
    kv_rows = half_split_rows(kv_heads, d)
    x = b.node("Reshape", [b.node("Gather", [b.shared(EMBEDDING, tensors, "token_embd.weight"), "input_ids"],
                                  axis=0), shape_rows])
    for i in range(int(config["layers"])):
        p = f"blk.{i}."
        inputs += [helper.make_tensor_value_info(f"past_key.{i}", FLOAT, ["batch", kv_heads, "past", d]),
                   helper.make_tensor_value_info(f"past_value.{i}", FLOAT, ["batch", kv_heads, "past", d])]
        outputs += [helper.make_tensor_value_info(f"present_key.{i}", FLOAT, ["batch", kv_heads, "total", d]),
                    helper.make_tensor_value_info(f"present_value.{i}", FLOAT, ["batch", kv_heads, "total", d])]
        attn_norm = tensors[p + "attn_norm.weight"]
        qkv_weight = np.concatenate([tensors[p + "attn_q.weight"][rows], tensors[p + "attn_k.weight"][kv_rows],
                                     tensors[p + "attn_v.weight"]])
        out_weight = tensors[p + "attn_output.weight"]
        ffn_norm = tensors[p + "ffn_norm.weight"]
        gate_up = np.concatenate([tensors[p + "ffn_gate.weight"], tensors[p + "ffn_up.weight"]])
        down = tensors[p + "ffn_down.weight"]
        normed = b.node("SimplifiedLayerNormalization", [x, b.constant(p + "attn_norm", attn_norm)],
                        axis=-1, epsilon=eps)
        qkv = b.node("Reshape", [b.matmul(normed, p + "qkv", qkv_weight), shape_sequences])
        q, k, v = b.node("Split", [qkv, split_qkv], outputs=3, axis=-1)
        # ONNX's Attention (opset 23): grouped-query heads, the additive mask and the cache in one kernel;
        # the cache comes back as (batch, kv_heads, past + length, d).
        attended = b.node("Attention", [rotate(q, shape_heads), rotate(k, shape_kv), v, "mask",
                                        f"past_key.{i}", f"past_value.{i}"],
                          outputs=3, q_num_heads=heads, kv_num_heads=kv_heads)[0]
        b.nodes[-1].output[1:] = [f"present_key.{i}", f"present_value.{i}"]
        attended = b.node("Reshape", [attended, shape_rows])
        x = b.node("Add", [x, b.matmul(attended, p + "attn_out", out_weight)])
        normed = b.node("SimplifiedLayerNormalization", [x, b.constant(p + "ffn_norm", ffn_norm)],
                        axis=-1, epsilon=eps)
        gate, up = b.node("Split", [b.matmul(normed, p + "gate_up", gate_up), split_ffn],
                          outputs=2, axis=-1)
        activated = b.node("Mul", [b.node("Mul", [gate, b.node("Sigmoid", [gate])]), up])
        x = b.node("Add", [x, b.matmul(activated, p + "down", down)])
    states = b.node("SimplifiedLayerNormalization", [x, b.constant("output_norm", tensors["output_norm.weight"])],
                    axis=-1, epsilon=eps)
    b.node("Reshape", [states, shape_sequences], output="states")
    return b.model(inputs, outputs)


def build_head(config: dict, tensors: Mapping[str, np.ndarray], weights: WeightsFile,
               smoothing: Mapping[str, np.ndarray] | None = None, taps: list | None = None):
    """(n, hidden) states -> (n, vocab) log-probabilities, the token embedding as the output head: in
    float32, the body's own copy of the embedding in the weights file; in int8 with `smoothing` ("head")."""
    hidden = int(config["hidden"])
    b = _Builder(weights, smoothing, taps)
    if smoothing is None:
        if taps is not None:
            b.tap("head", "states", tensors["token_embd.weight"])
        logits = b.node("Gemm", ["states", b.shared(EMBEDDING, tensors, "token_embd.weight")], transB=1)
    else:
        logits = b.matmul("states", "head", tensors["token_embd.weight"])
    vocab = weights.shapes[EMBEDDING][0]
    b.node("LogSoftmax", [logits], output="log_probs", axis=-1)
    inputs = [helper.make_tensor_value_info("states", FLOAT, ["n", hidden])]
    outputs = [helper.make_tensor_value_info("log_probs", FLOAT, ["n", vocab])]
    return b.model(inputs, outputs)
