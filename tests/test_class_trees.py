"""Per-class TreeSHAP (spindetect.model._class_trees) gives exactly the numbers of the full computation."""

import numpy as np
import pytest

from spindetect.model import _artifact as model_module
from spindetect.model import load_model


@pytest.mark.parametrize("split_after_rows", [0, 10_000])  # per-class boosters, and the full booster
def test_contrast_equals_the_difference_of_full_contributions(tiny_model_dir, monkeypatch,
                                                              split_after_rows):
    monkeypatch.setattr(model_module, "SPLIT_AFTER_ROWS", split_after_rows)
    model = load_model(tiny_model_dir)
    rng = np.random.default_rng(1)
    n_features, n_labels = len(model.manifest.feature_names), len(model.manifest.labels)
    features = rng.normal(size=(40, n_features)).astype(np.float32)
    features[rng.random(features.shape) < 0.2] = np.nan  # missing values take the default branches
    labels = rng.integers(0, n_labels, size=40)
    against = (labels + rng.integers(1, n_labels, size=40)) % n_labels

    full = model.contributions(features)
    expected = full[np.arange(40), labels] - full[np.arange(40), against]
    assert np.array_equal(model.contribution_contrast(features, labels, against), expected)


def test_inplace_probabilities_equal_dmatrix_probabilities(tiny_model_dir):
    import xgboost as xgb

    model = load_model(tiny_model_dir)
    features = np.random.default_rng(2).normal(size=(17, len(model.manifest.feature_names))).astype(np.float32)
    matrix = xgb.DMatrix(features, feature_names=model._xgb_names(), missing=np.nan)
    expected = np.asarray(model.booster.predict(matrix)).reshape(17, -1)
    assert np.array_equal(model.predict(features), expected)


def test_one_thread_gives_the_same_contrast(tiny_model_dir, monkeypatch):
    monkeypatch.setattr(model_module, "SPLIT_AFTER_ROWS", 0)
    model = load_model(tiny_model_dir)
    features = np.random.default_rng(3).normal(size=(8, len(model.manifest.feature_names))).astype(np.float32)
    labels, against = np.zeros(8, dtype=int), np.arange(8) % 4 + 1
    before = model.contribution_contrast(features, labels, against)
    model.set_threads(1)
    assert np.array_equal(model.contribution_contrast(features, labels, against), before)
