"""The language model's runtime: tokens per second and perplexity of each way of running it.

    python -m benchmarks.lm_runtime [--docs 40]

Documents: the first `--docs` BBC articles of the held-out `test` split (`training.build_corpus.load_bbc`),
their first 256 tokens each. Nothing from the corpus is kept.

- **full pass**: one window of 257 tokens (the start token and 256), batch of one, as the scorer runs it;
- **suffix pass**: the rescoring shape: 16 variants of one window, each changed at its own token and
  rerun from there to the window's end (on average ~20 tokens), in one call on the window's key/value
  cache. The numpy reference has no cache, so for it the row is a full recompute of each variant;
  tokens per second count only the suffix tokens either way;
- **perplexity** of the held-out articles under each runtime (the reference's is the model's own), and
  the mean absolute change in a token's log-probability against the reference;
- **batching across documents** (second table): the int8 body's tokens per second when full 257-token
  windows of different documents run together, `BATCHES` at a time.

Rows: the numpy reference (`training/lm_reference.py`, what spindetect ran before), onnxruntime in
float32 (what `lm@3` and older deep stages read), and onnxruntime with int8 products
(`spindetect/lm/_graph.py`: 7-bit weights per output channel, activations per token, the shipped smoothing
factors), what scoring uses. One and two threads (numpy's BLAS threads for the reference, onnxruntime's
pool otherwise). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits

from spindetect.lm import language_model
from spindetect.lm._transformer import MASKED, Transformer, causal_mask
from spindetect.lm._weights import load_config, load_smoothing, load_tensors
from training.build_corpus import load_bbc
from training.lm_reference import ReferenceTransformer

WINDOW = 256
VARIANTS = 16
REPEATS = 3
BATCHES = (1, 2, 4, 8)
RUNTIMES = (
    ("numpy reference (before)", None),
    ("onnxruntime, float32 (lm@3 and older)", "float32"),
    ("onnxruntime, int8 products and head (lm@4, what scoring uses)", "int8"),
)


def _windows(docs: int) -> list[np.ndarray]:
    lm = language_model()
    articles = [s for s in load_bbc(None) if s.split == "test"][:docs]
    return [np.array([lm.transformer.start_token_id] + lm.tokenizer.encode(a.article.body).ids[:WINDOW])
            for a in articles]


def _suffix_batch(ids: np.ndarray, length: int, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """VARIANTS rows, each with one token replaced at a late place, rerun from there on the cache."""
    n = len(ids)
    changes = np.sort(rng.choice(np.arange(n - 40, n - 2), size=VARIANTS, replace=False))
    width = n - changes.min()
    tokens = np.zeros((VARIANTS, width), np.int64)
    positions = np.full((VARIANTS, width), n, np.int64)
    mask = np.full((VARIANTS, 1, width, n + width), MASKED, np.float32)
    for row, at in enumerate(changes):
        variant = ids.copy()
        variant[at] = ids[at - 1]
        tokens[row, :n - at] = variant[at:]
        positions[row, :n - at] = np.arange(at, n)
        mask[row, 0, :, :at] = 0.0
        mask[row, 0, :, n:] = causal_mask(1, width)[0, 0]
    return tokens, positions, mask, int((n - changes).sum())


def _nll(logprobs: np.ndarray, ids: np.ndarray) -> np.ndarray:
    return -logprobs[np.arange(len(ids) - 1), ids[1:]]


def measure(name, runtime, windows, reference_nll, threads):
    rng = np.random.default_rng(0)
    timed = windows[:4]
    with threadpool_limits(threads, user_api="blas"):
        start = time.perf_counter()
        for _ in range(REPEATS):
            for ids in timed:
                runtime.hidden_states(ids[None])
        full = REPEATS * sum(len(ids) for ids in timed) / (time.perf_counter() - start)
        suffix_tokens, start = 0, time.perf_counter()
        for ids in timed:
            tokens, positions, mask, counted = _suffix_batch(ids, len(ids), rng)
            suffix_tokens += counted
            if isinstance(runtime, ReferenceTransformer):
                for row in range(VARIANTS):  # no cache: each variant from its start
                    keep = positions[row] < len(ids)
                    at = int(positions[row, 0])
                    runtime.hidden_states(np.concatenate([ids[:at], tokens[row, keep]])[None])
            else:
                _, cache = runtime.forward(ids[None])
                runtime.forward(tokens, positions=positions, mask=mask, cache=cache)
        suffix = suffix_tokens / (time.perf_counter() - start)
    nll = np.concatenate([_nll(runtime.log_probabilities(runtime.hidden_states(ids[None])[0, :-1]), ids)
                          for ids in windows]) if threads == 2 else None
    return full, suffix, nll


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40)
    args = parser.parse_args()
    windows = _windows(args.docs)
    config, tensors = load_config(), load_tensors()
    rows, reference_nll = [], None
    for name, precision in RUNTIMES:
        figures = {}
        for threads in (1, 2):
            runtime = ReferenceTransformer(config, tensors) if precision is None else Transformer(
                config, tensors, threads=threads, smoothing=load_smoothing() if precision == "int8" else None)
            figures[threads] = measure(name, runtime, windows, reference_nll, threads)
        nll = figures[2][2]
        if reference_nll is None:
            reference_nll = nll
        rows.append((name, figures[1][0], figures[2][0], figures[1][1], figures[2][1], float(np.exp(nll.mean())),
                     float(np.abs(nll - reference_nll).mean())))
    tokens = sum(len(w) - 1 for w in windows)
    print(f"{len(windows)} held-out BBC articles, {tokens} scored tokens\n")
    print("| runtime | full pass, tokens/s, 1 / 2 threads | suffix pass, tokens/s, 1 / 2 threads "
          "| perplexity | mean abs. change of a token's log p (nats) |")
    print("|---|---|---|---|---|")
    for name, f1, f2, s1, s2, ppl, change in rows:
        print(f"| {name} | {f1:.0f} / {f2:.0f} | {s1:.0f} / {s2:.0f} | {ppl:.3f} | {change:.4f} |")
    full = [w for w in windows if len(w) == WINDOW + 1]
    print(f"\nBatching windows of different documents (int8 body, {len(full)} full windows)\n")
    print("| windows per call | tokens/s, 1 thread | tokens/s, 2 threads |")
    print("|---|---|---|")
    figures = {threads: batch_throughput(Transformer(config, tensors, threads=threads, smoothing=load_smoothing()),
                                         full) for threads in (1, 2)}
    for batch in BATCHES:
        print(f"| {batch} | {figures[1][batch]:.0f} | {figures[2][batch]:.0f} |")
    return 0


def batch_throughput(runtime: Transformer, windows: list[np.ndarray]) -> dict[int, float]:
    """Tokens per second of the body over `windows`, run BATCHES[i] windows per call."""
    out = {}
    for batch in BATCHES:
        runtime.hidden_states(np.stack(windows[:batch]))
        start = time.perf_counter()
        for _ in range(REPEATS):
            for i in range(0, len(windows) - batch + 1, batch):
                runtime.hidden_states(np.stack(windows[i:i + batch]))
        done = REPEATS * (len(windows) // batch) * batch
        out[batch] = done * len(windows[0]) / (time.perf_counter() - start)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
