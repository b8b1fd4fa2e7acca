"""Learning: featurising labelled documents, fitting and calibrating a model, retraining on a user's batch,
evaluating, and the model card. Both the shipped model's build (`training/train_default.py`) and
`spindetect train` fit, describe and save through `fit_model` and `save_fitted` (`_fit`)."""

from __future__ import annotations

from ._batch import BINARY_FLAGGED, LabelledBatch, read_batch
from ._fit import fit_model, save_fitted
from ._metrics import binary_report, confusion, label_thresholds_within_budgets, threshold_for_fpr
from ._model_card import render_model_card
from ._trainer import (
    DEFAULT_ROUNDS, Example, FitResult, data_digest, describe_counts, featurize_examples, fit_classifier,
    hash_bucket, label_indices, library_versions, residue_rule_weight, stderr_progress,
)

__all__ = ["BINARY_FLAGGED", "DEFAULT_ROUNDS", "Example", "FitResult", "LabelledBatch", "binary_report",
           "confusion", "data_digest", "describe_counts", "featurize_examples", "fit_classifier", "fit_model",
           "hash_bucket", "label_indices", "label_thresholds_within_budgets", "library_versions", "read_batch",
           "render_model_card", "residue_rule_weight", "save_fitted", "stderr_progress", "threshold_for_fpr"]
