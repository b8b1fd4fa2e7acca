"""A tiny real model for tests and benchmarks: the real feature schema, synthetic features, ten rounds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["make_tiny_model"]


def make_tiny_model(out: Path, *, seed: int = 0, shift: float = 2.0) -> Path:
    """A real, loadable model trained in a second on synthetic features with the real schema.

    Class k's rows are shifted by `shift` along feature k, so the model is learnable and deterministic.
    """
    from spindetect.features import registry
    from spindetect.learn import fit_classifier
    from spindetect.model import LABELS, Manifest, save_model

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
