"""The model artifact: xgboost's native UBJ booster plus a JSON manifest. Nothing here unpickles.

A model is a directory:

    model.ubj        xgboost Booster.save_model (UBJ): trees only, no code
    manifest.json    protocol, name@version, labels, feature families and ordered feature names with their
                     sha256, threshold, calibration table, seed, training-data digest, metrics, versions,
                     and a sha256 for every other file in the directory
    MODEL_CARD.md    intended use, data, figures, limits

Loading verifies every file hash and the feature-schema hash before the booster is touched, and refuses a
model with a message that says what differs (as skops' trust checks do, without any pickle to trust).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..features import registry
from ._calibration import Calibration
from ._registry import resolve_model_path

PROTOCOL = 1  # bump when the manifest's meaning changes; keep a loader for every older protocol
MANIFEST = "manifest.json"
BOOSTER_FILE = "model.ubj"
TRAINING_DATA_FILE = "training_data.npz"
FAMILY_STATES_FILE = "family_states.json"  # learned state of stateful feature families (registry.build)
LABELS = ("original", "copy", "spun", "translated", "rewritten")
# The feature a model's residue rule reads (Manifest.residue_decides_at).
RESIDUE_FEATURE = "boilerplate.residue_weight"
# A retrained model's learned spinner (`fingerprint` family): its columns' prefix and the feature its gate
# reads (Manifest.spinner_gate).
FINGERPRINT_PREFIX = "fingerprint."
SPINNER_FEATURE = "fingerprint.llr"
# `contribution_contrast` splits the booster by class once this many rows (one default batch) have been
# explained: the split costs ~0.5 s once and saves ~2.5 ms of CPU per row.
SPLIT_AFTER_ROWS = 64


@dataclass
class TrainingData:
    """The feature rows a model was fitted and calibrated on, kept so that a retrain can build on them.

    Numbers only (features, label indices, split codes, the clean-news flag): no text, no pickle. Split
    codes: 0 train, 1 calib, 2 test (measured only).
    """

    X: np.ndarray
    y: np.ndarray
    split: np.ndarray
    clean_news: np.ndarray

    SPLIT_CODES = {"train": 0, "calib": 1, "test": 2}

    def save(self, path: Path) -> None:
        with path.open("wb") as stream:
            np.savez_compressed(stream, X=self.X.astype(np.float32), y=self.y.astype(np.int8),
                                split=self.split.astype(np.int8), clean_news=self.clean_news.astype(bool))

    @classmethod
    def load(cls, path: Path) -> TrainingData:
        with np.load(path, allow_pickle=False) as data:  # allow_pickle=False: arrays only, never code
            return cls(data["X"], data["y"].astype(np.int64), data["split"], data["clean_news"])

    def mask(self, split: str) -> np.ndarray:
        return self.split == self.SPLIT_CODES[split]


@dataclass
class Manifest:
    name: str
    version: str
    labels: list[str]
    feature_families: list[str]
    feature_names: list[str]
    threshold: float
    calibration: Calibration
    seed: int | None = None
    training_data_sha256: str | None = None
    base_model: str | None = None
    metrics: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    protocol: int = PROTOCOL
    # Optional: one threshold per flagged label ({"copy": 0.93, ...}), each at most `threshold`; a document
    # is flagged when its score reaches the threshold of the label it would get. Absent: `threshold` for all.
    label_thresholds: dict[str, float] | None = None
    # Optional: a document whose farm residue (RESIDUE_FEATURE: the summed weight of the distinct registry
    # signatures of what a farm adds) reaches this weight is flagged whatever its score, as a copy unless
    # its score flags it as something else (see Model.decide). Chosen in training above every original it
    # was fitted and calibrated on (learn._trainer.residue_rule_weight). Absent: no such rule.
    residue_decides_at: float | None = None
    # Optional, on a model retrained on a user's spinner: the learned fingerprint may add a flag only where
    # its log-likelihood ratio (SPINNER_FEATURE) reaches this level, chosen above every original of the
    # labelled batch, each read with a table learned without it (learn._fingerprint.spinner_gate). Elsewhere
    # the verdict is the one the model gives with the fingerprint's columns missing (Model.decide).
    spinner_gate: float | None = None

    @property
    def feature_schema_sha256(self) -> str:
        return registry.schema_hash(self.feature_names)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def to_dict(self) -> dict:
        return {
            "format": "spindetect-model", "protocol": self.protocol, "name": self.name, "version": self.version,
            "labels": self.labels, "feature_families": self.feature_families,
            "feature_names": self.feature_names, "feature_schema_sha256": self.feature_schema_sha256,
            "threshold": self.threshold, "calibration": self.calibration.to_dict(), "seed": self.seed,
            "training_data_sha256": self.training_data_sha256, "base_model": self.base_model,
            "metrics": self.metrics, "versions": self.versions, "training": self.training, "files": self.files,
            **({"label_thresholds": self.label_thresholds} if self.label_thresholds else {}),
            **({"residue_decides_at": self.residue_decides_at} if self.residue_decides_at is not None else {}),
            **({"spinner_gate": self.spinner_gate} if self.spinner_gate is not None else {}),
        }

    @classmethod
    def from_dict(cls, data: dict, where: str) -> Manifest:
        if data.get("format") != "spindetect-model":
            raise ModelError(f"{where}: not a spindetect model manifest")
        protocol = data.get("protocol")
        if protocol != PROTOCOL:  # protocol 1 is the only one so far; older loaders go here when it changes
            raise ModelError(f"{where}: manifest protocol {protocol} is not supported by this spindetect "
                             f"(supports {PROTOCOL}); upgrade spindetect or retrain")
        try:
            manifest = cls(
                name=data["name"], version=str(data["version"]), labels=list(data["labels"]),
                feature_families=list(data["feature_families"]), feature_names=list(data["feature_names"]),
                threshold=float(data["threshold"]),
                calibration=Calibration(list(data["calibration"]["x"]), list(data["calibration"]["y"])),
                seed=data.get("seed"), training_data_sha256=data.get("training_data_sha256"),
                base_model=data.get("base_model"), metrics=data.get("metrics", {}),
                versions=data.get("versions", {}), training=data.get("training", {}), files=data.get("files", {}),
                label_thresholds=_label_thresholds(data.get("label_thresholds"), data["labels"]),
                residue_decides_at=_residue_decides_at(data.get("residue_decides_at"), data["feature_names"]),
                spinner_gate=_spinner_gate(data.get("spinner_gate"), data["feature_names"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: manifest is incomplete or malformed ({exc!r})") from exc
        stated = data.get("feature_schema_sha256")
        if stated != manifest.feature_schema_sha256:
            raise ModelError(f"{where}: feature_schema_sha256 {stated} does not match its own feature_names "
                             f"({manifest.feature_schema_sha256}); the manifest was edited")
        return manifest


def _label_thresholds(raw, labels: list[str]) -> dict[str, float] | None:
    if raw is None:
        return None
    thresholds = {str(label): float(value) for label, value in dict(raw).items()}
    expected = {label for label in labels if label != "original"}
    if set(thresholds) != expected:
        raise ValueError(f"label_thresholds must name exactly {sorted(expected)}")
    return thresholds


def _residue_decides_at(raw, feature_names: list[str]) -> float | None:
    if raw is None:
        return None
    weight = float(raw)
    if not weight > 0:
        raise ValueError(f"residue_decides_at must be a positive weight, not {raw!r}")
    if RESIDUE_FEATURE not in feature_names:
        raise ValueError(f"residue_decides_at needs the feature {RESIDUE_FEATURE}, which this model lacks")
    return weight


def _spinner_gate(raw, feature_names: list[str]) -> float | None:
    if raw is None:
        return None
    level = float(raw)
    if not np.isfinite(level):
        raise ValueError(f"spinner_gate must be a number, not {raw!r}")
    if SPINNER_FEATURE not in feature_names:
        raise ValueError(f"spinner_gate needs the feature {SPINNER_FEATURE}, which this model lacks")
    return level


def residue_reaches(features: np.ndarray, feature_names: list[str], weight: float) -> np.ndarray:
    """Rows whose RESIDUE_FEATURE reaches `weight` (a missing value is no residue): the residue rule, for a
    loaded model (Model.residue_decides) and for the fit that chooses its weight alike."""
    column = np.asarray(features)[:, list(feature_names).index(RESIDUE_FEATURE)]
    return np.nan_to_num(column, nan=0.0) >= weight


@dataclass(frozen=True)
class Decisions:
    """A model's verdicts on a feature matrix, one entry per row (see Model.decide)."""

    probabilities: np.ndarray  # (n, len(labels)), columns in manifest.labels order
    scores: np.ndarray  # calibrated P(not original)
    flagged: np.ndarray
    label_index: np.ndarray  # the verdict's label
    against: np.ndarray  # its strongest rival (what the explanation contrasts it with)
    by_residue: np.ndarray  # flagged only because the residue rule decided (the score alone would not)
    # Read without the learned fingerprint, which would have flagged them below its gate (Model.decide):
    # their probabilities and score are the model's with those columns missing, as their reasons must be.
    ungated: np.ndarray


class Model:
    """A loaded, verified model: booster, manifest and the feature families it was trained with."""

    def __init__(self, manifest: Manifest, booster, path: Path | None = None,
                 family_states: dict[str, dict] | None = None):
        self.manifest = manifest
        self.booster = booster
        self.path = path
        # The learned state of each stateful family (`FeatureFamily.stateful`), as stored in FAMILY_STATES_FILE.
        self.family_states = dict(family_states or {})
        self.families = registry.build(manifest.feature_families, self.family_states)
        current = registry.feature_names(self.families)
        if current != manifest.feature_names:
            raise ModelError(_schema_mismatch(manifest.feature_names, current, where=str(path)))
        # Booster.predict with a DMatrix is not documented as thread-safe for contributions; one lock per
        # model keeps a shared Detector safe at little cost (prediction is batched).
        self._predict_lock = threading.Lock()
        self._class_boosters: list | None = None  # built on first use, see `contribution_contrast`
        self._rows_explained = 0  # rows given to `contribution_contrast` before the split
        self._threads: int | None = None  # xgboost's default (every core) unless `set_threads` is called

    @property
    def ref(self) -> str:
        return self.manifest.ref

    def training_data(self) -> TrainingData | None:
        """The stored training features (verified with the other files at load), or None."""
        if self.path is None or TRAINING_DATA_FILE not in self.manifest.files:
            return None
        return TrainingData.load(self.path / TRAINING_DATA_FILE)

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (n, len(labels)), columns in manifest.labels order."""
        with self._predict_lock:
            # inplace_predict: the same probabilities as through a DMatrix, without building one. The
            # columns are in manifest order by construction (featurize), which load_model has checked.
            probabilities = self.booster.inplace_predict(np.asarray(features, dtype=np.float32), missing=np.nan)
            return np.asarray(probabilities).reshape(len(features), len(self.manifest.labels))

    def scores(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(class probabilities, calibrated probability of "not original") for a feature matrix."""
        probabilities = self.predict(features)
        raw_not_original = 1.0 - probabilities[:, self.manifest.labels.index("original")]
        return probabilities, self.manifest.calibration.apply(raw_not_original)

    def flags(self, probabilities: np.ndarray, scores: np.ndarray, threshold: float | None = None) -> np.ndarray:
        """Which rows their scores flag: `score >= threshold` when one is given (a user's override), else the
        manifest's threshold for the label each row would get (or its single threshold). What a verdict
        reports is `decide`, which adds the residue rule."""
        scores = np.asarray(scores, dtype=float)
        if threshold is not None or not self.manifest.label_thresholds:
            return scores >= (self.manifest.threshold if threshold is None else float(threshold))
        labels = self.manifest.labels
        by_index = np.array([self.manifest.label_thresholds.get(label, self.manifest.threshold) for label in labels])
        others = np.array(probabilities, dtype=float, copy=True)
        others[:, labels.index("original")] = -np.inf
        return scores >= by_index[others.argmax(axis=1)]

    def residue_decides(self, features: np.ndarray) -> np.ndarray:
        """Rows whose farm residue reaches the manifest's `residue_decides_at` (none without one)."""
        if self.manifest.residue_decides_at is None:
            return np.zeros(len(features), dtype=bool)
        return residue_reaches(features, self.manifest.feature_names, self.manifest.residue_decides_at)

    def decide(self, features: np.ndarray, threshold: float | None = None) -> Decisions:
        """Scores, flags and labels for a feature matrix: what the Detector reports and every figure measures.

        A row is flagged when its score reaches its label's threshold (`flags`), or when its farm residue
        decides (`residue_decides`): a verified signature of what a farm adds must count even where the
        booster, which also weighs the page's ordinary chrome, scores the page just under a threshold held
        down by real pages. The rule applies under a user's threshold override too: it is evidence, not a
        score. A row flagged by residue alone is a copy.

        On a model retrained on a user's spinner, the learned fingerprint is gated (Manifest.spinner_gate):
        the booster learned it from the batch alone (the base's stored rows have no text to read it on),
        and flagged 2-4% of unrelated news on it; above the gate, beyond every original of the batch, it
        counts as the booster weighs it.
        """
        probabilities, scores = self.scores(features)
        by_score = self.flags(probabilities, scores, threshold)
        ungated = np.zeros(len(features), dtype=bool)
        if self.manifest.spinner_gate is not None:
            # The fingerprint may add a flag only above its gate: where it flags what the model without it
            # would not, and reads below the gate, the verdict is the one without it.
            blind_probabilities, blind_scores = self.scores(self.without_fingerprint(features))
            blind = self.flags(blind_probabilities, blind_scores, threshold)
            llr = np.asarray(features)[:, self.manifest.feature_names.index(SPINNER_FEATURE)]
            ungated = by_score & ~blind & ~(np.nan_to_num(llr, nan=-np.inf) >= self.manifest.spinner_gate)
            probabilities = np.where(ungated[:, None], blind_probabilities, probabilities)
            scores = np.where(ungated, blind_scores, scores)
            by_score = by_score & ~ungated
        by_residue = self.residue_decides(features) & ~by_score
        flagged = by_score | by_residue
        pairs = [self.verdict_labels(row, flag, residue) for row, flag, residue in zip(probabilities, flagged,
                                                                                        by_residue)]
        label_index, against = np.array(pairs, dtype=int).reshape(-1, 2).T
        return Decisions(probabilities, scores, flagged, label_index, against, by_residue, ungated)

    def without_fingerprint(self, features: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """A copy of `features` with the learned fingerprint's columns missing (in `rows` only, if given)."""
        blind = np.array(features, dtype=np.float32, copy=True)
        columns = [i for i, name in enumerate(self.manifest.feature_names) if name.startswith(FINGERPRINT_PREFIX)]
        blind[np.ix_(np.arange(len(blind)) if rows is None else np.flatnonzero(rows), columns)] = np.nan
        return blind

    def verdict_labels(self, probabilities: np.ndarray, flagged: bool, by_residue: bool = False) -> tuple[int, int]:
        """(index of the verdict's label, index of its strongest rival) for one row of probabilities.

        The label agrees with the flag: a flagged document gets its most likely non-original class, an
        unflagged one is "original" (otherwise a user could read "flagged: true, label: original"). A
        document flagged by its farm residue alone is a copy, against original.
        """
        original = self.manifest.labels.index("original")
        if by_residue:
            return self.manifest.labels.index("copy"), original
        best_other = max((i for i in range(len(self.manifest.labels)) if i != original),
                         key=lambda i: probabilities[i])
        return (best_other, original) if flagged else (original, best_other)

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Per-feature margin contributions, shape (n, n_labels, n_features + 1); last column is the bias."""
        with self._predict_lock:
            return self._contributions_unlocked(features)

    def _contributions_unlocked(self, features: np.ndarray) -> np.ndarray:
        import xgboost as xgb

        # One thread to build the DMatrix, as in `class_trees.contrast`.
        matrix = xgb.DMatrix(features, feature_names=self._xgb_names(), missing=np.nan, nthread=1)
        contribs = np.asarray(self.booster.predict(matrix, pred_contribs=True))
        shape = (len(features), len(self.manifest.labels), len(self.manifest.feature_names) + 1)
        return contribs.reshape(shape)

    def contribution_contrast(self, features: np.ndarray, labels: np.ndarray,
                              against: np.ndarray) -> np.ndarray:
        """Row i of `contributions(features)[:, labels]` minus row i of `[:, against]`: how each feature
        moved document i towards class labels[i] rather than against[i]; shape (n, n_features + 1).

        The same numbers as subtracting two slices of `contributions`, at two fifths of its cost: TreeSHAP
        runs only over the trees of the two classes each row needs (see `spindetect.model._class_trees`).
        """
        from ._class_trees import contrast, split_by_class

        with self._predict_lock:
            if self._class_boosters is None and self._rows_explained < SPLIT_AFTER_ROWS:
                # A short run, and the first record of any run, is quicker without the split (see
                # SPLIT_AFTER_ROWS).
                self._rows_explained += len(features)
                full = self._contributions_unlocked(features)
                rows = np.arange(len(features))
                return full[rows, labels] - full[rows, against]
            if self._class_boosters is None:
                self._class_boosters = split_by_class(self.booster)
                if self._threads is not None:
                    for booster in self._class_boosters:
                        booster.set_param({"nthread": self._threads})
            return contrast(self._class_boosters, np.asarray(features, dtype=np.float32), np.asarray(labels),
                            np.asarray(against), self._xgb_names())

    def set_threads(self, threads: int) -> None:
        """Cap xgboost's threads (e.g. 1 per worker process, so that workers do not oversubscribe the cores)."""
        with self._predict_lock:
            self._threads = threads
            for booster in [self.booster, *(self._class_boosters or ())]:
                booster.set_param({"nthread": threads})

    def _xgb_names(self) -> list[str]:
        return xgb_feature_names(self.manifest.feature_names)


def xgb_feature_names(names: list[str]) -> list[str]:
    """xgboost refuses some characters in feature names; ours only need '.' kept readable."""
    return [n.replace("[", "(").replace("]", ")").replace("<", "lt") for n in names]


def _schema_mismatch(expected: list[str], actual: list[str], where: str) -> str:
    missing = [n for n in expected if n not in actual]
    extra = [n for n in actual if n not in expected]
    detail = []
    if missing:
        detail.append(f"the model expects features this spindetect does not compute: {missing[:8]}")
    if extra:
        detail.append(f"this spindetect computes features the model never saw: {extra[:8]}")
    if not missing and not extra:
        detail.append("the same features in a different order")
    return f"{where}: feature schema mismatch — " + "; ".join(detail) + ". Retrain the model with this version."


def import_xgboost_without_sklearn() -> None:
    """Import xgboost without its scikit-learn integration, for processes that only score.

    xgboost imports scikit-learn (and SciPy behind it) when it is installed, only to base its
    XGBClassifier-style wrappers on sklearn's estimator classes: about a second of start-up, of a command
    that needs the Booster alone. Hiding sklearn for the length of that one import makes xgboost take its
    own no-sklearn branch; sklearn itself stays importable afterwards, but this process's xgboost
    estimator wrappers are then not sklearn estimators. So only the `score` command and its worker
    processes call this, never the library (a user's process may want those wrappers).
    """
    if "xgboost" in sys.modules or "sklearn" in sys.modules:
        return
    sys.modules["sklearn"] = None  # type: ignore[assignment]  # "import sklearn" now raises ImportError
    try:
        import xgboost  # noqa: F401
    finally:
        del sys.modules["sklearn"]


def load_model(model: str | os.PathLike | None = None) -> Model:
    path = resolve_model_path(model)
    manifest_path = path / MANIFEST
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no {MANIFEST}; not a spindetect model directory") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{manifest_path}: unreadable manifest ({exc})") from exc
    manifest = Manifest.from_dict(data, str(manifest_path))
    verify_files(path, manifest)
    family_states = _read_family_states(path, manifest)
    import xgboost as xgb

    booster = xgb.Booster()
    try:
        booster.load_model(str(path / BOOSTER_FILE))
    except xgb.core.XGBoostError as exc:
        raise ModelError(f"{path / BOOSTER_FILE}: xgboost cannot read it ({exc})") from exc
    return Model(manifest, booster, path, family_states)


def _read_family_states(path: Path, manifest: Manifest) -> dict[str, dict]:
    """The stateful families' learned states: plain JSON, hash-checked with the other files."""
    if FAMILY_STATES_FILE not in manifest.files:
        return {}
    try:
        states = json.loads((path / FAMILY_STATES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path / FAMILY_STATES_FILE}: unreadable ({exc})") from exc
    if not isinstance(states, dict) or not all(isinstance(v, dict) for v in states.values()):
        raise ModelError(f"{path / FAMILY_STATES_FILE}: expected an object of family key -> state")
    return states


def verify_files(path: Path, manifest: Manifest) -> None:
    if BOOSTER_FILE not in manifest.files:
        raise ModelError(f"{path}: manifest lists no hash for {BOOSTER_FILE}")
    for name, expected in manifest.files.items():
        if os.path.basename(name) != name:
            raise ModelError(f"{path}: manifest names a file outside the model directory: {name!r}")
        target = path / name
        if not target.is_file():
            raise ModelError(f"{path}: {name} is listed in the manifest but missing")
        actual = sha256_file(target)
        if actual != expected:
            raise ModelError(f"{target}: sha256 {actual[:16]}… does not match the manifest's {expected[:16]}…; "
                             "the file was modified after training. Refusing to load it.")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(out: Path, manifest: Manifest, booster, model_card: str,
               training_data: TrainingData | None = None, family_states: dict[str, dict] | None = None) -> Path:
    """Write a model directory atomically: build it in a temporary sibling, then rename into place.

    A crash midway leaves at most a stray temporary directory; whatever model was at `out` before stays
    whole and loadable until the final rename replaces it.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        booster.save_model(str(staging / BOOSTER_FILE))
        (staging / "MODEL_CARD.md").write_text(model_card, encoding="utf-8")
        names = [BOOSTER_FILE, "MODEL_CARD.md"]
        if training_data is not None:
            training_data.save(staging / TRAINING_DATA_FILE)
            names.append(TRAINING_DATA_FILE)
        if family_states:
            (staging / FAMILY_STATES_FILE).write_text(json.dumps(family_states, indent=1, sort_keys=True) + "\n",
                                                      encoding="utf-8")
            names.append(FAMILY_STATES_FILE)
        manifest.files = {name: sha256_file(staging / name) for name in names}
        (staging / MANIFEST).write_text(json.dumps(manifest.to_dict(), indent=1) + "\n", encoding="utf-8")
        for child in staging.iterdir():
            _fsync(child)
        _replace_directory(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _replace_directory(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    # Two renames: POSIX cannot atomically swap two non-empty directories. Between them `out` is briefly
    # absent but the old model still exists whole as `retired`; it is removed only after the swap.
    retired = out.with_name(f".{out.name}.{os.getpid()}.retired")
    os.rename(out, retired)
    os.rename(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())
