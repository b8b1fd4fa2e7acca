"""The reference forward pass of SmolLM2-135M, in plain numpy: what spindetect ran before its onnxruntime
graph (`spindetect/lm/_graph.py`), kept to check that graph against (`tests/test_lm_runtime.py`) and to
measure it against (`benchmarks/lm_runtime.py`).

The architecture is Llama's: RMSNorm, grouped-query attention with rotary positions (adjacent pairs, the
GGUF layout), a SwiGLU MLP, and the token embedding reused as the output head; float32 throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spindetect.lm._weights import load_config, load_tensors


@dataclass(frozen=True)
class _Layer:
    attn_norm: np.ndarray
    qkv: np.ndarray  # (576 + 192 + 192, 576): the three projections as one product
    attn_out: np.ndarray
    ffn_norm: np.ndarray
    gate_up: np.ndarray  # (2 * 1536, 576)
    down: np.ndarray


class ReferenceTransformer:
    """The shipped weights, dequantised to float32, run by numpy."""

    def __init__(self, config: dict, tensors: dict[str, np.ndarray]) -> None:
        self.config = config
        self.hidden = int(config["hidden"])
        self.heads = int(config["heads"])
        self.kv_heads = int(config["kv_heads"])
        self.head_dim = self.hidden // self.heads
        self.eps = float(config["norm_eps"])
        self.start_token_id = int(config["start_token_id"])
        self.embedding = tensors["token_embd.weight"]
        self.output_norm = tensors["output_norm.weight"]
        self.layers = [
            _Layer(
                attn_norm=tensors[f"blk.{i}.attn_norm.weight"],
                qkv=np.concatenate([tensors[f"blk.{i}.attn_{p}.weight"] for p in "qkv"]),
                attn_out=tensors[f"blk.{i}.attn_output.weight"],
                ffn_norm=tensors[f"blk.{i}.ffn_norm.weight"],
                gate_up=np.concatenate([tensors[f"blk.{i}.ffn_gate.weight"], tensors[f"blk.{i}.ffn_up.weight"]]),
                down=tensors[f"blk.{i}.ffn_down.weight"],
            )
            for i in range(int(config["layers"]))
        ]
        self.inverse_frequencies = float(config["rope_base"]) ** (
            -np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim)
        self.vocab_size = self.embedding.shape[0]

    @classmethod
    def load(cls) -> ReferenceTransformer:
        return cls(load_config(), load_tensors())

    def _rms_norm(self, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
        return x * (1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps)) * weight

    def _rotary(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        angles = np.arange(length, dtype=np.float64)[:, None] * self.inverse_frequencies[None, :]
        return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)

    @staticmethod
    def _rotate(x: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
        # x: (batch, heads, length, head_dim); adjacent pairs (2i, 2i + 1) rotate together (GGUF layout).
        even, odd = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = even * cos - odd * sin
        out[..., 1::2] = even * sin + odd * cos
        return out

    def hidden_states(self, token_ids: np.ndarray) -> np.ndarray:
        """(batch, length) token ids -> (batch, length, hidden) final normalised states.

        Every row is its own causal sequence; rows padded at the end give exact states for their real
        positions, since no position attends to a later one."""
        batch, length = token_ids.shape
        h, kv, d = self.heads, self.kv_heads, self.head_dim
        x = self.embedding[token_ids].reshape(batch * length, self.hidden)
        cos, sin = self._rotary(length)
        causal = np.triu(np.full((length, length), -np.inf, dtype=np.float32), 1)
        q_size, k_size = h * d, kv * d
        for layer in self.layers:
            qkv = self._rms_norm(x, layer.attn_norm) @ layer.qkv.T
            q = qkv[:, :q_size].reshape(batch, length, h, d).transpose(0, 2, 1, 3)
            k = qkv[:, q_size:q_size + k_size].reshape(batch, length, kv, d).transpose(0, 2, 1, 3)
            v = qkv[:, q_size + k_size:].reshape(batch, length, kv, d).transpose(0, 2, 1, 3)
            q, k = self._rotate(q, cos, sin), self._rotate(k, cos, sin)
            # Grouped-query attention: each key/value head serves h / kv query heads, stacked here as rows of
            # one (group * length, d) matrix, so every product is a plain batched BLAS call (numpy's
            # broadcasting matmul over a group axis was 5x slower).
            group = h // kv
            q = q.reshape(batch * kv, group * length, d)
            k = k.reshape(batch * kv, length, d)
            v = np.ascontiguousarray(v).reshape(batch * kv, length, d)
            # A Python float: a numpy float64 scalar would promote every later product to float64.
            scores = q @ k.transpose(0, 2, 1) * float(d) ** -0.5
            scores = scores.reshape(batch * kv, group, length, length) + causal
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            attended = scores.reshape(batch * kv, group * length, length) @ v
            attended = attended.reshape(batch, h, length, d).transpose(0, 2, 1, 3)
            x = x + attended.reshape(batch * length, q_size) @ layer.attn_out.T
            gate_up = self._rms_norm(x, layer.ffn_norm) @ layer.gate_up.T
            gate, up = np.split(gate_up, 2, axis=1)
            x = x + ((gate / (1.0 + np.exp(-gate))) * up) @ layer.down.T
        return self._rms_norm(x, self.output_norm).reshape(batch, length, self.hidden)

    def log_probabilities(self, states: np.ndarray) -> np.ndarray:
        """(n, hidden) states -> (n, vocab) next-token log-probabilities."""
        logits = states @ self.embedding.T
        logits -= logits.max(axis=1, keepdims=True)
        logits -= np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return logits
