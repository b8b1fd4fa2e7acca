"""SmolLM2-135M's forward pass on onnxruntime: token ids in, hidden states and next-token log-probabilities
out, with a key/value cache so that a variant of a text reruns only the tokens after its change.

The graphs are built from the shipped weights (`_graph.py`); onnxruntime's CPU kernels run them (fused
attention with grouped-query heads, multi-threaded elementwise work). Matrix products run in float32 (the
numbers of the numpy pass it replaced, which survives as the tests' reference, `training/lm_reference.py`)
or in int8, what scoring uses (about twice as fast; `_graph.py` says how and what it costs).

Building the graphs means decoding the weights and writing them out for onnxruntime (1.5-3 s). The
shipped model (`Transformer.load`) keeps what it builds in a cache folder (`SPINDETECT_CACHE_DIR`, by
default the user's cache directory; "off" turns it off; about 0.3 GB in int8, 0.55 GB in float32), named
by the digests of the weights, the smoothing factors and the code that builds the graphs, so later
processes map the files as they are (about 0.3 s, without importing `onnx`); building a new one removes
the builds of earlier versions. A folder counts only once its marker file is written, after everything
else; one that fails to load is removed and rebuilt; where no cache can be written, the graphs go to a
temporary folder, as for any other `Transformer`.

Thread use: onnxruntime's own pool, `threads` wide (default: one per core). A scoring worker of `--jobs N`
loads it with one thread (`SPINDETECT_LM_THREADS=1`, set by the worker), so N workers fill N cores instead
of fighting over them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._weights import RESOURCE_PACKAGE, load_config, load_smoothing, quantized_tensors

# `_graph` (and with it `onnx`, half a second to import) is imported only where graphs are built.

__all__ = ["CACHE_VARIABLE", "MASKED", "PRECISIONS", "RESOURCE_PACKAGE", "THREADS_VARIABLE", "KeyValueCache",
           "Transformer", "cache_folder", "causal_mask", "inverse_frequencies", "rotary", "session_in_memory"]

THREADS_VARIABLE = "SPINDETECT_LM_THREADS"
CACHE_VARIABLE = "SPINDETECT_CACHE_DIR"
PRECISIONS = ("float32", "int8")
_GRAPH_FILES = ("body.onnx", "head.onnx")
# A cache folder is named by these modules' source too, so a change to how graphs or weights are built
# can never meet a folder built the old way.
_BUILDER_SOURCES = ("_graph.py", "_weights.py")
_COMPLETE = "complete.json"
# Added to a masked attention score: exp() of it is exactly 0 in float32, and it stays finite.
MASKED = np.float32(-1e9)


@dataclass(frozen=True)
class KeyValueCache:
    """Every layer's keys and values of the positions read so far: (batch, kv_heads, positions, head_dim)
    each, as the graph returns them."""

    keys: tuple[np.ndarray, ...]
    values: tuple[np.ndarray, ...]

    @property
    def length(self) -> int:
        return self.keys[0].shape[2]


def inverse_frequencies(config: dict) -> np.ndarray:
    """The rotary embedding's angle per position for each pair of a head's dimensions."""
    head_dim = int(config["hidden"]) // int(config["heads"])
    return float(config["rope_base"]) ** (-np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)


def rotary(positions: np.ndarray, frequencies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of the rotary angles at integer `positions` (any shape) -> shape + (head_dim / 2,)."""
    angles = np.asarray(positions, dtype=np.float64)[..., None] * frequencies
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)


def causal_mask(batch: int, length: int, past: int = 0) -> np.ndarray:
    """The additive mask of a plain causal pass: each new position sees the `past` cached positions and
    the new positions up to itself. (batch, 1, length, past + length)."""
    mask = np.zeros((length, past + length), dtype=np.float32)
    mask[:, past:] = np.triu(np.full((length, length), MASKED, dtype=np.float32), 1)
    return np.broadcast_to(mask, (batch, 1, length, past + length))


class Transformer:
    """Read-only after construction; onnxruntime sessions may be run from several threads at once, so one
    instance serves every thread."""

    def __init__(self, config: dict, tensors: Mapping[str, np.ndarray], threads: int | None = None,
                 smoothing: Mapping[str, np.ndarray] | None = None, in_memory: bool = False,
                 cache: Path | None = None) -> None:
        """`tensors`: the float32 weights by GGUF name, each read once (`_weights.quantized_tensors`
        decodes them on access). With `smoothing` (each product's input-channel factors, `_graph.py`) the
        matrix products run in int8, as shipped; without, in float32 (the calibration and the benchmark).
        `in_memory` hands onnxruntime the weights in memory instead of through a temporary file (what
        happens anyway where no temporary file can be written; the tests check both ways). `cache`: a
        folder to keep the built graphs in, or to map them from when an earlier process built them (see
        the module docstring; `load` names it)."""
        self.config = config
        self.hidden = int(config["hidden"])
        self.heads = int(config["heads"])
        self.kv_heads = int(config["kv_heads"])
        self.head_dim = self.hidden // self.heads
        self.layers = int(config["layers"])
        self.start_token_id = int(config["start_token_id"])
        self.inverse_frequencies = inverse_frequencies(config)
        self.precision = "float32" if smoothing is None else "int8"
        self._body, self._head = _sessions(config, tensors, threads, smoothing, in_memory, cache)
        self.vocab_size = int(self._head.get_outputs()[0].shape[1])
        self._empty_cache = KeyValueCache(
            tuple(np.zeros((1, self.kv_heads, 0, self.head_dim), np.float32) for _ in range(self.layers)),
            tuple(np.zeros((1, self.kv_heads, 0, self.head_dim), np.float32) for _ in range(self.layers)))

    @classmethod
    def load(cls, threads: int | None = None, precision: str = "float32") -> Transformer:
        """The shipped model: float32 products (the reference's numbers), or "int8" with the shipped
        smoothing factors (what scoring uses: `spindetect.lm.SCORING_PRECISION`)."""
        if threads is None and os.environ.get(THREADS_VARIABLE, "").strip():
            threads = int(os.environ[THREADS_VARIABLE])
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be int8 or float32, not {precision!r}")
        config = load_config()
        smoothing = load_smoothing() if precision == "int8" else None
        with quantized_tensors() as tensors:
            return cls(config, tensors, threads, smoothing, cache=cache_folder(config, precision))

    def rotary(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rotary(positions, self.inverse_frequencies)

    def forward(self, token_ids: np.ndarray, positions: np.ndarray | None = None, mask: np.ndarray | None = None,
                cache: KeyValueCache | None = None) -> tuple[np.ndarray, KeyValueCache]:
        """(batch, length) token ids after `cache`'s positions -> (batch, length, hidden) final normalised
        states and the cache extended by them.

        `positions` (batch, length) are each token's position for the rotary embedding (default: right
        after the cache). `mask` (batch, 1, length, cache + length) is added to the attention scores: 0 to
        see a position, `MASKED` not to (default: causal). A batch row may thus see only part of the cache,
        or only some of the new tokens: every variant of one text, each changed at its own place, can run
        in one call on the text's cache, provided each row's positions and mask say where it stands."""
        token_ids = np.asarray(token_ids, dtype=np.int64)
        batch, length = token_ids.shape
        if cache is None:
            cache = self._empty_cache
        if cache.keys[0].shape[0] != batch:
            cache = KeyValueCache(tuple(np.repeat(k, batch, axis=0) for k in cache.keys),
                                  tuple(np.repeat(v, batch, axis=0) for v in cache.values))
        past = cache.length
        if positions is None:
            positions = np.broadcast_to(np.arange(past, past + length), (batch, length))
        if mask is None:
            mask = causal_mask(batch, length, past)
        cos, sin = self.rotary(positions)
        feeds = {"input_ids": token_ids, "cos": cos, "sin": sin,
                 "mask": np.ascontiguousarray(mask, dtype=np.float32)}
        for i in range(self.layers):
            feeds[f"past_key.{i}"] = cache.keys[i]
            feeds[f"past_value.{i}"] = cache.values[i]
        out = self._body.run(None, feeds)
        return out[0], KeyValueCache(tuple(out[1::2]), tuple(out[2::2]))

    def hidden_states(self, token_ids: np.ndarray) -> np.ndarray:
        """(batch, length) token ids -> (batch, length, hidden) final normalised states of a causal pass.

        Every row is its own causal sequence; rows padded at the end give exact states for their real
        positions, since no position attends to a later one."""
        return self.forward(token_ids)[0]

    def log_probabilities(self, states: np.ndarray) -> np.ndarray:
        """(n, hidden) states -> (n, vocab) next-token log-probabilities."""
        states = np.ascontiguousarray(states, dtype=np.float32).reshape(-1, self.hidden)
        if len(states) == 0:
            return np.zeros((0, self.vocab_size), np.float32)
        return self._head.run(None, {"states": states})[0]


def cache_folder(config: dict, precision: str) -> Path | None:
    """Where the shipped model's graphs in `precision` are kept between processes (None: no cache)."""
    setting = os.environ.get(CACHE_VARIABLE)
    if setting is not None and setting.strip().lower() in ("", "off", "0", "none"):
        return None
    if setting:
        root = Path(setting)
    else:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("spindetect", appauthor=False))
    identity = hashlib.sha256(json.dumps(
        {"precision": precision, "weights": config.get("weights_sha256"),
         "smoothing": (config.get("int8_smoothing") or {}).get("sha256") if precision == "int8" else None},
        sort_keys=True).encode())
    for name in _BUILDER_SOURCES:
        try:
            identity.update(Path(__file__).with_name(name).read_bytes())
        except OSError:  # installed without sources (bytecode only): no cache, rather than a stale one
            return None
    return root / f"lm-{precision}-{identity.hexdigest()[:16]}"


def _sessions(config: dict, tensors: Mapping[str, np.ndarray], threads: int | None,
              smoothing: Mapping[str, np.ndarray] | None, in_memory: bool, cache: Path | None):
    """The body's and the head's onnxruntime sessions.

    The weights go to onnxruntime as the graphs' external data file, written once for both graphs. Made
    from a file, a session maps the weights and keeps only what it needs: the packed copies its matrix
    products make, and the token embedding the body looks tokens up in, so the float32 weights are never
    held twice (about 0.6 GB less than handing it numpy arrays, and faster to make). The files are in
    `cache` when one is given and can be used (`_cached_sessions`), else in a temporary folder removed once
    the sessions exist; where neither can be written, the same bytes stay in memory for as long as the
    sessions live (`session_in_memory`), which costs about 0.6 GB more."""
    import onnxruntime

    if cache is not None and not in_memory:
        sessions = _cached_sessions(onnxruntime, cache, config, tensors, threads, smoothing)
        if sessions is not None:
            return sessions
    if not in_memory:
        try:
            with tempfile.TemporaryDirectory(prefix="spindetect-lm-", ignore_cleanup_errors=True) as folder:
                _write_graphs(Path(folder), config, tensors, smoothing)
                return _sessions_from(onnxruntime, Path(folder), threads)
        except OSError:
            pass  # no writable temporary directory: in memory instead
    from ._graph import WeightsFile

    stream = io.BytesIO()
    weights = WeightsFile(stream)
    graphs = _graphs(config, tensors, smoothing, weights)
    return tuple(session_in_memory(onnxruntime, graph, weights, stream, threads) for graph in graphs)


def _cached_sessions(onnxruntime, cache: Path, config, tensors, threads, smoothing):
    """Sessions over `cache`'s graphs, built there first unless a complete build is there; None when the
    cache can be neither read nor written (the caller builds in a temporary folder instead)."""
    for attempt in range(2):
        if (cache / _COMPLETE).is_file():
            try:
                return _sessions_from(onnxruntime, cache, threads)
            except Exception:  # noqa: BLE001 - a damaged build: remove it and build again, once
                shutil.rmtree(cache, ignore_errors=True)
                if attempt:
                    return None
        building = None
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(prefix=f".{cache.name}-", dir=cache.parent))
            _write_graphs(building, config, tensors, smoothing)
            (building / _COMPLETE).write_text(json.dumps({"files": [*_GRAPH_FILES, "weights.bin"]}))
            try:
                building.rename(cache)
            except OSError:  # another process finished first: use its build
                shutil.rmtree(building, ignore_errors=True)
            # Builds of other versions in this precision: at most one is kept, so the cache stays bounded.
            prefix = cache.name.rsplit("-", 1)[0] + "-"
            for stale in cache.parent.glob(prefix + "*"):
                if stale != cache and stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
        except OSError:  # a full disk, a read-only cache: no half-written build is left behind
            if building is not None:
                shutil.rmtree(building, ignore_errors=True)
            return None
    return None


def session_in_memory(onnxruntime, graph, weights, stream: io.BytesIO, threads: int | None):
    """A session of `graph` whose weights file is `stream`'s bytes: each external initializer is handed to
    onnxruntime as an array over its slice of them (onnxruntime 1.23, the last for Python 3.10, cannot take
    a whole file from memory)."""
    from onnx import TensorProto

    options = _options(onnxruntime, threads)
    data = stream.getbuffer()
    names, values = [], []
    for tensor in graph.graph.initializer:
        if tensor.data_location == TensorProto.EXTERNAL:
            offset, _ = weights.placed[tensor.name]
            shape = weights.shapes[tensor.name]
            array = np.frombuffer(data, dtype=weights.dtypes[tensor.name], count=int(np.prod(shape)),
                                  offset=offset).reshape(shape)
            names.append(tensor.name)
            values.append(onnxruntime.OrtValue.ortvalue_from_numpy(array))
    options.add_external_initializers(names, values)
    session = onnxruntime.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
    session._spindetect_weights = data  # onnxruntime reads the arrays for as long as the session lives
    return session


def _sessions_from(onnxruntime, folder: Path, threads: int | None):
    """The body's and the head's sessions over the graphs `_write_graphs` left in `folder`."""
    return tuple(onnxruntime.InferenceSession(str(folder / name), _options(onnxruntime, threads),
                                              providers=["CPUExecutionProvider"]) for name in _GRAPH_FILES)


def _write_graphs(folder: Path, config: dict, tensors: Mapping[str, np.ndarray],
                  smoothing: Mapping[str, np.ndarray] | None) -> None:
    """body.onnx, head.onnx and their weights file in `folder`."""
    from ._graph import WeightsFile

    with (folder / "weights.bin").open("wb") as stream:
        graphs = _graphs(config, tensors, smoothing, WeightsFile(stream, "weights.bin"))
    for name, graph in zip(_GRAPH_FILES, graphs):
        (folder / name).write_bytes(graph.SerializeToString())


def _graphs(config: dict, tensors: Mapping[str, np.ndarray], smoothing: Mapping[str, np.ndarray] | None,
            weights):
    """The body and the head, their weights written to `weights` (the embedding once, for both)."""
    from ._graph import build_body, build_head

    return build_body(config, tensors, weights, smoothing), build_head(config, tensors, weights, smoothing)


def _options(onnxruntime, threads: int | None):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or 0  # 0: onnxruntime's default, one per physical core
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initializers are not the user's business
    return options
