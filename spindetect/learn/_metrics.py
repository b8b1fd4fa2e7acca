"""Detection metrics for a flagged-vs-original decision, as the evaluation reports print them."""

from __future__ import annotations

import numpy as np


def binary_report(is_flagged_truth: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    """ROC-AUC, PR-AUC, precision/recall/F1/FPR at the threshold, and recall at fixed low FPRs.

    `is_flagged_truth` is 1 for documents that are not originals. Metrics that need both classes are NaN
    (reported as null) when one class is absent.
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    truth = np.asarray(is_flagged_truth).astype(bool)
    scores = np.asarray(scores, dtype=float)
    predicted = scores >= threshold
    positives, negatives = int(truth.sum()), int((~truth).sum())
    tp = int((predicted & truth).sum())
    fp = int((predicted & ~truth).sum())
    fn = positives - tp
    both = positives > 0 and negatives > 0
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / positives if positives else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall and not np.isnan(precision + recall) \
        else float("nan")
    return {
        "n": int(len(truth)), "positives": positives, "negatives": negatives,
        "roc_auc": float(roc_auc_score(truth, scores)) if both else float("nan"),
        "pr_auc": float(average_precision_score(truth, scores)) if both else float("nan"),
        "threshold": float(threshold), "precision": precision, "recall": recall, "f1": f1,
        "fpr": fp / negatives if negatives else float("nan"), "tp": tp, "fp": fp, "fn": fn,
        "recall_at_1pct_fpr": recall_at_fpr(truth, scores, 0.01) if both else float("nan"),
        "recall_at_0.1pct_fpr": recall_at_fpr(truth, scores, 0.001) if both else float("nan"),
    }


def recall_at_fpr(truth: np.ndarray, scores: np.ndarray, max_fpr: float) -> float:
    """Recall at the lowest threshold whose false-positive rate on the negatives stays <= max_fpr."""
    threshold = threshold_for_fpr(scores[~truth], max_fpr)
    return float((scores[truth] >= threshold).mean())


def threshold_for_fpr(negative_scores: np.ndarray, max_fpr: float) -> float:
    """The smallest threshold t (flag when score >= t) that flags at most max_fpr of the negatives.

    Ties matter: calibrated scores are step functions, so many negatives can share one value. We walk the
    distinct values from the top and stop before a value whose inclusion would exceed the budget.
    """
    negative_scores = np.sort(np.asarray(negative_scores, dtype=float))[::-1]
    if len(negative_scores) == 0:
        return 0.5
    allowed = int(np.floor(max_fpr * len(negative_scores)))
    if allowed >= len(negative_scores):
        return float(negative_scores[-1])
    # Just above the (allowed+1)-th highest negative: only values strictly greater reach it, and there are
    # at most `allowed` of those; any lower threshold would also flag that negative and its ties.
    return float(np.nextafter(negative_scores[allowed], np.inf))


def confusion(labels: list[str], truth: list[str], predicted: list[str]) -> dict[str, dict[str, int]]:
    """Nested counts: confusion[true_label][predicted_label]."""
    table = {t: {p: 0 for p in labels} for t in labels}
    for t, p in zip(truth, predicted):
        if t in table and p in table[t]:
            table[t][p] += 1
    return table
