"""Reasons: xgboost's own per-feature contributions, named and backed by evidence.

For a multi-class booster the margins are additive over features (TreeSHAP, `pred_contribs=True`), so
the log-odds of the verdict's label against its strongest rival decomposes exactly into one number per
feature. Those numbers rank the reasons; each reason carries the feature's description, its value, and
the concrete evidence its family recorded (garbled spans with the phrase they probably replaced, matched
boilerplate lines, ...).

A document flagged by its farm residue alone (Model.decide) gets the residue reason first, saying that it
decided, whatever its contribution.
"""

from __future__ import annotations

import math

import numpy as np

from ..features.base import FeatureResult
from ..verdict import Reason
from ._artifact import RESIDUE_FEATURE

MAX_EVIDENCE_PER_REASON = 10


def build_reasons(model, values: np.ndarray, contributions: np.ndarray, results: dict[str, FeatureResult],
                  limit: int | None, by_residue: bool = False) -> list[Reason]:
    """Reasons sorted by contribution to the verdict, strongest first; `limit=None` returns all. With
    `by_residue` (flagged by the residue rule alone) the residue reason comes first and says so."""
    names = model.manifest.feature_names
    families = {family.name: family for family in model.families}
    order = np.argsort(-contributions[: len(names)], kind="stable")
    if by_residue:
        decisive = names.index(RESIDUE_FEATURE)
        order = np.concatenate([[decisive], order[order != decisive]])
    if limit is not None:
        order = order[: max(limit, 3)]
    reasons = []
    for index in order:
        name = names[index]
        family_name, short = name.split(".", 1)
        family = families.get(family_name)
        description = family.describe(short) if family else short
        value = float(values[index])
        detail = f"{description}: {_format(value)}"
        if by_residue and name == RESIDUE_FEATURE:
            detail = (f"decided the verdict: {detail}, at least the model's {model.manifest.residue_decides_at:g}, "
                      "more than any original it was fitted and calibrated on")
        evidence = _evidence_for(results.get(family_name), family, short)
        reasons.append(Reason(name, float(contributions[index]), detail,
                              tuple(e.to_dict() for e in evidence[:MAX_EVIDENCE_PER_REASON])))
    return reasons


def _evidence_for(result: FeatureResult | None, family, short: str) -> list:
    """The feature's own evidence, else that of the features its family declares as explaining it
    (`FeatureFamily.evidence_from`: a mean word-pair probability is explained by the garbled pairs)."""
    if result is None:
        return []
    own = result.evidence.get(short)
    if own:
        return own
    sources = family.evidence_from.get(short, ()) if family else ()
    return [item for source in sources for item in result.evidence.get(source, ())]


def _format(value: float) -> str:
    if math.isnan(value):
        return "not measured"
    return f"{value:.3g}"
