"""Evaluating a model on a labelled batch: the figures `spindetect evaluate` and `models promote --gate` use."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..model import LABELS, Model
from ._batch import BINARY_FLAGGED, LabelledBatch
from ._metrics import binary_report, confusion
from ._trainer import featurize_examples

# Figures compared by the promotion gate: higher is better for all but the false-positive rate.
GATE_METRICS = ("roc_auc", "pr_auc", "recall", "recall_at_1pct_fpr", "fpr")


def evaluate(model: Model, batch: LabelledBatch, *, threshold: float | None = None, jobs: int = 1,
             cache_dir: Path | None = None) -> dict:
    override = threshold
    threshold = model.manifest.threshold if threshold is None else threshold
    X, errors = featurize_examples(batch.examples, model.manifest.feature_families, cache_dir=cache_dir, jobs=jobs,
                                   states=model.family_states)
    keep = [i for i, e in enumerate(errors) if e is None]
    examples = [batch.examples[i] for i in keep]
    report: dict = {"model": model.ref, "threshold": threshold, "n": len(examples),
                    "dropped": [f"{batch.examples[i].item.input}: {errors[i]}" for i in range(len(errors))
                                if errors[i] is not None]}
    if not examples:
        return report
    decisions = model.decide(X[keep], override)
    scores, flagged = decisions.scores, decisions.flagged
    truth_flagged = np.array([ex.label != "original" for ex in examples])
    report["overall"] = binary_report(truth_flagged, scores, threshold, flagged)
    predicted = [LABELS[i] for i in decisions.label_index]
    named = [(ex.label, p) for ex, p in zip(examples, predicted) if ex.label != BINARY_FLAGGED]
    if named:
        report["confusion"] = confusion(list(LABELS), [t for t, _ in named], [p for _, p in named])
    sources = sorted({ex.source for ex in examples if ex.source})
    if sources:
        report["by_source"] = {}
        for source in sources:
            mask = np.array([ex.source == source for ex in examples])
            report["by_source"][source] = binary_report(truth_flagged[mask], scores[mask], threshold, flagged[mask])
    return report


def format_table(report: dict) -> str:
    lines = [f"model {report['model']}  threshold {report['threshold']:.4f}  documents {report['n']}"]
    for problem in report.get("dropped", [])[:20]:
        lines.append(f"  dropped: {problem}")
    overall = report.get("overall")
    if overall is None:
        return "\n".join(lines + ["no document could be scored"])
    lines += ["", _metrics_header(), _metrics_row("overall", overall)]
    for source, row in report.get("by_source", {}).items():
        lines.append(_metrics_row(f"source={source}", row))
    if "confusion" in report:
        lines += ["", "confusion (rows: true label, columns: predicted)",
                  f"{'':<12}" + "".join(f"{label:>11}" for label in LABELS)]
        for truth in LABELS:
            row = report["confusion"][truth]
            if sum(row.values()):
                lines.append(f"{truth:<12}" + "".join(f"{row[p]:>11}" for p in LABELS))
    return "\n".join(lines)


def _metrics_header() -> str:
    return (f"{'slice':<40}{'n':>7}{'ROC-AUC':>9}{'PR-AUC':>8}{'prec':>7}{'recall':>8}{'F1':>7}{'FPR':>7}"
            f"{'R@1%FPR':>9}{'R@0.1%':>8}")


def _metrics_row(name: str, m: dict) -> str:
    def f(value, width):
        return f"{'n/a':>{width}}" if value is None or value != value else f"{value:>{width}.3f}"

    return (f"{name[:39]:<40}{m['n']:>7}{f(m['roc_auc'], 9)}{f(m['pr_auc'], 8)}{f(m['precision'], 7)}"
            f"{f(m['recall'], 8)}{f(m['f1'], 7)}{f(m['fpr'], 7)}{f(m['recall_at_1pct_fpr'], 9)}"
            f"{f(m['recall_at_0.1pct_fpr'], 8)}")


def gate(candidate: dict, current: dict, tolerance: float) -> list[str]:
    """Reasons the candidate is worse than the current model beyond `tolerance`; empty when it may be promoted."""
    problems = []
    for metric in GATE_METRICS:
        new, old = candidate["overall"].get(metric), current["overall"].get(metric)
        if new is None or old is None or new != new or old != old:
            continue
        worse = (new - old) if metric == "fpr" else (old - new)
        if worse > tolerance:
            problems.append(f"{metric}: {new:.4f} vs {old:.4f} (worse by {worse:.4f} > tolerance {tolerance})")
    return problems


def side_by_side(candidate: dict, current: dict) -> str:
    lines = [_metrics_header(), _metrics_row(f"candidate {candidate['model']}", candidate["overall"]),
             _metrics_row(f"current {current['model']}", current["overall"])]
    return "\n".join(lines)
