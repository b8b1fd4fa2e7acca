"""Print the held-out evaluation table for a model on the built corpus.

    python -m training.evaluate [--model models/spindetect-default] [--corpus build/corpus.jsonl]

Measures only split `test` (groups never used for training or calibration) and marks which rows use
generator families held out of training entirely. Per-generator recall follows the table.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from spindetect.model import load_model
from spindetect.learn import featurize_examples, stderr_progress
from training.corpus_io import load_examples
from training.heldout import format_rows, heldout_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/spindetect-default")
    parser.add_argument("--corpus", type=Path, default=Path("build/corpus.jsonl"))
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)

    model = load_model(args.model)
    examples = [ex for ex in load_examples(args.corpus) if ex.split == "test"]
    X, errors = featurize_examples(examples, model.manifest.feature_families, cache_dir=args.cache, jobs=args.jobs,
                                   states=model.family_states,
                                   progress=stderr_progress("featurised"))
    keep = [i for i, e in enumerate(errors) if e is None]
    examples = [examples[i] for i in keep]
    decisions = model.decide(X[keep])
    scores, flagged = decisions.scores, decisions.flagged
    threshold = model.manifest.threshold
    print(f"model {model.ref}, threshold {threshold:.4f} (per label: {model.manifest.label_thresholds}), "
          f"{len(examples)} test documents\n")
    print(format_rows(heldout_rows(examples, scores, flagged)))

    flagged_by_generator: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for ex, is_flagged in zip(examples, flagged):
        flagged_by_generator[(ex.label, ex.generator)].append(bool(is_flagged))
    print("\n| label | generator | held out | flagged share | n |\n|---|---|---|---|---|")
    heldout = {(ex.label, ex.generator): ex.extra.get("heldout") for ex in examples}
    for (label, generator), flags in sorted(flagged_by_generator.items()):
        print(f"| {label} | {generator} | {'yes' if heldout[(label, generator)] else ''} | "
              f"{sum(flags) / len(flags):.3f} | {len(flags)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
