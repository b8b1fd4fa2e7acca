"""The cascade: a fast model scores everything; a deep model, which adds the language-model features, decides
spinning where the fast model cannot clear a document.

A model directory may hold its deep stage in `deep/`, a model directory of its own (verified like any
other: xgboost's native format plus a manifest with file hashes). The deep model's features are the fast
model's, in the same order, then the `lm` family's; its manifest's `training.cascade` names the fast model
it was trained beside and `send_above`, the fast score from which a document goes to the language model
(chosen on the calibration split, on the curve of spinning recall against the share of documents sent:
`training/train_deep.py`).

Modes: `fast` never runs the language model; `default` runs it on documents whose fast score reaches
`send_above`; `deep` runs it on every document.

The deep stage owns spinning: a sent document takes the deep verdict when the deep model flags it as spun,
or when the fast model had flagged it as spun (the deep model clears or relabels it); otherwise the fast
verdict stands, since the fast model learned copies, translations and rewrites from far more documents.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ModelError
from ._artifact import Model, load_model

__all__ = ["DEEP_DIR", "MODES", "Cascade", "load_deep_stage"]

DEEP_DIR = "deep"
MODES = ("fast", "default", "deep")
LM_FAMILY = "lm@1"


class Cascade:
    """The deep stage of one fast model, and the rule that decides which documents go to it."""

    def __init__(self, fast: Model, deep: Model) -> None:
        cascade = deep.manifest.training.get("cascade") or {}
        if cascade.get("fast_model") != fast.ref:
            raise ModelError(f"{deep.path}: deep stage was trained beside {cascade.get('fast_model')!r}, "
                             f"not {fast.ref!r}")
        expected = list(fast.manifest.feature_families) + [LM_FAMILY]
        if list(deep.manifest.feature_families) != expected:
            raise ModelError(f"{deep.path}: deep stage families {deep.manifest.feature_families} are not the fast "
                             f"model's plus {LM_FAMILY}")
        self.fast = fast
        self.deep = deep
        self.send_above = float(cascade["send_above"])
        self.lm_families = deep.families[len(fast.families):]

    def sends(self, fast_scores: np.ndarray, mode: str) -> np.ndarray:
        """Which documents go to the language model, by their fast scores."""
        if mode == "deep":
            return np.ones(len(fast_scores), dtype=bool)
        if mode == "fast":
            return np.zeros(len(fast_scores), dtype=bool)
        return np.asarray(fast_scores) >= self.send_above

    @staticmethod
    def takes_deep(fast_label, fast_flagged, deep_label, deep_flagged):
        """Whether a sent document's verdict is the deep one (see the module docstring). Works on one
        document (str and bool) and on numpy arrays of labels and flags alike (training measures with it)."""
        return (deep_flagged & (deep_label == "spun")) | (fast_flagged & (fast_label == "spun"))


def load_deep_stage(fast: Model) -> Cascade | None:
    """The deep stage stored beside `fast` (in `<fast model dir>/deep`), or None when it has none."""
    if fast.path is None or not (Path(fast.path) / DEEP_DIR).is_dir():
        return None
    return Cascade(fast, load_model(Path(fast.path) / DEEP_DIR))
