"""Real material, held out: real pages of held-out sites, real chrome, farm residue on it, real MT (issue #11).

    python -m training.build_corpus --out build/holdout.jsonl
    python -m benchmarks.real_world --corpus build/holdout.jsonl --model build/holdout-model \
        --baseline build/baseline-model [--json build/real_world.json]

Scores the `test`-split documents of the held-out build that are built on real material (real pages of
held-out sites as HTML and text; news transplanted into their chrome, with and without farm residue; our
chrome-only templates; WMT22 documents of the held-out pair and held-out systems; human translations) with
each model, without an index, and prints one Markdown table: every figure for both models on the same
documents. `--baseline` is the model to compare with (e.g. a copy of the previously shipped model). Reads
../shared/corpora through the built corpus; never asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from spindetect import Detector
from training.corpus_io import load_examples
from training.heldout import real_world_rows

REAL_WORLD_GENERATORS = ("real_page", "real_chrome", "farm_real", "chrome:", "wmt")


def is_real_world(example) -> bool:
    return example.split == "test" and (example.generator.startswith(REAL_WORLD_GENERATORS)
                                        or example.generator == "human_translation")


def score(model: str, examples) -> tuple[np.ndarray, np.ndarray, str]:
    detector = Detector.load(model)
    verdicts = list(detector.score_many([ex.item for ex in examples]))
    scores = np.array([v.score if v.score is not None else np.nan for v in verdicts], dtype=float)
    flagged = np.array([bool(v.flagged) for v in verdicts])
    return scores, flagged, detector.model_ref


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", required=True, help="model directory or name to measure")
    parser.add_argument("--baseline", default=None, help="model to compare with on the same documents")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args()
    examples = [ex for ex in load_examples(args.corpus) if is_real_world(ex)]
    test = np.ones(len(examples), dtype=bool)
    columns = []
    for model in [m for m in (args.baseline, args.model) if m]:
        scores, flagged, ref = score(model, examples)
        # An unscored document (error or unsupported language) counts as not flagged, and is left out of AUCs.
        scored = ~np.isnan(scores)
        rows = real_world_rows(examples, np.nan_to_num(scores, nan=0.0), flagged, test & scored)
        columns.append((ref, rows, int((~scored).sum())))
    print(f"Real-world held-out documents (test split of {args.corpus}, n={len(examples)}), scored without "
          "an index.\n")
    print("| measure | held out | goal | n | " + " | ".join(ref for ref, _, _ in columns) + " |")
    print("|---|---|---|---|" + "---|" * len(columns))
    for index, row in enumerate(columns[-1][1]):
        values = [rows[index]["value"] for _, rows, _ in columns]
        cells = ["n/a" if v is None else f"{v:.3f}" for v in values]
        print(f"| {row['measure']} | {row['heldout']} | {row['goal']} | {row['n']} | " + " | ".join(cells) + " |")
    for ref, _, unscored in columns:
        print(f"\n{ref}: {unscored} documents unscored (non-English or errors), counted as not flagged.")
    if args.json:
        args.json.write_text(json.dumps({ref: rows for ref, rows, _ in columns}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
