import numpy as np
import pytest

from spindetect.learn import binary_report, confusion, threshold_for_fpr


@pytest.mark.parametrize("negatives, max_fpr, flagged_at_most", [
    (np.linspace(0, 1, 1000), 0.01, 10),
    (np.r_[np.zeros(950), np.full(50, 0.7)], 0.01, 0),  # a tie block larger than the budget stays unflagged
    (np.r_[np.zeros(995), np.full(5, 0.7)], 0.01, 5),
])
def test_threshold_respects_the_false_positive_budget(negatives, max_fpr, flagged_at_most):
    threshold = threshold_for_fpr(negatives, max_fpr)
    assert (negatives >= threshold).sum() <= flagged_at_most


def test_threshold_is_as_low_as_the_budget_allows():
    negatives = np.linspace(0, 1, 1000)
    threshold = threshold_for_fpr(negatives, 0.01)
    assert (negatives >= threshold).sum() == 10  # exactly the 1% budget, and any lower threshold exceeds it
    assert (negatives >= np.nextafter(threshold, 0) - 1e-9).sum() > 10


def test_binary_report_on_a_perfect_and_a_useless_scorer():
    truth = np.r_[np.zeros(100), np.ones(100)]
    perfect = binary_report(truth, truth * 0.9 + 0.05, 0.5)
    assert perfect["roc_auc"] == 1.0 and perfect["recall"] == 1.0 and perfect["fpr"] == 0.0
    useless = binary_report(truth, np.full(200, 0.5), 0.9)
    assert useless["recall"] == 0.0 and useless["roc_auc"] == 0.5


def test_binary_report_with_one_class_gives_nan_aucs():
    report = binary_report(np.ones(5), np.linspace(0, 1, 5), 0.5)
    assert np.isnan(report["roc_auc"]) and report["recall"] == 0.6


def test_confusion_counts():
    table = confusion(["a", "b"], ["a", "a", "b"], ["a", "b", "b"])
    assert table == {"a": {"a": 1, "b": 1}, "b": {"a": 0, "b": 1}}
