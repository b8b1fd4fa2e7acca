"""SmolLM2-135M's forward pass on onnxruntime: token ids in, hidden states and next-token log-probabilities
out, with a key/value cache so that a variant of a text reruns only the tokens after its change.

The graph is built in memory at load from the shipped weights (`_graph.py`); onnxruntime's CPU kernels
run it (fused attention with grouped-query heads, multi-threaded elementwise work) about twice as fast as
the numpy pass it replaced, which survives as the tests' reference (`tests/lm_reference.py`). Matrix
products run in float32: int8 products were measured faster still, and not taken, because the perplexity
did not hold (see `_graph.py` and the model card's speed section).

Thread use: onnxruntime's own pool, `threads` wide (default: one per core). A scoring worker of `--jobs N`
loads it with one thread (`SPINDETECT_LM_THREADS=1`, set by the worker), so N workers fill N cores instead
of fighting over them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ._graph import build_body, build_head
from ._weights import RESOURCE_PACKAGE, load_config, load_tensors

__all__ = ["MASKED", "RESOURCE_PACKAGE", "THREADS_VARIABLE", "KeyValueCache", "Transformer", "causal_mask"]

THREADS_VARIABLE = "SPINDETECT_LM_THREADS"
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


def causal_mask(batch: int, length: int, past: int = 0) -> np.ndarray:
    """The additive mask of a plain causal pass: each new position sees the `past` cached positions and
    the new positions up to itself. (batch, 1, length, past + length)."""
    mask = np.zeros((length, past + length), dtype=np.float32)
    mask[:, past:] = np.triu(np.full((length, length), MASKED, dtype=np.float32), 1)
    return np.broadcast_to(mask, (batch, 1, length, past + length))


class Transformer:
    """Read-only after construction; onnxruntime sessions may be run from several threads at once, so one
    instance serves every thread."""

    def __init__(self, config: dict, tensors: dict[str, np.ndarray], threads: int | None = None,
                 int8: frozenset[str] = frozenset()) -> None:
        """`int8` names products to run in int8 (`_graph.build_body`; "head" for the output head): for
        `benchmarks/lm_runtime.py` only, which measures what they cost in perplexity."""
        import onnxruntime

        self.config = config
        self.hidden = int(config["hidden"])
        self.heads = int(config["heads"])
        self.kv_heads = int(config["kv_heads"])
        self.head_dim = self.hidden // self.heads
        self.layers = int(config["layers"])
        self.start_token_id = int(config["start_token_id"])
        self.embedding = tensors["token_embd.weight"]  # (vocab, hidden) float32; also the output head
        self.vocab_size = self.embedding.shape[0]
        self.inverse_frequencies = float(config["rope_base"]) ** (
            -np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim)
        self._body, self._body_arrays = _session(onnxruntime, threads, *build_body(config, tensors, int8 - {"head"}))
        self._head, self._head_arrays = _session(onnxruntime, threads, *build_head(config, self.embedding, "head" in int8))
        self._empty_cache = KeyValueCache(
            tuple(np.zeros((1, self.kv_heads, 0, self.head_dim), np.float32) for _ in range(self.layers)),
            tuple(np.zeros((1, self.kv_heads, 0, self.head_dim), np.float32) for _ in range(self.layers)))

    @classmethod
    def load(cls, threads: int | None = None) -> Transformer:
        if threads is None and os.environ.get(THREADS_VARIABLE, "").strip():
            threads = int(os.environ[THREADS_VARIABLE])
        return cls(load_config(), load_tensors(), threads)

    def rotary(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """cos and sin of the rotary angles at integer `positions` (any shape) -> shape + (head_dim / 2,)."""
        angles = np.asarray(positions, dtype=np.float64)[..., None] * self.inverse_frequencies
        return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)

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


def _session(onnxruntime, threads: int | None, model, arrays):
    """A session whose weights are `arrays` themselves (the graph names them as external data); the arrays
    are returned too, since the session reads them for as long as it lives. Session options are consumed
    by the external initializers they carry, so each session gets its own."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or 0  # 0: onnxruntime's default, one per physical core
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initializers are not the user's business
    names = list(arrays)
    options.add_external_initializers(names, [onnxruntime.OrtValue.ortvalue_from_numpy(arrays[n]) for n in names])
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return session, arrays
