"""Train the shipped default model from the built corpus and write it to models/spindetect-default.

    python training/build_corpus.py --out build/corpus.jsonl
    python training/train_default.py --corpus build/corpus.jsonl --out models/spindetect-default

Trains on split `train`, calibrates and sets the threshold on split `calib` (held-out generator families
never enter either), then measures the held-out table on split `test` and writes it into the manifest and
the model card.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spindetect  # noqa: E402
from spindetect.features import registry  # noqa: E402
from spindetect.metrics import binary_report  # noqa: E402
from spindetect.model import DEFAULT_MODEL_NAME, LABELS, Manifest, Model, TrainingData, save_model  # noqa: E402
from spindetect.model_card import render_model_card  # noqa: E402
from spindetect.trainer import (  # noqa: E402
    DEFAULT_ROUNDS, data_digest, describe_counts, featurize_examples, fit_classifier, label_indices,
    library_versions, stderr_progress,
)
from training.corpus_io import load_examples  # noqa: E402
from training.heldout import format_rows, heldout_rows  # noqa: E402

DATA_NOTES = (
    "Built by `training/build_corpus.py` from `../shared/corpora` (provenance and licences in "
    "`data/README.md`); no corpus text is stored in this repository or in the model. Originals: BBC News "
    "2004-05 (train split), LLMFake human originals, Europarl original-English and human-translated "
    "sentences grouped into pseudo-documents, plus hard negatives (legitimate site chrome, wire copy). Copy: "
    "originals wrapped in our own page-furniture templates (text and HTML). Spun: originals through our own "
    "spinners (Moby-thesaurus naive, rare-preferring, inflection-aware and phrase-level, 10-70% "
    "substitution). Translated: Europarl German-to-English machine translations by several systems. "
    "Rewritten: LLMFake and SheepDog LLM paraphrases and restyles. Split by group (every version of a story "
    "on one side); whole generator families held out for measuring only (see training/splits.py).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("build/corpus.jsonl"))
    parser.add_argument("--out", type=Path, default=Path("models") / DEFAULT_MODEL_NAME)
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--version", default=spindetect.__version__)
    args = parser.parse_args(argv)

    examples = load_examples(args.corpus)
    family_keys = list(registry.DEFAULT_FAMILIES)
    X, errors = featurize_examples(examples, family_keys, cache_dir=args.cache, jobs=args.jobs,
                                   progress=stderr_progress("featurised"))
    keep = [i for i, e in enumerate(errors) if e is None]
    if len(keep) < len(examples):
        print(f"dropped {len(examples) - len(keep)} documents that failed to featurise", file=sys.stderr)
    examples = [examples[i] for i in keep]
    X = X[keep]
    y = label_indices([ex.label for ex in examples])
    heldout = np.array([bool(ex.extra.get("heldout")) for ex in examples])
    split = np.array([ex.split for ex in examples])
    train, calib = (split == "train") & ~heldout, (split == "calib") & ~heldout
    clean_news = np.array([ex.clean_news for ex in examples])

    names = registry.feature_names(registry.build(family_keys))
    fit = fit_classifier(X, y, train=train, calib=calib, clean_news=clean_news, feature_names=names,
                         seed=args.seed, rounds=args.rounds, progress=stderr_progress("boosting rounds"))
    manifest = Manifest(
        name=DEFAULT_MODEL_NAME, version=args.version, labels=list(LABELS), feature_families=family_keys,
        feature_names=names, threshold=fit.threshold, calibration=fit.calibration, seed=args.seed,
        training_data_sha256=data_digest([ex for ex, t in zip(examples, train | calib) if t]),
        versions=library_versions(),
        training={"rounds": fit.rounds, "max_fpr": 0.01, "calibration_rows": int(calib.sum()),
                  "train_rows": int(train.sum()), "counts": describe_counts(examples)},
    )
    model = Model(manifest, fit.booster)
    _, scores = model.scores(X)
    test = split == "test"
    rows = heldout_rows(examples, scores, fit.threshold)
    manifest.metrics = {
        "command": "python training/build_corpus.py --out build/corpus.jsonl && "
                   "python training/train_default.py --corpus build/corpus.jsonl",
        "heldout_table": rows,
        "test_binary": binary_report(y[test] != LABELS.index("original"), scores[test], fit.threshold),
    }
    card = render_model_card(manifest.to_dict(), data_notes=DATA_NOTES)
    # Stored so that `spindetect train --base` can refit on these rows plus a user's batch; held-out
    # generator rows are stored as "test" (measuring data for the retrain's before/after comparison).
    split_codes = np.where(train, 0, np.where(calib, 1, 2))
    save_model(args.out, manifest, fit.booster, card, TrainingData(X, y, split_codes, clean_news))
    print(format_rows(rows))
    print(json.dumps({k: v for k, v in manifest.metrics["test_binary"].items()}, indent=1))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
