"""The shipped language model's files: its architecture (`lm.json`) and its weights, decoded to float32.

The weights are the GGUF's quantised blocks exactly as the file stores them (`training/build_lm.py`): Q4_1
for the transformer blocks, Q8_0 for the token embedding (which is also the output head), F32 for the
norms. Decoding them is the only place spindetect reads ggml's block layouts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources

import numpy as np

from ..errors import ModelError

RESOURCE_PACKAGE = "spindetect.resources.lm"
WEIGHTS_FILE = "smollm2-135m.npz"
CONFIG_FILE = "lm.json"
SMOOTHING_FILE = "int8_smoothing.npz"
SUPPORTED_FORMAT = 1
_Q4_1_BLOCK_BYTES = 20  # fp16 scale, fp16 minimum, 16 bytes of 32 four-bit values
_Q8_0_BLOCK_BYTES = 34  # fp16 scale, 32 int8 values


def dequantize(blocks: np.ndarray, ggml_type: str) -> np.ndarray:
    """One GGUF tensor (rows of quantised blocks, as bytes) to float32 rows."""
    if ggml_type == "F32":
        return blocks.view(np.float32) if blocks.dtype != np.float32 else blocks
    rows = blocks.shape[0]
    if ggml_type == "Q4_1":
        b = blocks.reshape(rows, -1, _Q4_1_BLOCK_BYTES)
        scale = np.ascontiguousarray(b[:, :, 0:2]).view(np.float16).astype(np.float32)
        minimum = np.ascontiguousarray(b[:, :, 2:4]).view(np.float16).astype(np.float32)
        packed = b[:, :, 4:]
        # ggml stores element j in the low nibble of byte j and element j + 16 in its high nibble.
        values = np.empty(packed.shape[:2] + (32,), dtype=np.float32)
        np.bitwise_and(packed, 0x0F, out=values[:, :, :16], casting="unsafe")
        np.right_shift(packed, 4, out=values[:, :, 16:], casting="unsafe")
        values *= scale
        values += minimum
        return values.reshape(rows, -1)
    if ggml_type == "Q8_0":
        b = blocks.reshape(rows, -1, _Q8_0_BLOCK_BYTES)
        scale = np.ascontiguousarray(b[:, :, 0:2]).view(np.float16).astype(np.float32)
        values = np.ascontiguousarray(b[:, :, 2:]).view(np.int8).astype(np.float32)
        values *= scale
        return values.reshape(rows, -1)
    raise ModelError(f"language model tensor type {ggml_type} is not supported")


def load_config() -> dict:
    config = json.loads((resources.files(RESOURCE_PACKAGE) / CONFIG_FILE).read_text())
    if config.get("format") != SUPPORTED_FORMAT:
        raise ModelError(f"language model format {config.get('format')} is not supported")
    return config


class QuantizedTensors(Mapping):
    """The weights file's tensors by GGUF name, each decoded to float32 when it is asked for: whoever lays
    the weights out for the runtime holds one decoded tensor at a time, not all 540 MB of them."""

    def __init__(self, data) -> None:
        self._data = data
        self._keys = {key.partition("|")[0]: key for key in data.files}

    def __getitem__(self, name: str) -> np.ndarray:
        key = self._keys[name]
        return dequantize(self._data[key], key.partition("|")[2])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@contextmanager
def quantized_tensors() -> Iterator[QuantizedTensors]:
    """The shipped weights, decoded on access, for as long as the context is open."""
    with (resources.files(RESOURCE_PACKAGE) / WEIGHTS_FILE).open("rb") as stream, \
            np.load(stream, allow_pickle=False) as data:
        yield QuantizedTensors(data)


def load_tensors() -> dict[str, np.ndarray]:
    """Every weight as float32, by its GGUF name, all at once (the numpy reference's way)."""
    with quantized_tensors() as tensors:
        return dict(tensors)


def load_smoothing() -> dict[str, np.ndarray]:
    """The int8 products' input-channel smoothing factors by product name (`_graph.py`;
    `training/calibrate_lm.py` writes them)."""
    path = resources.files(RESOURCE_PACKAGE) / SMOOTHING_FILE
    if not path.is_file():
        raise ModelError(f"{SMOOTHING_FILE} is missing from {RESOURCE_PACKAGE}: run training/calibrate_lm.py")
    with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}
