"""A linear probe on the language model's reading of a text: how machine-translated it reads.

Machine translation and a professional human translation of the same news article share their words and
their facts, and the features of the fast model tell them apart at AUC 0.73-0.75 on a language pair they
never saw. The model's mean final hidden state over a text's first window (`WordScorer.read`) carries more
of what differs: a logistic probe on it, trained on WMT22 cs, de and ru -> en and measured on zh -> en,
reaches 0.88 (`python -m benchmarks.mt_probe --max-tokens 256`).

The probe is fitted by `training/fit_translation_probe.py` on the held-out build's `train` split only
(never the held-out pair or systems) and stored as JSON (`resources/lm/translation_probe.json` for the
float32 model, `translation_probe.int8.json` for the int8 one that scoring uses): the
standardisation's mean and scale, the coefficients and the intercept, with the data it was fitted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..errors import ModelError
from ._weights import RESOURCE_PACKAGE

# One probe per precision of the model, each fitted on that precision's states.
PROBE_FILES = {"float32": "translation_probe.json", "int8": "translation_probe.int8.json"}
PROBE_FORMAT = 1


@dataclass(frozen=True)
class TranslationProbe:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def log_odds(self, state_mean: np.ndarray) -> float:
        """Log-odds that the text is a machine translation (the probe's decision function)."""
        return float(self.log_odds_of(state_mean))

    def log_odds_of(self, states: np.ndarray) -> np.ndarray:
        """`log_odds` of one state (a 0-d array) or of each row of a matrix of them."""
        return ((np.asarray(states, np.float64) - self.mean) / self.scale) @ self.coef + self.intercept

    def to_dict(self, **about) -> dict:
        return {"format": PROBE_FORMAT, **about, "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: dict, hidden: int) -> TranslationProbe:
        if data.get("format") != PROBE_FORMAT:
            raise ModelError(f"translation probe format {data.get('format')} is not supported")
        probe = cls(*(np.asarray(data[key], np.float64) for key in ("mean", "scale", "coef")),
                    float(data["intercept"]))
        if not probe.mean.shape == probe.scale.shape == probe.coef.shape == (hidden,):
            raise ModelError(f"translation probe is for states of {probe.coef.shape}, not ({hidden},)")
        return probe

    @classmethod
    def load(cls, hidden: int, precision: str = "float32") -> TranslationProbe | None:
        """The bundled probe for the model in `precision`, or None when the package carries none (before
        `fit_translation_probe`)."""
        path = resources.files(RESOURCE_PACKAGE) / PROBE_FILES[precision]
        if not path.is_file():
            return None
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")), hidden)
