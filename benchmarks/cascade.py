"""Spinning recall and false positives of the cascade in its three modes, on the deep stage's test sample.

    python -m benchmarks.cascade [--corpus build/holdout.jsonl] [--model models/spindetect-default]

Documents: the test split of `training/deep_sample.py` (held-out spinner families `handbook` and
`distributional`, trained families for comparison, held-out sites' real pages, clean news, human
translations), plus spins of the same clean-news originals by the `embedding` family
(`training/generators/embedding_spinner.py`), which no model has seen in any form. Each mode flags as the
Detector does: the fast model, the deep stage on the documents sent to it (`send_above` from the deep
stage's manifest, or every document for `--deep`), and the cascade's rule for which verdict stands
(`Cascade.takes_deep`). Features come from the training feature cache (build/cache), so the language model
runs once per document across modes and runs. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from spindetect.learn import featurize_examples, stderr_progress
from spindetect.learn._trainer import Example
from spindetect.io._records import InputItem
from spindetect.model import load_model
from spindetect.model._cascade import DEEP_DIR, LM_FAMILY, load_deep_stage
from training.corpus_io import load_examples
from training.deep_sample import deep_sample
from training.train_deep import StageOutputs

EMBEDDING_RATES = (0.15, 0.3, 0.45, 0.6)
MODES = ("fast", "default", "deep")


def embedding_spins(examples: list[Example], seed: int) -> list[Example]:
    """One embedding-family spin of every clean BBC test original in the sample, at a rate from
    EMBEDDING_RATES (cycled, so each rate has a quarter of them)."""
    from training.generators.embedding_spinner import EmbeddingSpinner

    spinner = EmbeddingSpinner()
    rng = random.Random(seed)
    out = []
    originals = [ex for ex in examples if ex.split == "test" and ex.label == "original" and ex.source == "bbc"
                 and ex.generator == "plain"]
    for k, ex in enumerate(originals):
        rate = EMBEDDING_RATES[k % len(EMBEDDING_RATES)]
        result = spinner.spin(ex.item.text, rate, rng)
        doc_id = f"{ex.id}:embedding"
        out.append(Example(id=doc_id, item=InputItem(doc_id, f"bench:{doc_id}", text=result.text), label="spun",
                           group=ex.group, split="test", source=ex.source, generator="embedding",
                           extra={"heldout": True, "params": {"rate": rate, "achieved_rate": result.achieved_rate}}))
    return out


def rows_of(examples: list[Example], flags: dict[str, np.ndarray]) -> list[tuple[str, int, list[float]]]:
    label = np.array([ex.label for ex in examples])
    generator = np.array([ex.generator.split("+")[0] for ex in examples])
    rate = np.array([float(ex.extra.get("params", {}).get("rate") or 0.0) for ex in examples])
    group = np.array([ex.extra.get("fpr_group") or "" for ex in examples])
    rows = []
    spun = label == "spun"
    for family in ("handbook", "distributional", "embedding", "moby"):
        members = spun & np.char.startswith(generator, family)
        for name, part in ((f"recall, {family}, rate >= 0.3", members & (rate >= 0.3)),
                           (f"recall, {family}, rate < 0.3", members & (rate < 0.3))):
            if part.any():
                rows.append((name, int(part.sum()), [float(flags[m][part].mean()) for m in MODES]))
    for name, part in (("false positives, held-out real pages", group == "real pages"),
                       ("false positives, news with chrome (held-out sites, our chrome)", group == "news with chrome"),
                       ("false positives, clean news", group == "plain news"),
                       ("false positives, human translations", group == "human translations"),
                       ("false positives, WMT22 original English", group == "original English (WMT22)"),
                       ("recall, copies", label == "copy"), ("recall, machine translation", label == "translated"),
                       ("recall, LLM rewrites", label == "rewritten")):
        if part.any():
            rows.append((name, int(part.sum()), [float(flags[m][part].mean()) for m in MODES]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", type=Path, default=Path("models/spindetect-default"))
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    cascade = load_deep_stage(load_model(args.model))
    if cascade is None:
        raise SystemExit(f"{args.model} has no deep stage ({args.model / DEEP_DIR})")
    sample = [ex for ex in deep_sample(load_examples(args.corpus)) if ex.split == "test"]
    examples = sample + embedding_spins(sample, args.seed)
    keys = list(cascade.fast.manifest.feature_families) + [LM_FAMILY]
    X, errors = featurize_examples(examples, keys, cache_dir=args.cache, jobs=args.jobs,
                                   progress=stderr_progress("featurised"))
    keep = [i for i, e in enumerate(errors) if e is None]
    examples, X = [examples[i] for i in keep], X[keep]
    # Both stages once, on every row; each mode only changes which rows are sent (the Detector's rule).
    stages = StageOutputs.of(cascade.fast, cascade.deep, X[:, :len(cascade.fast.manifest.feature_names)], X)
    sent = {mode: cascade.sends(stages.fast_scores, stages.fast_flags, stages.fast_labels, mode) for mode in MODES}
    flags = {mode: stages.flags_when_sent(sent[mode]) for mode in MODES}
    print(f"send_above {cascade.send_above}; deep stage {cascade.deep.ref}; "
          f"{len(examples)} documents of the test sample\n")
    print("| measure | n | --fast | default | --deep |")
    print("|---|---|---|---|---|")
    for name, n, values in rows_of(examples, flags):
        print(f"| {name} | {n} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    originals = np.array([ex.label == "original" for ex in examples])
    print(f"| share of documents sent to the language model | {len(examples)} | "
          + " | ".join(f"{sent[m].mean():.3f}" for m in MODES) + " |")
    print(f"| share of originals sent to the language model | {int(originals.sum())} | "
          + " | ".join(f"{sent[m][originals].mean():.3f}" for m in MODES) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
