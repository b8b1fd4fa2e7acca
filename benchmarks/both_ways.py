"""Both-ways readings of the language model: how well rescoring the rest of the sentence separates spun text
from originals, next to the left-to-right gap alone, by spinner family and tokens read.

    python -m benchmarks.both_ways --out build/both_ways.jsonl [--max-tokens 256] [--rescore 16]
    python -m benchmarks.both_ways --analyse build/both_ways.jsonl

Documents: the test split of the deep stage's sample (`training/deep_sample.py`: held-out spinner families
`handbook` and `distributional`, the trained `moby` families, held-out sites' real pages, clean news, news with
chrome, human translations, original English) plus `embedding`-family spins of its clean news
(`benchmarks/cascade.py`). The first pass writes every rescored word's left gap and rest_delta per document
(`WordScorer.read(..., rescore=N)`); the analysis prints, per document score, the AUC against the originals
and the recall at the largest threshold that keeps every group of originals at or under 1% (the threshold
chosen on these documents: a ceiling, comparable between scores, not a result). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path

import numpy as np

TOP = 4


def _init_worker(max_rest: int, rerun_own: bool) -> None:
    os.environ["SPINDETECT_LM_THREADS"] = "1"
    from spindetect.lm import _rescoring, _scoring

    # Variants of the shipped reading, to measure what each choice costs and earns.
    _scoring.MAX_REST = _rescoring.MAX_REST = max_rest
    if not rerun_own:
        _scoring.rest_deltas = _rest_deltas_from_the_full_pass


def _rest_deltas_from_the_full_pass(transformer, window, cache, candidates):
    """rest_deltas with the text's own continuation read from a full pass instead of rerun along the
    variant's path (what the module docstring of `lm._rescoring` says this would cost in noise)."""
    states = transformer.hidden_states(window[None])[0]
    out = []
    for c in candidates:
        rest = window[c.last + 1:c.rest_end]
        if len(rest) == 0:
            out.append(math.nan)
            continue
        own = transformer.log_probabilities(states[c.last:c.rest_end - 1])[np.arange(len(rest)), rest].sum()
        out.append(_variant_only(transformer, window, cache, c) - float(own))
    return np.array(out)


def _variant_only(transformer, window, cache, c) -> float:
    from spindetect.lm._transformer import MASKED

    rest = window[c.last + 1:c.rest_end]
    fed = np.concatenate([[c.token], rest[:-1]])
    past, length = cache.length, len(fed)
    mask = np.full((1, 1, length, past + length), MASKED, dtype=np.float32)
    mask[0, 0, :, :c.first] = 0.0
    mask[0, 0, :, past:] = np.triu(np.full((length, length), MASKED, dtype=np.float32), 1)
    states, _ = transformer.forward(fed[None], positions=(c.first + np.arange(length))[None], mask=mask, cache=cache)
    return float(transformer.log_probabilities(states[0])[np.arange(length), rest].sum())


def _read(job):
    from spindetect.lm import language_model
    from spindetect.pipeline import prepare_document

    meta, item, max_tokens, rescore = job
    try:
        text = prepare_document(item, 2_000_000).text
    except Exception as exc:  # noqa: BLE001 - an experiment: a document that fails is reported and skipped
        return {**meta, "error": repr(exc)}
    start = time.perf_counter()
    words, _ = language_model().read(text, max_tokens, rescore)
    seconds = time.perf_counter() - start
    return {**meta, "seconds": seconds, "tokens": min(max_tokens, len(language_model().tokenizer.encode(text).ids)),
            "words": len(words),
            "gaps": [round(w.synonym_gap, 3) for w in words if not math.isnan(w.synonym_gap)],
            "surprise": [round(w.surprise_gap, 3) for w in words],
            "rescored": [[round(w.synonym_gap, 3), round(w.rest_delta, 3)] for w in words
                         if not math.isnan(w.rest_delta)]}


def collect(args) -> None:
    from benchmarks.cascade import embedding_spins
    from training.corpus_io import load_examples
    from training.deep_sample import deep_sample

    corpus = load_examples(args.corpus)
    sample = [ex for ex in deep_sample(corpus) if ex.split == "test"]
    examples = sample + embedding_spins(sample, 0)
    if args.limit:
        examples = examples[:: max(1, len(examples) // args.limit)]
    jobs = [({"id": ex.id, "label": ex.label, "group": ex.extra.get("fpr_group") or "",
              "generator": ex.generator, "rate": (ex.extra.get("params") or {}).get("rate")},
             ex.item, args.max_tokens, args.rescore) for ex in examples]
    done = 0
    with get_context("spawn").Pool(args.jobs, initializer=_init_worker,
                                   initargs=(args.max_rest, not args.no_rerun)) as pool, args.out.open("w") as out:
        for record in pool.imap(_read, jobs, chunksize=4):
            out.write(json.dumps(record) + "\n")
            done += 1
            if done % 50 == 0:
                print(f"{done}/{len(jobs)}", flush=True)


def _top_mean(values, k=TOP) -> float:
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return math.nan
    k = min(k, len(values))
    return float(np.mean(np.sort(values)[-k:]))


def _top_share_mean(values, share=0.1) -> float:
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return math.nan
    return _top_mean(values, max(1, math.ceil(share * len(values))))


SCORES = {
    "left gap: top 10% mean (today's synonym_gap_top_mean)": lambda r: _top_share_mean(r["gaps"]),
    "left gap of rescored words: top-4 mean": lambda r: _top_mean([g for g, _ in r["rescored"]]),
    "rest_delta: top-4 mean": lambda r: _top_mean([d for _, d in r["rescored"]]),
    "both ways (gap + rest_delta): top-4 mean": lambda r: _top_mean([g + d for g, d in r["rescored"]]),
    "both ways, words with gap >= 2.3: top-4 mean of rest_delta": lambda r: _top_mean(
        [d for g, d in r["rescored"] if g >= 2.3]),
    "share of content words confirmed (gap >= 2.3, rest_delta >= 0)": lambda r: sum(
        1 for g, d in r["rescored"] if g >= 2.3 and d >= 0) / max(1, r["words"]),
    "share confirmed (gap + rest_delta >= 6)": lambda r: sum(
        1 for g, d in r["rescored"] if g + d >= 6) / max(1, r["words"]),
}


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(np.r_[np.ones(len(positive)), np.zeros(len(negative))], np.r_[positive, negative]))


def _family(record) -> str:
    generator = record["generator"]
    for name in ("handbook", "distributional", "embedding", "moby"):
        if generator.startswith(name):
            return name
    return generator


def analyse(path: Path) -> None:
    records = [json.loads(line) for line in path.open() if '"error"' not in line]
    originals = [r for r in records if r["label"] == "original"]
    groups = sorted({r["group"] for r in originals})
    spins = [r for r in records if r["label"] == "spun"]
    print(f"{len(records)} documents: {len(originals)} originals ({', '.join(groups)}), {len(spins)} spins; "
          f"{np.mean([r['tokens'] for r in records]):.0f} tokens read, "
          f"{np.mean([r['seconds'] for r in records]):.2f} s a document on one thread\n")
    cells = defaultdict(dict)
    columns = []
    for name, score in SCORES.items():
        values = {r["id"]: score(r) for r in records}
        neg = np.nan_to_num(np.array([values[r["id"]] for r in originals]), nan=-1e9)
        # the ceiling threshold: every group of originals at <= 1% above it
        threshold = max(np.quantile(np.nan_to_num([values[r["id"]] for r in originals if r["group"] == g],
                                                  nan=-1e9), 0.99, method="higher") for g in groups)
        for family in ("handbook", "distributional", "embedding", "moby"):
            for low, high, band in ((0.1, 0.25, "15-25%"), (0.25, 1.01, ">=25%")):
                chosen = [r for r in spins if _family(r) == family and r["rate"] is not None
                          and low <= r["rate"] < high]
                if not chosen:
                    continue
                pos = np.nan_to_num(np.array([values[r["id"]] for r in chosen]), nan=-1e9)
                column = f"{family} {band} (n={len(chosen)})"
                if column not in columns:
                    columns.append(column)
                cells[name][column] = f"{_auc(pos, neg):.3f} / {(pos > threshold).mean():.2f}"
    print("AUC against all originals / recall at the ceiling threshold (every group of originals <= 1%)\n")
    print("| score | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name in SCORES:
        print(f"| {name} | " + " | ".join(cells[name].get(c, "") for c in columns) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("build/both_ways.jsonl"))
    parser.add_argument("--analyse", type=Path)
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--rescore", type=int, default=16)
    parser.add_argument("--max-rest", type=int, default=24, help="tokens of the rest of a sentence read at most")
    parser.add_argument("--no-rerun", action="store_true",
                        help="read the text's own continuation from the full pass, not rerun beside the variant")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="read about this many documents (0: all)")
    args = parser.parse_args()
    if args.analyse:
        analyse(args.analyse)
    else:
        collect(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
