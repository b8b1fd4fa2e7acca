"""Thresholds that hold every group of originals within its budget: one per flagged label (issue #11)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import with_manifest
from spindetect.errors import ModelError
from spindetect.learn import fit_classifier, label_thresholds_within_budgets, threshold_for_fpr
from spindetect.model import LABELS, load_model


def _synthetic(seed: int = 0, n: int = 3000):
    """Positives score high; group a (originals whose candidate label is 3) scores as high as positives."""
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < 0.6
    candidate = rng.integers(1, 5, n)
    scores = np.where(positive, rng.beta(5, 1, n), rng.beta(1, 5, n))
    hard = ~positive & (candidate == 3)
    scores[hard] = rng.beta(6, 1, hard.sum())
    return scores, candidate, positive, [(hard, 0.02), (~positive & ~hard, 0.01)]


def test_label_thresholds_keep_every_budget_and_flag_more_than_one_threshold() -> None:
    scores, candidate, positive, groups = _synthetic()
    start = max(threshold_for_fpr(scores[mask], budget) for mask, budget in groups)
    found = label_thresholds_within_budgets(scores, candidate, positive, groups, start, [1, 2, 3, 4])
    assert set(found) == {1, 2, 3, 4} and all(t <= start for t in found.values())
    flagged = scores >= np.array([np.inf, *(found[k] for k in (1, 2, 3, 4))])[candidate]
    for mask, budget in groups:
        assert flagged[mask].mean() <= budget
    assert flagged[positive].mean() > 2 * (scores >= start)[positive].mean()
    assert found[3] == pytest.approx(start)  # the hard group's label keeps the strict threshold


def test_label_thresholds_refuse_an_infeasible_start() -> None:
    scores, candidate, positive, groups = _synthetic()
    with pytest.raises(ValueError):
        label_thresholds_within_budgets(scores, candidate, positive, groups, 0.0, [1, 2, 3, 4])


def test_threshold_holds_every_group_within_its_budget() -> None:
    rng = np.random.default_rng(0)
    n = 1200
    y = np.where(np.arange(n) % 2 == 0, 0, 1 + np.arange(n) % 4)
    names = [f"f{i}" for i in range(4)]
    X = rng.normal(size=(n, 4))
    X[:, 0] += (y != 0) * 2.0
    group_b = (y == 0) & (np.arange(n) % 4 == 0)
    X[group_b, 0] += 1.5  # one kind of original looks more derived than the rest
    calib = np.arange(n) % 3 == 0
    groups = {"a": ((y == 0) & ~group_b, 0.01), "b": (group_b, 0.02)}
    fit = fit_classifier(
        X,
        y,
        train=~calib,
        calib=calib,
        clean_news=(y == 0) & ~group_b,
        feature_names=names,
        rounds=20,
        fpr_groups=groups,
    )
    single = fit_classifier(
        X, y, train=~calib, calib=calib, clean_news=(y == 0) & ~group_b, feature_names=names, rounds=20
    )
    for name, (mask, budget) in groups.items():
        assert fit.calib_group_fpr[name]["fpr"] <= budget
        assert fit.calib_group_fpr[name]["n"] == int((mask & calib).sum())
    assert fit.threshold > single.threshold  # group b needed a stricter threshold than the news budget
    assert set(fit.label_thresholds) == set(LABELS) - {"original"}
    assert all(t <= fit.threshold for t in fit.label_thresholds.values())
    assert single.label_thresholds is None


def test_model_flags_by_the_label_each_row_would_get(tiny_model_dir, tmp_path) -> None:
    thresholds = {"copy": 0.2, "spun": 0.9, "translated": 0.9, "rewritten": 0.9}
    model = load_model(with_manifest(tiny_model_dir, tmp_path / "model", label_thresholds=thresholds))
    assert model.manifest.label_thresholds == thresholds
    probabilities = np.array([[0.1, 0.6, 0.1, 0.1, 0.1], [0.1, 0.1, 0.6, 0.1, 0.1]])
    scores = np.array([0.5, 0.5])
    assert model.flags(probabilities, scores).tolist() == [True, False]  # copy at 0.2, spun at 0.9
    assert model.flags(probabilities, scores, threshold=0.4).tolist() == [True, True]  # a user's override
    assert model.flags(probabilities, scores, threshold=0.6).tolist() == [False, False]


def test_malformed_label_thresholds_are_refused(tiny_model_dir, tmp_path) -> None:
    with pytest.raises(ModelError):
        load_model(with_manifest(tiny_model_dir, tmp_path / "model", label_thresholds={"copy": 0.5}))
