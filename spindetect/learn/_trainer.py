"""Fitting a model: features for labelled documents, an xgboost classifier, calibration and a threshold.

The recipe, shared by the shipped model's training script and `spindetect train`:
1. featurise every document with the registered families (cached per document digest, so a retrain on
   base data plus a small batch only computes the new batch);
2. fit a multi-class xgboost booster on the `train` rows, classes balanced by sample weight;
3. calibrate P(not original) with isotonic regression on the `calib` rows (groups unseen in training);
4. choose the threshold on `calib` so that at most `max_fpr` of the clean originals there are flagged;
5. choose the weight of farm residue that decides a verdict whatever the score (`residue_rule_weight`).
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DocumentError
from ..features import registry
from ..features.boilerplate import RESIDUE_MIN_WEIGHT
from ..io._records import InputItem
from ..model import LABELS, RESIDUE_FEATURE, Calibration, residue_reaches, xgb_feature_names
from ..pipeline import DEFAULT_MAX_CHARS, PREPARATION_VERSION, featurize, featurize_stages, preparation_key, prepare_document
from ._metrics import label_thresholds_within_budgets, threshold_for_fpr

logger = logging.getLogger(__name__)

DEFAULT_PARAMS = {
    "objective": "multi:softprob", "eval_metric": "mlogloss", "tree_method": "hist", "max_depth": 6,
    "eta": 0.08, "subsample": 0.8, "colsample_bytree": 0.8, "min_child_weight": 2.0, "lambda": 2.0,
}
DEFAULT_ROUNDS = 400


@dataclass
class Example:
    """One labelled document for training or evaluation."""

    id: str
    item: InputItem
    label: str
    group: str
    split: str = "train"
    source: str = ""
    generator: str = ""
    clean_news: bool = False  # an original that counts for the threshold's false-positive budget
    extra: dict = field(default_factory=dict)

    def digest(self) -> str:
        content = self.item.html if self.item.html is not None else self.item.text or ""
        kind = "html" if self.item.html is not None else "text"
        return hashlib.sha256(f"{kind}\0{content}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class FitResult:
    booster: object
    calibration: Calibration
    threshold: float
    rounds: int
    # Per group of originals: its false-positive budget and the rate flagged on calib at the threshold.
    calib_group_fpr: dict[str, dict] = field(default_factory=dict)
    # With fpr_groups: one threshold per flagged label, each at most `threshold` (Manifest.label_thresholds).
    label_thresholds: dict[str, float] | None = None
    # Manifest.residue_decides_at: the farm residue weight that flags a document whatever its score.
    residue_decides_at: float | None = None


def hash_bucket(key: str) -> float:
    """A stable number in [0, 1] for a key: deterministic splits that need no stored assignment."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def data_digest(examples: Sequence[Example]) -> str:
    """sha256 over the examples' content digests, labels and splits, in order: the training-data identity."""
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(f"{ex.digest()}\t{ex.label}\t{ex.group}\t{ex.split}\n".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------- features

class FeatureCache:
    """Feature rows by document digest for one feature schema, persisted as one .npz per schema."""

    def __init__(self, directory: Path | None, schema_hash: str, prefix: str = "features"):
        self.path = None if directory is None else Path(directory) / f"{prefix}-{schema_hash[:16]}.npz"
        self.rows: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path is not None and self.path.is_file():
            with np.load(self.path, allow_pickle=False) as data:
                self.rows = dict(zip(data["keys"].tolist(), data["rows"]))

    def get(self, key: str) -> np.ndarray | None:
        return self.rows.get(key)

    def put(self, key: str, row: np.ndarray) -> None:
        self.rows[key] = row
        self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty or not self.rows:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.rows), dtype="U64")
        rows = np.vstack(list(self.rows.values())).astype(np.float32)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, rows=rows)
        tmp.replace(self.path)
        self._dirty = False


def featurize_examples(examples: Sequence[Example], family_keys: Sequence[str], *, cache_dir: Path | None = None,
                       jobs: int = 1, progress: Callable[[int, int], None] | None = None,
                       max_chars: int = DEFAULT_MAX_CHARS,
                       states: dict[str, dict] | None = None,
                       first_stage: bool = False) -> tuple[np.ndarray, list[str | None]]:
    """Feature matrix (one row per example) and, per example, an error message or None. `states` are the
    learned states of stateful families (a model's `family_states`). With `first_stage`, each family's
    values after its first stage (`FeatureFamily.extract_stages`: the language model's first window), what
    the default mode's cascade decides on before it reads on (cached apart).

    Rows of documents that fail to prepare are NaN and carry their error; callers drop them. The cache
    holds each family's columns apart, so changing one family recomputes only that family.
    """
    families = registry.build(family_keys, states)
    names = registry.feature_names(families)
    spans: dict[str, slice] = {}
    start = 0
    for key, family in zip(family_keys, families):
        spans[key] = slice(start, start + len(family.feature_names()))
        start = spans[key].stop
    stage = "-first-stage" if first_stage else ""
    caches = {key: FeatureCache(cache_dir, family_cache_key(key, family, first_stage),
                                prefix=f"features-{key.replace('@', '-')}{stage}")
              for key, family in zip(family_keys, families)}
    matrix = np.full((len(examples), len(names)), np.nan, dtype=np.float32)
    errors: list[str | None] = [None] * len(examples)
    missing_by_example: dict[int, tuple[str, ...]] = {}
    digests = [cache_digest(ex, max_chars) for ex in examples]
    for i, digest in enumerate(digests):
        missing = []
        for key, cache in caches.items():
            cached = cache.get(digest)
            if cached is not None and len(cached) == spans[key].stop - spans[key].start:
                matrix[i, spans[key]] = cached
            else:
                missing.append(key)
        if missing:
            missing_by_example[i] = tuple(missing)
    logger.info("featurising %d documents (%d fully cached)", len(missing_by_example),
                len(examples) - len(missing_by_example))
    done = len(examples) - len(missing_by_example)
    by_missing: dict[tuple[str, ...], list[int]] = {}
    for i, missing in missing_by_example.items():
        by_missing.setdefault(missing, []).append(i)
    for missing, todo in by_missing.items():
        chunks = [todo[start:start + 200] for start in range(0, len(todo), 200)]
        columns = np.concatenate([np.arange(spans[key].start, spans[key].stop) for key in missing])
        for chunk, rows in zip(chunks, _map_chunks(chunks, examples, list(missing), jobs, max_chars, states,
                                                   first_stage)):
            for i, (row, error) in zip(chunk, rows):
                if error is None:
                    matrix[i, columns] = row
                    offset = 0
                    for key in missing:
                        width = spans[key].stop - spans[key].start
                        caches[key].put(digests[i], row[offset:offset + width])
                        offset += width
                errors[i] = error
            done += len(chunk)
            if progress:
                progress(done, len(examples))
    for cache in caches.values():
        cache.save()
    return matrix, errors


def cache_digest(example: Example, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The key of an example's cached rows: its content digest, salted with any preparation step that
    changed it since PREPARATION_VERSION (`pipeline.preparation_key`), so only those rows are recomputed."""
    digest = example.digest()
    step = preparation_key(example.item, max_chars)
    return hashlib.sha256(f"{digest}:{step}".encode()).hexdigest() if step else digest


def family_cache_key(key: str, family, first_stage: bool = False) -> str:
    """Cache identity of one family's columns: its versioned key, its names, what else fixes its values
    (`FeatureFamily.cache_identity`: the boilerplate signatures as written), the preparation version
    (a change in extraction or normalisation changes every family's input), and whether they are its first
    stage's."""
    return registry.schema_hash([PREPARATION_VERSION, key, *family.feature_names(), *family.cache_identity(),
                                 *(["first stage"] if first_stage else [])])


def _map_chunks(chunks, examples, family_keys, jobs, max_chars, states, first_stage=False):
    payloads = ([examples[i].item for i in chunk] for chunk in chunks)
    if jobs <= 1:
        families = registry.build(family_keys, states)
        for items in payloads:
            yield [_featurize_item(families, item, max_chars, first_stage) for item in items]
        return
    from joblib import Parallel, delayed

    # return_as="generator" keeps results in order while workers run ahead.
    yield from Parallel(n_jobs=jobs, return_as="generator")(
        delayed(_featurize_items)(family_keys, items, max_chars, states, first_stage) for items in payloads)


def _featurize_items(family_keys, items, max_chars, states, first_stage=False):
    families = registry.build(family_keys, states)
    return [_featurize_item(families, item, max_chars, first_stage) for item in items]


def _featurize_item(families, item: InputItem, max_chars: int, first_stage: bool = False):
    try:
        document = prepare_document(item, max_chars)
        if first_stage:
            vector, _results, _more = next(featurize_stages(families, document))
        else:
            vector, _ = featurize(families, document)
        return vector, None
    except DocumentError as exc:
        return None, exc.message
    except Exception as exc:  # a featurisation bug on one document must not abort a training run
        logger.debug("featurising %s failed", item.id, exc_info=True)
        return None, f"internal: {exc!r}"


def stderr_progress(label: str) -> Callable[[int, int], None]:
    """A progress callback that rewrites one stderr line."""
    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\r{label}: {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return report


# ---------------------------------------------------------------------------------------------- fitting

def class_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Per-row weights that give every present class the same total weight."""
    counts = np.bincount(y, minlength=n_classes).astype(float)
    per_class = np.where(counts > 0, len(y) / (np.maximum(counts, 1) * max((counts > 0).sum(), 1)), 0.0)
    return per_class[y]


# Share of each group's false-positive budget the thresholds may spend on calib (see fit_classifier).
GROUP_BUDGET_MARGIN = 0.5
# The residue rule never decides on less than two full-weight residue signatures' worth (see
# residue_rule_weight), however clean the originals of a small training set are.
RESIDUE_RULE_FLOOR = 2.0


def residue_rule_weight(X: np.ndarray, y: np.ndarray, rows: np.ndarray, feature_names: Sequence[str]) -> float | None:
    """The farm residue weight at which a document is flagged whatever its score (Manifest.residue_decides_at).

    A verified autoblog signature should count on its own. The booster weighs it together with the
    page's chrome, and the copy threshold is held down by real pages whose chrome reads like a farm's, so
    calibration-split farm pages carrying three residue signatures (weight 2.8-3.8) were scored 0.89-0.93
    against a 0.95 threshold. The rule lets residue decide only above every original among `rows` (the
    fitting and calibration rows, never measuring ones), by at least one more of the weakest residue
    signature (RESIDUE_MIN_WEIGHT), and never below RESIDUE_RULE_FLOOR. None without the residue feature or
    without originals to bound it.
    """
    if RESIDUE_FEATURE not in feature_names:
        return None
    originals = rows & (y == LABELS.index("original"))
    if not originals.any():
        return None
    highest = float(np.nan_to_num(X[originals, list(feature_names).index(RESIDUE_FEATURE)], nan=0.0).max())
    # Weights are sums of one-decimal signature weights, stored as float32: round off the float noise.
    return round(max(highest + RESIDUE_MIN_WEIGHT, RESIDUE_RULE_FLOOR), 2)


def fit_classifier(X: np.ndarray, y: np.ndarray, *, train: np.ndarray, calib: np.ndarray, clean_news: np.ndarray,
                   feature_names: list[str], seed: int = 0, rounds: int = DEFAULT_ROUNDS,
                   params: dict | None = None, max_fpr: float = 0.01, nthread: int = 2,
                   sample_weight: np.ndarray | None = None,
                   fpr_groups: dict[str, tuple[np.ndarray, float]] | None = None, residue_rule: bool = True,
                   progress: Callable[[int, int], None] | None = None) -> FitResult:
    """Fit booster on `train` rows, calibrate and set the threshold on `calib` rows.

    `clean_news` marks the calib originals whose false-positive rate the threshold must hold at max_fpr.
    `fpr_groups` ({name: (row mask, budget)}), when given, replaces that single budget: the threshold is
    the lowest one that holds *every* group of originals (real pages, plain news, news with chrome, human
    translations, ...) within its own budget on calib, so no kind of legitimate document pays for the
    others' low scores.
    `sample_weight` (one per row of X) multiplies the class-balancing weights, e.g. to let a small new
    batch count against a large base. `residue_rule` chooses `residue_rule_weight` on the train and calib
    rows; the calib report counts what it flags.
    """
    import xgboost as xgb

    original = LABELS.index("original")
    if not calib.any():
        raise ValueError("calibration needs held-out rows (split 'calib'); none were given")
    booster_params = {**DEFAULT_PARAMS, **(params or {}), "num_class": len(LABELS), "seed": seed,
                      "nthread": nthread}
    names = xgb_feature_names(feature_names)
    weights = class_weights(y[train], len(LABELS))
    if sample_weight is not None:
        weights = weights * sample_weight[train]
    dtrain = xgb.DMatrix(X[train], label=y[train], weight=weights,
                         feature_names=names, missing=np.nan)
    callbacks = [_ProgressCallback(rounds, progress)] if progress else []
    booster = xgb.train(booster_params, dtrain, num_boost_round=rounds, callbacks=callbacks)

    dcalib = xgb.DMatrix(X[calib], feature_names=names, missing=np.nan)
    raw = 1.0 - booster.predict(dcalib).reshape(-1, len(LABELS))[:, original]
    truth = (y[calib] != original).astype(float)
    calibration = centered_isotonic(raw, truth)
    calibrated = calibration.apply(raw)
    groups = fpr_groups if fpr_groups is not None else {"clean news": (clean_news, max_fpr)}
    # With groups, each budget is aimed at with a margin: a few hundred calib originals per group estimate
    # its rate only roughly, and a threshold that spends a whole budget on calib overspends it elsewhere
    # (measured: 1.4% of held-out clean news flagged against a 1% budget spent in full on calib).
    margin = GROUP_BUDGET_MARGIN if fpr_groups is not None else 1.0
    thresholds = [threshold_for_fpr(calibrated[mask[calib]], budget * margin) for mask, budget in groups.values()
                  if mask[calib].any()]
    # A threshold of exactly 0 or above every positive would make the flag meaningless; keep it in (0, 1].
    threshold = float(min(max(max(thresholds, default=0.5), 1e-6), 1.0))
    per_label = None
    flagged = calibrated >= threshold
    if fpr_groups is not None:
        probabilities = booster.predict(dcalib).reshape(-1, len(LABELS))
        candidate = candidate_labels(probabilities)
        found = label_thresholds_within_budgets(
            calibrated, candidate, truth.astype(bool),
            [(mask[calib], budget * margin) for mask, budget in groups.values()],
            threshold, [i for i in range(len(LABELS)) if i != original])
        per_label = {LABELS[i]: float(t) for i, t in found.items()}
        flagged = calibrated >= np.array([found[c] for c in candidate])
    residue_decides_at = residue_rule_weight(X, y, train | calib, feature_names) if residue_rule else None
    if residue_decides_at is not None:
        flagged = flagged | residue_reaches(X[calib], feature_names, residue_decides_at)
    report = {name: {"budget": budget, "n": int(mask[calib].sum()),
                     "fpr": float(flagged[mask[calib]].mean()) if mask[calib].any() else None}
              for name, (mask, budget) in groups.items()}
    return FitResult(booster, calibration, threshold, rounds, report, per_label, residue_decides_at)


def candidate_labels(probabilities: np.ndarray) -> np.ndarray:
    """Per row, the index of the most likely non-original class: the label a flag would carry."""
    others = probabilities.copy()
    others[:, LABELS.index("original")] = -np.inf
    return others.argmax(axis=1)


def centered_isotonic(raw: np.ndarray, truth: np.ndarray) -> Calibration:
    """Centred isotonic regression (Oron & Flournoy, 2017): calibrated and strictly increasing.

    Plain isotonic regression maps whole ranges of raw scores to one value. Near the top those plateaus
    hold originals and farm pages alike, so no threshold can separate them (measured: a plateau at 0.927
    held 40% of the missed held-out copies). Joining the plateau centres with straight lines, anchored at
    (0, 0) and (1, 1), keeps the isotonic fit's calibration while every distinct raw score keeps a
    distinct calibrated score, so the ranking the booster learned survives calibration.
    """
    from sklearn.isotonic import IsotonicRegression

    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, truth)
    xs, ys = np.asarray(isotonic.X_thresholds_, float), np.asarray(isotonic.y_thresholds_, float)
    centres_x, centres_y = [0.0], [0.0]
    start = 0
    for end in range(1, len(ys) + 1):
        if end == len(ys) or ys[end] != ys[start]:
            x_mid = (xs[start] + xs[end - 1]) / 2.0
            if centres_y[-1] < ys[start] < 1.0 and centres_x[-1] < x_mid < 1.0:
                centres_x.append(float(x_mid))
                centres_y.append(float(ys[start]))
            start = end
    centres_x.append(1.0)
    centres_y.append(1.0)
    return Calibration(centres_x, centres_y)


class _ProgressCallback:
    """xgboost TrainingCallback reporting boosting rounds (built lazily: xgboost imports on first use)."""

    def __new__(cls, rounds, progress):
        import xgboost as xgb

        class Callback(xgb.callback.TrainingCallback):
            def after_iteration(self, model, epoch, evals_log):
                if (epoch + 1) % 25 == 0 or epoch + 1 == rounds:
                    progress(epoch + 1, rounds)
                return False

        return Callback()


def label_indices(labels: Sequence[str]) -> np.ndarray:
    return np.array([LABELS.index(label) for label in labels], dtype=np.int64)


def describe_counts(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    """Counts per split and label, for the model card."""
    table: dict[str, Counter] = {}
    for ex in examples:
        table.setdefault(ex.split, Counter())[ex.label] += 1
    return {split: dict(counter) for split, counter in sorted(table.items())}



def library_versions() -> dict:
    """Versions that decide a model's predictions, for the manifest (reproducibility is per version set)."""
    import platform

    import sklearn
    import xgboost

    from .. import __version__

    return {"spindetect": __version__, "xgboost": xgboost.__version__, "numpy": np.__version__,
            "scikit-learn": sklearn.__version__, "python": platform.python_version()}
