"""Shared fixtures: paths, the ../shared skip rule, and a tiny model with the real feature schema."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # so tests can import training/ helpers

from training.splits import corpora_dir  # noqa: E402

requires_shared = pytest.mark.skipif(not corpora_dir().exists(),
                                     reason=f"needs the shared corpora at {corpora_dir()} (absent here)")


@pytest.fixture(autouse=True)
def _isolated_registry(tmp_path_factory, monkeypatch):
    """Never read or write the developer's real model registry from tests."""
    monkeypatch.setenv("SPINDETECT_HOME", str(tmp_path_factory.mktemp("spindetect-home")))


def make_tiny_model(out: Path, *, seed: int = 0, shift: float = 2.0) -> Path:
    """A real, loadable model trained in a second on synthetic features with the real schema.

    Class k's rows are shifted by `shift` along feature k, so the model is learnable and deterministic.
    """
    from spindetect.features import registry
    from spindetect.model import LABELS, Manifest, save_model
    from spindetect.learn import fit_classifier

    keys = list(registry.DEFAULT_FAMILIES)
    names = registry.feature_names(registry.build(keys))
    rng = np.random.default_rng(seed)
    n = 400
    y = np.arange(n) % len(LABELS)
    X = rng.normal(size=(n, len(names))).astype(np.float32)
    X[np.arange(n), y] += shift
    split = np.where(np.arange(n) % 4 == 0, "calib", "train")
    fit = fit_classifier(X, y, train=split == "train", calib=split == "calib",
                         clean_news=(y == 0), feature_names=names, seed=seed, rounds=10)
    manifest = Manifest(name="tiny", version="1", labels=list(LABELS), feature_families=keys,
                        feature_names=names, threshold=fit.threshold, calibration=fit.calibration, seed=seed)
    return save_model(out, manifest, fit.booster, "# tiny test model\n")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("models") / "tiny")
