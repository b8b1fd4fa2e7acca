"""Retraining on a spinner the model never saw: recall on new pages of it, before and after, in each mode.

    python -m benchmarks.retrain_spinner [--family handbook] [--pages 100]

Issue #12's retraining figure: a labelled batch of `--pages` pages spun by a held-out family (30-60%
substitution) plus as many originals, all from BBC `train`-split articles; `train --base default` on it
(which refits the fast model and, beside it, the deep stage); then recall on `--pages` new pages of that
family spun from `test`-split articles, and false positives on their originals, for the base and the
retrained model in each mode. Nothing from the corpora is kept. Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import numpy as np

from spindetect import Detector
from spindetect.learn import read_batch
from spindetect.learn._retrain import retrain
from spindetect.model import load_model
from training.generators.spinners import spin
from training.jsonl import read_jsonl
from training.splits import corpora_dir, split_of

RATES = (0.3, 0.45, 0.6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="handbook")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = list(read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl"))
    by_split = {name: [a for a in articles if split_of(f"bbc:{a['id']}") == name] for name in ("train", "test")}
    train, test = by_split["train"][: 2 * args.pages], by_split["test"][: 2 * args.pages]
    n = args.pages

    def spins(docs):
        return [spin(a["text"], args.family, RATES[i % len(RATES)], rng).text for i, a in enumerate(docs)]

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as out:
            for i, text in enumerate(spins(train[:n])):
                out.write(json.dumps({"id": f"s{i}", "text": text, "label": "spun", "group": f"g{i}"}) + "\n")
            for i, article in enumerate(train[n:2 * n]):
                out.write(json.dumps({"id": f"o{i}", "text": article["text"], "label": "original",
                                      "group": f"h{i}"}) + "\n")
        base = load_model(None)
        retrained = load_model(retrain(read_batch([batch]), Path(tmp) / "model", base=base, seed=args.seed,
                                       progress=False).path)
        new_spins, new_originals = spins(test[:n]), [a["text"] for a in test[n:2 * n]]
        print(f"{n} {args.family} spins + {n} originals retrained on; measured on {n} new spins and {n} new "
              f"originals (BBC test split), rates {RATES}\n")
        print("| model | mode | recall on new spins | false positives on new originals |")
        print("|---|---|---|---|")
        for name, model in (("base", base), ("retrained", retrained)):
            for mode in ("fast", "default", "deep"):
                detector = Detector(model, mode=mode)
                recall = np.mean([v.flagged for v in detector.score_many(new_spins)])
                fpr = np.mean([v.flagged for v in detector.score_many(new_originals)])
                print(f"| {name} ({model.ref}) | {mode} | {recall:.3f} | {fpr:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
