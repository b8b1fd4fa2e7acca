"""Retraining on a user's labelled batch, on its own or on top of a base model.

Design: **refit on the base's stored training features plus the new batch.** Every model directory keeps
the feature rows it was fitted, calibrated and measured on (`training_data.npz`: numbers only), so a
retrain starts from everything the base knew, not from the base's trees. We chose this over continuing the
boosting from the base booster because continued boosting only sees the new batch: its extra trees chase
the new spinner and can quietly move the decision boundary for everything else, and the calibration and
threshold would have to be refitted on data the old trees never saw. Refitting on the union keeps one
coherent model, calibrated and thresholded on the union's held-out rows.

Spun pages given with their originals also teach the model that spinner's substitutions: a `fingerprint`
family with learned state (`_fingerprint`), appended after the base's families. The base's stored rows
cannot be read by it (their texts are not kept) and have it missing.

A small batch would drown in a base of ~20k rows, so new rows are up-weighted (by default so that the
batch weighs about a tenth of the base's training rows, at most 20x per row). The retrain then reports the
base's own measuring rows before and after, so a user sees what the new batch cost.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..features import registry
from ..features.fingerprint import Fingerprint
from ..model import LABELS, Manifest, Model, TrainingData
from ..model._cascade import DEEP_DIR, LM_NAME, load_deep_stage
from ..pipeline import DEFAULT_MAX_CHARS
from ._batch import BINARY_FLAGGED, LabelledBatch
from ._fingerprint import (
    FINGERPRINT_KEY, base_fingerprint, carried_fingerprint, is_fingerprint, learn_fingerprint, spinner_gate,
)
from ._fit import fit_model, save_fitted
from ._metrics import binary_report
from ._trainer import (
    DEFAULT_ROUNDS, data_digest, describe_counts, featurize_examples, hash_bucket, label_indices, stderr_progress,
)

logger = logging.getLogger(__name__)

CALIB_SHARE = 0.25  # of the new batch's groups, held out to calibrate and to measure the batch
MAX_BATCH_WEIGHT = 20.0
BATCH_SHARE_OF_BASE = 0.1


@dataclass
class RetrainResult:
    path: Path
    manifest: Manifest
    dropped: list[str]  # documents that could not be featurised, with reasons


def retrain(batch: LabelledBatch, out: Path, *, base: Model | None = None, seed: int = 0,
            rounds: int | None = None, jobs: int = 1, cache_dir: Path | None = None, name: str | None = None,
            version: str | None = None, batch_weight: float | None = None, progress: bool = True,
            fingerprint: bool = True, deep_stage: bool = True) -> RetrainResult:
    """Refit on the batch (plus the base's stored rows). A base with a deep stage (`model._cascade`) gets
    its deep stage refitted the same way, into `out/deep`, beside the new fast model: the language-model
    features of the batch are computed once per document and kept in the feature cache. `deep_stage=False`
    refits the fast model only (a model for `--fast` scoring, as a benchmark of that mode needs)."""
    if not batch.examples:
        raise ValueError("the batch holds no usable documents")
    options = dict(seed=seed, rounds=rounds, jobs=jobs, cache_dir=cache_dir, batch_weight=batch_weight,
                   progress=progress, fingerprint=fingerprint)
    result = _refit(batch, Path(out), base=base, name=name, version=version, **options)
    cascade = load_deep_stage(base) if base is not None and deep_stage else None
    if cascade is not None:
        _refit(batch, Path(out) / DEEP_DIR, base=cascade.deep, name=None, version=None,
               cascade={"fast_model": result.manifest.ref,
                        "fast_booster_sha256": result.manifest.files["model.ubj"],
                        "send_score": cascade.send_score_name, "send_above": cascade.send_above}, **options)
    return result


def _refit(batch: LabelledBatch, out: Path, *, base: Model | None, seed: int, rounds: int | None, jobs: int,
           cache_dir: Path | None, name: str | None, version: str | None, batch_weight: float | None,
           progress: bool, fingerprint: bool, cascade: dict | None = None) -> RetrainResult:
    base_keys = list(base.manifest.feature_families if base else registry.DEFAULT_FAMILIES)
    plain_keys = [key for key in base_keys if not registry.is_stateful(key)]
    if any(not is_fingerprint(key) for key in set(base_keys) - set(plain_keys)):
        raise ModelError(f"{base.ref}: learned families {sorted(set(base_keys) - set(plain_keys))} are not "
                         "ones this spindetect can extend")
    X_new, errors = featurize_examples(batch.examples, plain_keys, cache_dir=cache_dir, jobs=jobs,
                                       progress=stderr_progress("documents featurised") if progress else None)
    keep = [i for i, e in enumerate(errors) if e is None]
    dropped = [f"{batch.examples[i].item.input}: {errors[i]}" for i in range(len(errors)) if errors[i] is not None]
    examples = [batch.examples[i] for i in keep]
    X_new = X_new[keep]
    if not examples:
        raise ValueError("no document in the batch could be featurised: " + "; ".join(dropped[:3]))
    labels = _resolve_binary_labels([ex.label for ex in examples], X_new, base)
    # The spinner's substitutions, learned from the batch's spun pages and their originals: a feature
    # family of this model alone, with the batch's own rows read out of fold (`_fingerprint`). The booster
    # learns its splits from the batch's rows only (the base's have no text to read it on), and its threshold
    # is set mostly on rows where it is missing: alone it flagged 2-4% of unrelated news. So the fingerprint
    # is gated: it adds a flag only above every batch original's out-of-fold reading (Manifest.spinner_gate;
    # docs/experiments.md, "Retraining"). Below the gate the verdict is the model's with the fingerprint
    # missing, which the base's rows teach it; a retrain without a base has no such rows, and no gate.
    older = base_fingerprint(base.family_states) if base else None
    if fingerprint:
        learned = learn_fingerprint(examples, labels, older, DEFAULT_MAX_CHARS)
    else:
        learned = carried_fingerprint(examples, older, DEFAULT_MAX_CHARS) if older else None
    family_keys, family_states, gate = plain_keys, {}, None
    if learned is not None:
        family_keys = _with_fingerprint(plain_keys)
        family_states = {FINGERPRINT_KEY: learned.fingerprint.to_state()}
        gate = spinner_gate(learned.columns, labels) if base is not None else None
    names = _names(family_keys, family_states)
    if learned is not None:
        X_new = _arranged(np.hstack([X_new, learned.columns]), _names(plain_keys) + Fingerprint.feature_names(),
                          names)
    y_new = label_indices(labels)
    split_new = np.array([1 if _is_calib(ex.group) else 0 for ex in examples], dtype=np.int8)
    clean_new = np.array([label == "original" for label in labels])
    base_data = _base_training_data(base)
    if base_data is not None:
        # The base's rows were never read by a family this retrain adds (their texts are not stored): such
        # columns are missing, so the booster learns their splits from the batch's rows only.
        base_X = _arranged(base_data.X, base.manifest.feature_names, names)
        X = np.vstack([base_X, X_new])
        y = np.concatenate([base_data.y, y_new])
        split = np.concatenate([base_data.split, split_new])
        clean = np.concatenate([base_data.clean_news, clean_new])
        is_new = np.r_[np.zeros(len(base_data.y), bool), np.ones(len(y_new), bool)]
    else:
        X, y, split, clean, is_new = X_new, y_new, split_new, clean_new, np.ones(len(y_new), bool)
    train, calib = split == 0, split == 1
    if not calib.any() or not train.any():
        raise ValueError("the batch is too small to hold out calibration groups; add more groups or use --base")
    weight = batch_weight if batch_weight is not None else _auto_batch_weight(train & ~is_new, train & is_new)
    sample_weight = np.where(is_new, weight, 1.0)
    rounds = rounds or (base.manifest.training.get("rounds") if base else None) or DEFAULT_ROUNDS
    # The threshold's false-positive budget counts calib rows only, so `clean` serves as the fit's clean_news.
    model, _ = fit_model(
        X, y, train=train, calib=calib, clean_news=clean, family_keys=family_keys,
        name=name or (base.manifest.name if base else "spindetect-custom"),
        version=version or _derived_version(base, examples), seed=seed, rounds=rounds,
        training_data_sha256=_combined_digest(base, examples), counts=describe_counts(examples),
        base_model=base.ref if base else None, sample_weight=sample_weight, family_states=family_states,
        spinner_gate=gate.level if gate else None,
        training_extra={"batch_rows": int(is_new.sum()), "batch_weight": weight,
                        **({"fingerprint": {"paired_spun_pages": learned.paired_pages,
                                            **learned.fingerprint.learned_from}} if learned else {}),
                        **({"spinner_gate": gate.describe()} if gate else {}),
                        **({"cascade": cascade} if cascade else {})},
        progress=stderr_progress("boosting rounds") if progress else None)
    model.manifest.metrics = _retrain_metrics(model, base, base_data, X_new, y_new, split_new, X[~is_new])
    save_fitted(out, model, data_notes=_data_notes(base), training_data=TrainingData(X, y, split, clean))
    return RetrainResult(Path(out), model.manifest, dropped)


def _with_fingerprint(keys: list[str]) -> list[str]:
    """The families with the fingerprint after the text families and before the language model's: a deep
    stage's families must be its fast model's plus the language model (`model._cascade`)."""
    lm = [key for key in keys if key.startswith(f"{LM_NAME}@")]
    return [key for key in keys if key not in lm] + [FINGERPRINT_KEY] + lm


def _names(keys: list[str], states: dict | None = None) -> list[str]:
    return registry.feature_names(registry.build(keys, states))


def _arranged(X: np.ndarray, names: list[str], to_names: list[str]) -> np.ndarray:
    """X's columns in the order of `to_names`, by name; a name X does not have is a missing column."""
    column = {name: i for i, name in enumerate(names)}
    out = np.full((len(X), len(to_names)), np.nan, dtype=np.float32)
    for j, name in enumerate(to_names):
        if name in column:
            out[:, j] = X[:, column[name]]
    return out


def _resolve_binary_labels(labels: list[str], X: np.ndarray, base: Model | None) -> list[str]:
    """A binary 1 says "flagged" but not which kind; the base model names the most likely kind (its learned
    families, which `X` does not hold, read as missing)."""
    if BINARY_FLAGGED not in labels:
        return labels
    if base is None:
        raise ValueError("binary (0/1) labels need --base: the base model decides which kind of flag each 1 is")
    plain = [key for key in base.manifest.feature_families if not registry.is_stateful(key)]
    probabilities = base.predict(_arranged(X, _names(plain), base.manifest.feature_names))
    original = LABELS.index("original")
    probabilities[:, original] = -1.0
    kinds = [LABELS[i] for i in probabilities.argmax(axis=1)]
    return [kind if label == BINARY_FLAGGED else label for label, kind in zip(labels, kinds)]


def _base_training_data(base: Model | None) -> TrainingData | None:
    if base is None:
        return None
    data = base.training_data()
    if data is None:
        raise ModelError(f"{base.ref}: has no stored training features ({base.path}), so a retrain cannot build on "
                         "it; retrain from scratch or use a model trained by this spindetect")
    return data


def _auto_batch_weight(base_train: np.ndarray, new_train: np.ndarray) -> float:
    n_base, n_new = int(base_train.sum()), int(new_train.sum())
    if n_base == 0 or n_new == 0:
        return 1.0
    return float(np.clip(BATCH_SHARE_OF_BASE * n_base / n_new, 1.0, MAX_BATCH_WEIGHT))


def _is_calib(group: str) -> bool:
    return hash_bucket(f"retrain:{group}") < CALIB_SHARE


def _retrain_metrics(model: Model, base: Model | None, base_data: TrainingData | None, X_new: np.ndarray,
                     y_new: np.ndarray, split_new: np.ndarray, base_rows: np.ndarray | None) -> dict:
    """`base_rows` are the base's stored rows as the new model reads them (with any column it added)."""
    original = LABELS.index("original")
    metrics: dict = {}
    held_new = split_new == 1
    if held_new.any():
        metrics["batch_heldout"] = _report_at_own_flags(model, X_new[held_new], y_new[held_new] != original)
    if base is not None and base_data is not None:
        measuring = base_data.mask("test")
        if measuring.any():
            truth = base_data.y[measuring] != original
            metrics["base_measuring_before"] = _report_at_own_flags(base, base_data.X[measuring], truth)
            metrics["base_measuring_after"] = _report_at_own_flags(model, base_rows[measuring], truth)
    return metrics


def _report_at_own_flags(model: Model, X: np.ndarray, truth: np.ndarray) -> dict:
    """binary_report at the model's own operating point: its per-label thresholds where it has them (a base
    model may; a retrained one keeps a single threshold), so before and after compare what each flags."""
    decisions = model.decide(X)
    return binary_report(truth, decisions.scores, model.manifest.threshold, decisions.flagged)


def _derived_version(base: Model | None, examples) -> str:
    digest = data_digest(examples)[:8]
    return f"{base.manifest.version}+{digest}" if base else f"0+{digest}"


def _combined_digest(base: Model | None, examples) -> str:
    parts = [base.manifest.training_data_sha256 or "" if base else "", data_digest(examples)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _data_notes(base: Model | None) -> str:
    if base is None:
        return "Trained from scratch on a user-supplied labelled batch (see training.counts in the manifest)."
    return (f"Refitted on the stored training features of {base.ref} plus a user-supplied labelled batch "
            "(up-weighted; see training.batch_weight). The base's data provenance is in its own model card.")
