"""The held-out table for several models on the same documents, real material included (issue #11).

    python -m training.build_corpus --out build/holdout.jsonl
    python -m benchmarks.real_world --corpus build/holdout.jsonl --model build/holdout-model \
        --baseline build/baseline-model [--json build/real_world.json]

Every `test`-split document of the held-out build (story groups, sites and WMT22 documents never trained
or calibrated on; held-out generator families, residue, language pair and MT systems) is featurised with
each model's own feature families (through the training feature cache, `--cache`) and scored without an
index, as `spindetect score` would without `--index`. Prints one Markdown table: each row of
`training.heldout` for every model, side by side. `--baseline` is the model to compare with, e.g. a copy of
the previously shipped model. "With index" rows need the index and are left to `train_default`. Reads
../shared/corpora only through the built corpus; never asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from spindetect.learn import featurize_examples, stderr_progress
from spindetect.model import load_model
from training.corpus_io import load_examples
from training.heldout import heldout_rows


def features_without_index(model, examples, cache: Path, jobs: int) -> tuple[list, np.ndarray]:
    """The examples that featurise, and their features for `model` as scored without an index: the cache
    holds the `source.*` values of the held-out build's with-index half, which are blanked here."""
    X, errors = featurize_examples(
        examples,
        model.manifest.feature_families,
        states=model.family_states,
        cache_dir=cache,
        jobs=jobs,
        progress=stderr_progress(f"featurised for {model.ref}"),
    )
    names = model.manifest.feature_names
    X[:, [i for i, name in enumerate(names) if name.startswith("source.")]] = np.nan  # no index
    keep = [i for i, error in enumerate(errors) if error is None]
    return [examples[i] for i in keep], X[keep]


def measure(model_path: str, examples, cache: Path, jobs: int) -> tuple[str, list[dict]]:
    model = load_model(model_path)
    kept, X = features_without_index(model, examples, cache, jobs)
    for example in kept:
        example.extra.pop("with_index", None)
    decisions = model.decide(X)
    return model.ref, heldout_rows(kept, decisions.scores, decisions.flagged)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", required=True, help="model directory or name to measure")
    parser.add_argument(
        "--baseline",
        action="append",
        default=[],
        help="model(s) to compare with on the same documents (repeatable)",
    )
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args()
    examples = [ex for ex in load_examples(args.corpus) if ex.split == "test"]
    columns = [measure(path, examples, args.cache, args.jobs) for path in [*args.baseline, args.model]]
    print(f"Test split of {args.corpus} ({len(examples)} documents), scored without an index.\n")
    print("| measure | held out by | goal | n | " + " | ".join(ref for ref, _ in columns) + " |")
    print("|---|---|---|---|" + "---|" * len(columns))
    for index, row in enumerate(columns[-1][1]):
        if row["measure"].startswith("with index"):
            continue
        cells = [
            "n/a" if rows[index]["value"] is None else f"{rows[index]['value']:.3f}" for _, rows in columns
        ]
        print(
            f"| {row['measure']} | {row['heldout']} | {row['goal']} | {row['n']} | "
            + " | ".join(cells)
            + " |"
        )
    if args.json:
        args.json.write_text(json.dumps({ref: rows for ref, rows in columns}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
