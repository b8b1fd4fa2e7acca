"""Farm residue on real chrome, split by split, and how much signature weight the originals carry (issue #11).

    python -m benchmarks.residue_recall [--corpus build/holdout.jsonl] [--model models/spindetect-default]

The held-out table measures farm copies built on real pages' chrome on the `test` split's sites only. This
prints the same recall (without an index) on every split, for the residue wording the registry knows, so a
test figure can be read against the sites the model was fitted and calibrated on; and, for every group of
originals and for those farm copies, how often `boilerplate.residue_weight` (the summed weight of the
distinct signatures of what a farm adds) reaches 0.5, 1 and 2, and what share of each is flagged. It shows
whether a page that carries strong residue is flagged: the question behind a rule that lets a verified
signature decide.

Features come from the training cache (`--cache`), so after a held-out build and fit it takes about a
minute. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from benchmarks.real_world import features_without_index
from spindetect.model import RESIDUE_FEATURE, load_model
from training.corpus_io import load_examples

RESIDUE_LEVELS = (0.5, 1.0, 2.0)


def group_of(example) -> str | None:
    """The row's group: a group of originals, or farm copies on real chrome by split (trained wording)."""
    if example.label == "original":
        return f"originals: {example.extra.get('fpr_group') or 'other'} ({example.split})"
    if example.label == "copy" and example.generator.startswith("farm_real") and not example.extra.get("heldout"):
        return f"farm residue on real chrome, trained wording ({example.split})"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", type=Path, default=Path("models/spindetect-default"))
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    model = load_model(args.model)
    examples = [ex for ex in load_examples(args.corpus) if group_of(ex)]
    examples, X = features_without_index(model, examples, args.cache, args.jobs)
    flagged = model.decide(X).flagged
    residue = X[:, model.manifest.feature_names.index(RESIDUE_FEATURE)]
    rows: dict[str, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        rows[group_of(ex)].append(i)

    print(f"{args.model} on {args.corpus}, without an index\n")
    print("| group | n | flagged | " + " | ".join(f"residue ≥ {level}: share / flagged" for level in RESIDUE_LEVELS)
          + " |")
    print("|---|---|---|" + "---|" * len(RESIDUE_LEVELS))
    for group in sorted(rows):
        members = np.array(rows[group])
        cells = []
        for level in RESIDUE_LEVELS:
            strong = members[residue[members] >= level]
            share = len(strong) / len(members)
            cells.append(f"{share:.3f} / {flagged[strong].mean():.3f}" if len(strong) else f"{share:.3f} / —")
        print(f"| {group} | {len(members)} | {flagged[members].mean():.3f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
