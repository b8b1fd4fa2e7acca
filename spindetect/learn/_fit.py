"""The one "fit, describe, save" step of the shipped model's build (`training/train_default.py`) and of
`spindetect train` (`_retrain`): fit and calibrate the booster, write its manifest, then save the model
directory with its card and stored training rows.

Between the two calls the caller measures the fitted model and sets `model.manifest.metrics`:

    model, fit = fit_model(X, y, train=..., calib=..., clean_news=..., family_keys=..., name=..., ...)
    model.manifest.metrics = {...}          # measured with model.scores(...)
    save_fitted(out, model, data_notes=..., training_data=TrainingData(X, y, split_codes, clean_news))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..features import registry
from ..model import LABELS, Manifest, Model, TrainingData, save_model
from ._model_card import render_model_card
from ._trainer import DEFAULT_ROUNDS, FitResult, fit_classifier, library_versions

__all__ = ["MAX_FPR", "fit_model", "save_fitted"]

MAX_FPR = 0.01  # the threshold keeps at most this share of the calibration split's clean news flagged


def fit_model(X: np.ndarray, y: np.ndarray, *, train: np.ndarray, calib: np.ndarray, clean_news: np.ndarray,
              family_keys: Sequence[str], name: str, version: str, seed: int, rounds: int = DEFAULT_ROUNDS,
              training_data_sha256: str | None, counts: dict, base_model: str | None = None,
              sample_weight: np.ndarray | None = None, training_extra: dict | None = None,
              progress: Callable[[int, int], None] | None = None, family_states: dict[str, dict] | None = None,
              spinner_gate: float | None = None, **fit_options) -> tuple[Model, FitResult]:
    """Fit on `train`, calibrate and threshold on `calib` (`clean_news` marks the originals the threshold's
    false-positive budget counts), and describe the result in a manifest. Metrics are left to the caller.

    `training_extra` adds keys to the manifest's `training` block (after the row counts, before `counts`);
    `fit_options` go to `fit_classifier` as they are (e.g. `params`, `nthread`). The returned FitResult
    carries whatever else the fit measured, for the caller to add to the manifest. `family_states` holds the
    learned state of any stateful family among `family_keys` (saved beside the model); `spinner_gate` the
    level its learned fingerprint must reach to add a flag (Manifest.spinner_gate), if it has one.
    """
    family_keys = list(family_keys)
    names = registry.feature_names(registry.build(family_keys, family_states))
    fit = fit_classifier(X, y, train=train, calib=calib, clean_news=clean_news, feature_names=names, seed=seed,
                         rounds=rounds, max_fpr=MAX_FPR, sample_weight=sample_weight, progress=progress,
                         **fit_options)
    manifest = Manifest(
        name=name, version=version, labels=list(LABELS), feature_families=family_keys, feature_names=names,
        threshold=fit.threshold, calibration=fit.calibration, seed=seed, label_thresholds=fit.label_thresholds,
        residue_decides_at=fit.residue_decides_at, spinner_gate=spinner_gate,
        training_data_sha256=training_data_sha256, base_model=base_model, versions=library_versions(),
        training={"rounds": fit.rounds, "max_fpr": MAX_FPR, "calibration_rows": int(calib.sum()),
                  "train_rows": int(train.sum()), **(training_extra or {}), "counts": counts},
    )
    return Model(manifest, fit.booster, family_states=family_states), fit


def save_fitted(out: Path, model: Model, *, data_notes: str, training_data: TrainingData) -> Path:
    """Render the model card from the (measured) manifest and write the model directory atomically."""
    card = render_model_card(model.manifest.to_dict(), data_notes=data_notes)
    return save_model(Path(out), model.manifest, model.booster, card, training_data,
                      family_states=model.family_states)
