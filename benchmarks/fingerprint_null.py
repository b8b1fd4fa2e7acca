"""How a learned spinner table reads originals it never saw: the fingerprint's null, binomial or bursty.

    python -m benchmarks.fingerprint_null [--family handbook] [--pages 100] [--split calib] [--seed 0]

A table (`SpinnerFingerprint.learn`) from `--pages` BBC train-split articles spun by `--family` at 30-60%
substitution and those articles as originals, as `spindetect train` learns it from a labelled batch. Then
read, with each null (`SpinnerFingerprint.read`: binomial as `fingerprint@1` reads, beta-binomial at
several concentrations as `fingerprint@2` reads), on up to 300 other articles of `--split` as originals
and on `--pages` articles of that split spun at 15%, 30%, 45% and 60%. For each null: the largest value
among the originals, their 99th percentile, and the share of spins above it (recall with 1% of originals
flagged). The concentration was chosen on the calib split; report test-split figures only after that.
No booster is involved and nothing from the corpora is kept. Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import random

import numpy as np

from spindetect.features.fingerprint import SpinnerFingerprint
from training.generators.spinners import spin
from training.jsonl import read_jsonl
from training.splits import corpora_dir, split_of

LEARN_RATES = (0.3, 0.45, 0.6)
MEASURE_RATES = (0.15, 0.3, 0.45, 0.6)
NULLS = {"binomial (fingerprint@1)": None, "beta-binomial 1": 1.0, "beta-binomial 2 (fingerprint@2)": 2.0,
         "beta-binomial 3": 3.0, "beta-binomial 10": 10.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="handbook")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--split", default="calib", choices=("calib", "test"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = list(read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl"))
    train = [a["text"] for a in articles if split_of(f"bbc:{a['id']}") == "train"][: args.pages]
    measured = [a["text"] for a in articles if split_of(f"bbc:{a['id']}") == args.split]
    spun = [spin(text, args.family, LEARN_RATES[i % len(LEARN_RATES)], rng).text for i, text in enumerate(train)]
    table = SpinnerFingerprint.learn(zip(train, spun), train)
    originals = measured[args.pages: args.pages + 300]
    spins = {rate: [spin(text, args.family, rate, rng).text for text in measured[: args.pages]]
             for rate in MEASURE_RATES}
    print(f"{args.family}: table of {len(table.replaces)} substitutions from {len(train)} train-split pairs; "
          f"read on {len(originals)} other {args.split}-split articles and {args.pages} spins of that split\n")
    print("| null | largest original | 99th percentile | " + " | ".join(f"recall {r:.0%}" for r in MEASURE_RATES)
          + " |")
    print("|---|---|---|" + "---|" * len(MEASURE_RATES))
    for name, concentration in NULLS.items():
        null = np.array([table.read(text, concentration)[0] for text in originals])
        bar = float(np.quantile(null, 0.99))
        recall = [np.mean([table.read(text, concentration)[0] > bar for text in spins[rate]]) for rate in MEASURE_RATES]
        print(f"| {name} | {null.max():.2f} | {bar:.2f} | " + " | ".join(f"{r:.2f}" for r in recall) + " |",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
