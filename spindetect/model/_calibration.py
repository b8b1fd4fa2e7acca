"""The calibration table stored in a model's manifest: raw "not original" probability to a calibrated one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Calibration"]


@dataclass
class Calibration:
    """Map from the raw "not original" probability to a calibrated one: piecewise linear through (x, y),
    strictly increasing (centred isotonic regression, see `spindetect.learn._trainer.centered_isotonic`)."""

    x: list[float]
    y: list[float]

    def apply(self, raw: np.ndarray) -> np.ndarray:
        if not self.x:
            return raw
        return np.interp(raw, self.x, self.y)

    def to_dict(self) -> dict:
        return {"method": "centered-isotonic", "x": self.x, "y": self.y}
