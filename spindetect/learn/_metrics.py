"""Detection metrics for a flagged-vs-original decision, as the evaluation reports print them."""

from __future__ import annotations

import numpy as np


def binary_report(is_flagged_truth: np.ndarray, scores: np.ndarray, threshold: float,
                  predicted: np.ndarray | None = None) -> dict:
    """ROC-AUC, PR-AUC, precision/recall/F1/FPR at the threshold, and recall at fixed low FPRs.

    `is_flagged_truth` is 1 for documents that are not originals. `predicted`, when given, is the model's
    own flags (per-label thresholds) in place of `scores >= threshold`. Metrics that need both classes are
    NaN (reported as null) when one class is absent.
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    truth = np.asarray(is_flagged_truth).astype(bool)
    scores = np.asarray(scores, dtype=float)
    predicted = scores >= threshold if predicted is None else np.asarray(predicted, dtype=bool)
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


def label_thresholds_within_budgets(scores: np.ndarray, candidate: np.ndarray, positive: np.ndarray,
                                    groups: list[tuple[np.ndarray, float]], start: float,
                                    labels: list[int]) -> dict[int, float]:
    """One threshold per candidate label (the non-original class a flag would name), each at most `start`,
    lowered greedily while every group of negatives stays within its false-positive budget.

    `start` must already hold every budget (a single threshold that does). A single threshold lets the
    hardest group of originals (human translations read like machine translations) set the bar for every
    kind of finding; with one per label, a copy need not score as high as a machine translation to be
    flagged, as long as no original group pays for it. Each step lowers one label's threshold to include
    its next tie block of rows; steps that flag no new negative are taken first, and otherwise the step
    with the most positives per new false positive (looking ahead to that label's next costly block).
    """
    scores, candidate, positive = np.asarray(scores, float), np.asarray(candidate), np.asarray(positive, bool)
    groups = [(np.asarray(mask, bool) & ~positive, budget) for mask, budget in groups]  # negatives only
    allowed = [int(np.floor(budget * mask.sum())) for mask, budget in groups]
    used = [int(((scores >= start) & mask).sum()) for mask, _ in groups]
    if any(u > a for u, a in zip(used, allowed)):
        raise ValueError("the starting threshold already exceeds a group's budget")
    blocks: dict[int, list[tuple[float, int, list[int]]]] = {}
    for label in labels:
        rows = np.flatnonzero((candidate == label) & (scores < start))
        values = np.unique(scores[rows])[::-1]
        blocks[label] = []
        for value in values:
            block = rows[scores[rows] == value]
            cost = [int(mask[block].sum()) for mask, _ in groups]
            blocks[label].append((float(value), int(positive[block].sum()), cost))
    thresholds = {label: float(start) for label in labels}
    cursor = {label: 0 for label in labels}

    def feasible(cost: list[int]) -> bool:
        return all(u + c <= a for u, c, a in zip(used, cost, allowed))

    while True:
        best, best_value = None, -1.0
        for label in labels:
            if cursor[label] >= len(blocks[label]):
                continue
            value, gain, cost = blocks[label][cursor[label]]
            if not feasible(cost):
                continue
            spent = sum(cost)
            if spent == 0:
                best, best_value = label, float("inf")
                break
            # What this step buys: its own positives and the free blocks right after it.
            ahead = gain + sum(_free_gains(blocks[label], cursor[label] + 1))
            if ahead / spent > best_value:
                best, best_value = label, ahead / spent
        if best is None:
            return thresholds
        value, _, cost = blocks[best][cursor[best]]
        used = [u + c for u, c in zip(used, cost)]
        thresholds[best] = value
        cursor[best] += 1


def _free_gains(blocks: list[tuple[float, int, list[int]]], start: int):
    """The positives of the blocks from `start` on that flag no negative, up to the first that does."""
    for _, gain, cost in blocks[start:]:
        if sum(cost):
            return
        yield gain


def confusion(labels: list[str], truth: list[str], predicted: list[str]) -> dict[str, dict[str, int]]:
    """Nested counts: confusion[true_label][predicted_label]."""
    table = {t: {p: 0 for p in labels} for t in labels}
    for t, p in zip(truth, predicted):
        if t in table and p in table[t]:
            table[t][p] += 1
    return table
