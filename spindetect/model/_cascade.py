"""The cascade: a fast model scores everything; a deep model, which adds the language-model features, decides
spinning and machine translation where the fast model cannot clear a document.

A model directory may hold its deep stage in `deep/`, a model directory of its own (verified like any
other: xgboost's native format plus a manifest with file hashes). The deep model's features are the fast
model's, in the same order, then the `lm` family's; its manifest's `training.cascade` names the fast model
it was trained beside (name, version and booster digest), `send_score`, what the send rule reads of the
fast verdict, and `send_above`, the value from which a document goes to the language model (chosen on the
calibration split, on the curve of spinning recall against the share of documents sent:
`training/train_deep.py`). The send score is the fast model's probability of the labels the deep stage can
add, P(spun) + P(translated) (`SEND_DEEP_LABELS`): at the same calibration recall it sends about a quarter
fewer originals than the fast score P(not original) did, which is what deep stages that name no send
score still use (`SEND_FAST_SCORE`).

Modes: `fast` never runs the language model; `default` runs it on documents whose send score reaches
`send_above`; `deep` runs it on every document.

The default mode reads a sent document in stages (`FeatureFamily.extract_stages`: the language model's
first window, then the rest) when the manifest names a `stop_below`: after the first window the deep model
scores the document as read so far, and where its P(spun) + P(translated) is under `stop_below` the rest is
not read and the fast verdict stands, as when a full reading does not flag. Most sent originals are cleared
there, which is where the default mode spends its time; `stop_below` is chosen on the calibration sample so
that almost nothing the full reading would flag is cleared (`training/fit_deep_stop.py`). `--deep` always
reads the whole document. A document the fast model flagged as a translation or a
rewrite is never sent: nothing the deep stage says would change its verdict. A fast copy is sent like an
unflagged document: a farm copies spun and machine-translated text too, and then the stronger finding
names the page (`Detector` also sends an HTML copy on its article's own send score).

The deep stage adds spinning and machine translation and takes nothing away: a sent document takes the
deep verdict when the deep model flags it as spun or translated (`DEEP_LABELS`: what the language model
sees, word choice and how a translation reads to it) and the fast model either did not flag it, flagged it
with the same label (then the deep stage's evidence names the replaced words better), or flagged it as a
copy (a spun or translated copy is labelled by what was done to its text, and the record keeps the copy's
residue: `Detector`). Otherwise the fast verdict stands. The deep stage may not clear a fast flag: the fast
model learned from twenty times the documents, and with `--index` it sees the source match, which the deep
stage was not trained with (a rule that let the deep stage clear fast spun flags cleared a spin the index
had traced to its original).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ModelError
from ._artifact import Model, load_model

__all__ = ["DEEP_DIR", "MODES", "SEND_DEEP_LABELS", "SEND_FAST_SCORE", "SEND_SCORES", "Cascade", "deep_label_score",
           "is_deep_stage_of", "load_deep_stage", "send_mask", "send_score"]

DEEP_DIR = "deep"
MODES = ("fast", "default", "deep")
LM_NAME = "lm"
LM_FAMILY = "lm@5"  # what a new deep stage is trained with
# The labels whose deep verdicts stand (see the module docstring).
DEEP_LABELS = ("spun", "translated")
# A fast verdict the deep stage may name more strongly (a spun or translated copy).
COPY_LABEL = "copy"
# What the send rule reads of the fast verdict (the manifest's `training.cascade.send_score`).
SEND_FAST_SCORE = "fast score"
SEND_DEEP_LABELS = "P(spun)+P(translated)"
SEND_SCORES = (SEND_FAST_SCORE, SEND_DEEP_LABELS)


class Cascade:
    """The deep stage of one fast model, and the rule that decides which documents go to it."""

    def __init__(self, fast: Model, deep: Model) -> None:
        cascade = deep.manifest.training.get("cascade") or {}
        # By name and by the booster's digest: a fast model rebuilt under the same version would otherwise
        # keep a deep stage (and a send threshold) measured beside other trees.
        trained_beside = (cascade.get("fast_model"), cascade.get("fast_booster_sha256"))
        if trained_beside != (fast.ref, fast.manifest.files.get("model.ubj")):
            raise ModelError(f"{deep.path}: deep stage was trained beside {trained_beside[0]!r} (booster "
                             f"{str(trained_beside[1])[:12]}), not {fast.ref!r} (booster "
                             f"{str(fast.manifest.files.get('model.ubj'))[:12]})")
        if not is_deep_stage_of(fast.manifest.feature_families, deep.manifest.feature_families):
            raise ModelError(f"{deep.path}: deep stage families {deep.manifest.feature_families} are not the fast "
                             f"model's plus a version of {LM_NAME} (new ones: {LM_FAMILY})")
        self.fast = fast
        self.deep = deep
        self.send_above = float(cascade["send_above"])
        # None in deep stages fitted before reading in stages: they read every sent document in full.
        self.stop_below = None if cascade.get("stop_below") is None else float(cascade["stop_below"])
        self.send_score_name = cascade.get("send_score", SEND_FAST_SCORE)
        if self.send_score_name not in SEND_SCORES:
            raise ModelError(f"{deep.path}: unknown send score {self.send_score_name!r}")
        self.lm_families = deep.families[len(fast.families):]

    def send_scores(self, fast_probabilities: np.ndarray, fast_scores: np.ndarray) -> np.ndarray:
        """What the send rule compares with `send_above`, from the fast model's class probabilities (columns
        in its labels' order) and scores."""
        return send_score(self.send_score_name, self.fast.manifest.labels, fast_probabilities, fast_scores)

    def sends(self, send_scores: np.ndarray, fast_flagged: np.ndarray, fast_labels: np.ndarray,
              mode: str) -> np.ndarray:
        """Which documents go to the language model, by their send scores (`send_scores`) and fast verdicts."""
        if mode == "fast":
            return np.zeros(len(send_scores), dtype=bool)
        return send_mask(send_scores, fast_flagged, fast_labels, None if mode == "deep" else self.send_above)

    def reads_in_stages(self, mode: str) -> bool:
        """Whether a sent document is read in stages, and may be cleared after the first (the default mode
        of a deep stage with a `stop_below`)."""
        return mode == "default" and self.stop_below is not None

    def clears_early(self, deep_rows: np.ndarray) -> np.ndarray:
        """Which rows, their documents read only in part, the deep stage clears without reading on: its
        P(spun) + P(translated) on them is under `stop_below` (none without one)."""
        if self.stop_below is None:
            return np.zeros(len(deep_rows), dtype=bool)
        return deep_label_score(self.deep, deep_rows) < self.stop_below

    @staticmethod
    def takes_deep(fast_label, fast_flagged, deep_label, deep_flagged):
        """Whether a sent document's verdict is the deep one (see the module docstring). Works on one
        document (str and bool) and on numpy arrays of labels and flags alike (training measures with it)."""
        deep_label, fast_label = np.asarray(deep_label), np.asarray(fast_label)
        return (deep_flagged & np.isin(deep_label, DEEP_LABELS)
                & (~np.asarray(fast_flagged) | (fast_label == deep_label) | (fast_label == COPY_LABEL)))


def send_score(name: str, labels, fast_probabilities: np.ndarray, fast_scores: np.ndarray) -> np.ndarray:
    """The send score `name` (SEND_SCORES) of each row."""
    if name == SEND_FAST_SCORE:
        return np.asarray(fast_scores)
    columns = [list(labels).index(label) for label in DEEP_LABELS]
    return np.asarray(fast_probabilities)[:, columns].sum(axis=1)


def deep_label_score(deep: Model, deep_rows: np.ndarray) -> np.ndarray:
    """The deep model's P(spun) + P(translated) of each row: what `Cascade.clears_early` compares with
    `stop_below`."""
    probabilities = deep.predict(deep_rows)
    return probabilities[:, [list(deep.manifest.labels).index(label) for label in DEEP_LABELS]].sum(axis=1)


def send_mask(send_scores, fast_flagged, fast_labels, send_above: float | None) -> np.ndarray:
    """Documents whose send score reaches `send_above` (every one for None), unless the fast model flagged
    them as translated or rewritten: the deep stage could not change those verdicts."""
    could_change = ~np.asarray(fast_flagged, dtype=bool) | np.isin(np.asarray(fast_labels), ("spun", COPY_LABEL))
    if send_above is None:
        return could_change
    return could_change & (np.asarray(send_scores) >= send_above)


def is_deep_stage_of(fast_families, deep_families) -> bool:
    """Whether a deep stage's families are the fast model's plus one version of the language model's:
    LM_FAMILY for a new one; an older one (lm@1, without the translation probe) still loads and scores as it
    was trained."""
    fast_families, deep_families = list(fast_families), list(deep_families)
    return (len(deep_families) == len(fast_families) + 1 and deep_families[:-1] == fast_families
            and deep_families[-1].startswith(f"{LM_NAME}@"))


def load_deep_stage(fast: Model) -> Cascade | None:
    """The deep stage stored beside `fast` (in `<fast model dir>/deep`), or None when it has none."""
    if fast.path is None or not (Path(fast.path) / DEEP_DIR).is_dir():
        return None
    return Cascade(fast, load_model(Path(fast.path) / DEEP_DIR))
