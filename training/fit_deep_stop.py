"""Choose the default mode's `stop_below`: where a sent document's first window clears it.

    python -m training.fit_deep_stop --corpus build/holdout.jsonl --model models/spindetect-default --write

The default mode reads a sent document's first window (256 tokens, its most suspicious words both ways),
scores it with the deep model as read so far, and reads on only where the deep model's P(spun) +
P(translated) reaches `stop_below` (`spindetect.model._cascade`). A sent document that the full reading
would flag (a *finding*: the deep stage sets its verdict, `Cascade.takes_deep`) but whose first window
falls under `stop_below` is a finding lost; a sent original under it is one whose reading stops early,
which is the time saved.

On the deep sample's calibration split (`training/deep_sample.py`), with the default mode's sends, the rule
is the largest `stop_below` (from `GRID`) at which at most `LOST_SHARE` of the findings would be lost. The
test split is measured by `python -m benchmarks.cascade`, and the time by `python -m benchmarks.lm_speed`.
`--write` puts it in the deep stage's manifest (`training.cascade.stop_below`), with the calibration curve
in its metrics (`stop_curve_calib`). A deep stage without one reads every sent document in full.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from spindetect.learn import featurize_examples, save_fitted, stderr_progress
from spindetect.model import load_model
from spindetect.model._cascade import DEEP_DIR, Cascade, deep_label_score, load_deep_stage
from training.corpus_io import load_examples
from training.deep_sample import deep_sample

# Findings the first window may clear: one in a hundred.
LOST_SHARE = 0.01
GRID = np.unique(np.round(np.concatenate([np.arange(0.0, 0.1, 0.0025), np.arange(0.1, 0.5, 0.01)]), 4))
CARD = "MODEL_CARD.md"
COMMAND = "python -m training.fit_deep_stop --corpus build/holdout.jsonl --model models/spindetect-default --write"


def stage_readings(cascade: Cascade, examples, cache: Path | None, jobs: int):
    """The default mode's sent documents among `examples` (their indices), the deep rows of their full
    readings and of their first windows, and the fast model's decisions and labels on every example. A
    document that fails to featurise is not among the sent."""
    fast_keys = list(cascade.fast.manifest.feature_families)
    lm_keys = list(cascade.deep.manifest.feature_families[len(fast_keys):])
    X_fast, errors = featurize_examples(examples, fast_keys, cache_dir=cache, jobs=jobs,
                                        progress=stderr_progress("fast features"))
    ok = np.array([e is None for e in errors])
    decisions = cascade.fast.decide(X_fast)
    labels = np.array(cascade.fast.manifest.labels)[decisions.label_index]
    sent = cascade.sends(cascade.send_scores(decisions.probabilities, decisions.scores), decisions.flagged, labels,
                         "default") & ok
    rows = np.flatnonzero(sent)
    chosen = [examples[i] for i in rows]
    # The language model uses both cores itself: one job.
    X_full, full_errors = featurize_examples(chosen, lm_keys, cache_dir=cache, jobs=1,
                                             progress=stderr_progress("full readings"))
    X_first, first_errors = featurize_examples(chosen, lm_keys, cache_dir=cache, jobs=1, first_stage=True,
                                               progress=stderr_progress("first windows"))
    keep = np.array([a is None and b is None for a, b in zip(full_errors, first_errors)])
    rows = rows[keep]
    return (rows, np.hstack([X_fast[rows], X_full[keep]]), np.hstack([X_fast[rows], X_first[keep]]),
            decisions, labels)


def stop_curve(cascade: Cascade, examples, rows, deep_full, deep_first, fast_decisions, fast_labels) -> list[dict]:
    """Per `stop_below` of GRID: the findings lost, and the sent originals and documents cleared early."""
    full = cascade.deep.decide(deep_full)
    deep_labels = np.array(cascade.deep.manifest.labels)[full.label_index]
    findings = cascade.takes_deep(fast_labels[rows], fast_decisions.flagged[rows], deep_labels, full.flagged)
    first_scores = deep_label_score(cascade.deep, deep_first)
    originals = np.array([examples[i].label == "original" for i in rows])
    curve = []
    for stop_below in GRID:
        cleared = first_scores < stop_below
        curve.append({"stop_below": float(stop_below), "findings": int(findings.sum()),
                      "findings_lost": int((cleared & findings).sum()),
                      "lost_share": float((cleared & findings).sum() / max(1, findings.sum())),
                      "sent": len(rows), "sent_cleared": float(cleared.mean()) if len(rows) else 0.0,
                      "sent_originals": int(originals.sum()),
                      "originals_cleared": float(cleared[originals].mean()) if originals.any() else 0.0})
    return curve


def choose_stop_below(curve: list[dict], lost_share: float = LOST_SHARE) -> float:
    """The largest value whose lost findings stay within `lost_share` (0.0, which clears nothing, if none)."""
    within = [row["stop_below"] for row in curve if row["lost_share"] <= lost_share]
    return max(within) if within else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", type=Path, default=Path("models/spindetect-default"))
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--split", default="calib", choices=("calib", "test"),
                        help="where to read the curve (the rule is chosen, and written, on calib only)")
    parser.add_argument("--write", action="store_true", help="write stop_below into the deep stage's manifest")
    args = parser.parse_args(argv)
    if args.write and args.split != "calib":
        raise SystemExit("stop_below is chosen on the calibration split only")

    cascade = load_deep_stage(load_model(args.model))
    if cascade is None:
        raise SystemExit(f"{args.model} has no deep stage")
    examples = [ex for ex in deep_sample(load_examples(args.corpus)) if ex.split == args.split]
    rows, deep_full, deep_first, fast_decisions, fast_labels = stage_readings(cascade, examples, args.cache,
                                                                              args.jobs)
    curve = stop_curve(cascade, examples, rows, deep_full, deep_first, fast_decisions, fast_labels)
    stop_below = choose_stop_below(curve)
    print(f"{args.split}: {len(examples)} documents, {len(rows)} sent in the default mode\n")
    print("| stop_below | findings lost | sent originals cleared on the first window | sent documents cleared |")
    print("|---|---|---|---|")
    for row in curve:
        if row["stop_below"] in (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, stop_below):
            print(f"| {row['stop_below']:g} | {row['findings_lost']} of {row['findings']} | "
                  f"{row['originals_cleared']:.3f} of {row['sent_originals']} | {row['sent_cleared']:.3f} of "
                  f"{row['sent']} |")
    print(f"\nstop_below {stop_below:g} (at most {LOST_SHARE:g} of the findings lost)")
    if args.write:
        write_stop_below(args.model / DEEP_DIR, stop_below, curve)
    return 0


def write_stop_below(deep_dir: Path, stop_below: float, curve: list[dict]) -> None:
    """Rewrite the deep stage with `stop_below` in its manifest and its card (`save_fitted`: the booster and
    the stored rows as they were, the card's training-data notes as written when it was trained)."""
    deep = load_model(deep_dir)
    card = (deep_dir / CARD).read_text(encoding="utf-8")
    notes = card.split("## Training data\n", 1)[1].split("\n", 1)[0]
    deep.manifest.training["cascade"].update({"stop_below": stop_below, "stop_lost_share": LOST_SHARE})
    deep.manifest.metrics.update({"stop_command": COMMAND, "stop_curve_calib": curve})
    save_fitted(deep_dir, deep, data_notes=notes, training_data=deep.training_data())
    print(f"wrote {deep_dir}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
