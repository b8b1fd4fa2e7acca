"""Reasons: xgboost's own per-feature contributions, named and backed by evidence.

For a multi-class booster the margins are additive over features (TreeSHAP, `pred_contribs=True`), so
the log-odds of the verdict's label against its strongest rival decomposes exactly into one number per
feature. Those numbers rank the reasons; each reason carries the feature's description, its value, and
the concrete evidence its family recorded (garbled spans with the phrase they probably replaced, matched
boilerplate lines, ...).

A document flagged by its farm residue alone (Model.decide) gets the residue reason first, saying that it
decided, whatever its contribution, with all of its evidence.

A scored span (`Evidence.strength`) is shown only above its source's floor, the strength clean text reaches
(`spindetect.model._floors`), and a reason shows its spans strongest first. Two exceptions keep a flagged
record's grounds in view: a record flagged translated (rewritten) shows its most MT-like (LLM-like) sentence
whatever its score, and a flagged record none of whose spans clears a floor shows the spans of its strongest
reason that has any, rather than no evidence at all.
"""

from __future__ import annotations

import math

import numpy as np

from ..features.base import Evidence, FeatureResult
from ..verdict import Reason
from ._artifact import RESIDUE_FEATURE
from ._floors import EvidenceFloors, evidence_floors

MAX_EVIDENCE_PER_REASON = 10
# Evidence kinds a family records but a record never shows: spans that are no likelier to sit on a spinner's
# swap than any word of the text, and that fill clean articles (`python -m benchmarks.evidence_quality
# --docs 60`, 60 calibration-split BBC articles, 2026-12-06). Their features still count in the score and
# still appear among the reasons, with their values.
UNSHOWN_EVIDENCE_KINDS = frozenset({
    # pairs of common words missing from the reference pair table: 4.9 spans per 100 words of clean news;
    # on spins at 30%, 0.22-0.45 of them cover a replaced word for the held-out and never-trained
    # spinners, less than two adjacent words chosen at random would
    "unseen_common_pair",
    # words with a much more frequent synonym: 3.5 spans per 100 words of clean news; 0.17-0.45 precision
    # on the held-out and never-trained spinners, their named original right 0.3-8% of the time
    "rare_synonym",
})
# Kinds a record flagged with a label shows whatever their strength: the sentence that reads most like a
# machine translation is what a moderator checks a "translated" verdict against, even where clean text has
# sentences as MT-like.
KINDS_SHOWN_FOR_LABEL = {"translated": frozenset({"machine_translated_sentence"}),
                         "rewritten": frozenset({"llm_style_sentence"})}


def build_reasons(model, values: np.ndarray, contributions: np.ndarray, results: dict[str, FeatureResult],
                  limit: int | None, by_residue: bool = False, flagged: bool = True,
                  label: str | None = None, floors: EvidenceFloors | None = None) -> list[Reason]:
    """Reasons sorted by contribution to the verdict, strongest first; `limit=None` returns all. With
    `by_residue` (flagged by the residue rule alone) the residue reason comes first and says so.

    A reason carries its evidence only where it argues for manipulation: towards the verdict's label when
    the document is `flagged`, towards its rival (against "original") when it is not. Spans under a reason
    that pushed a document towards "original" would show a moderator "garbled" words of a text the model
    found clean: on clean news that was most of what records showed (docs/evaluation.md, the evidence
    section). Of those, a scored span is shown only above its floor (`floors`, the shipped ones by default;
    see the module docstring for the exceptions), strongest first. A span is shown once, under the strongest
    reason it backs."""
    names = model.manifest.feature_names
    families = {family.name: family for family in model.families}
    order = np.argsort(-contributions[: len(names)], kind="stable")
    if by_residue:
        decisive = names.index(RESIDUE_FEATURE)
        order = np.concatenate([[decisive], order[order != decisive]])
    if limit is not None:
        order = order[: max(limit, 3)]
    floors = evidence_floors() if floors is None else floors
    always = KINDS_SHOWN_FOR_LABEL.get(label, frozenset()) if flagged else frozenset()
    rows = []  # (name, contribution, detail, the evidence it may show, the evidence it shows)
    for index in order:
        name = names[index]
        family_name, short = name.split(".", 1)
        family = families.get(family_name)
        description = family.describe(short) if family else short
        value = float(values[index])
        detail = f"{description}: {_format(value)}"
        decided = by_residue and name == RESIDUE_FEATURE
        if decided:
            detail = (f"decided the verdict: {detail}, at least the model's {model.manifest.residue_decides_at:g}, "
                      "more than any original it was fitted and calibrated on")
        contribution = float(contributions[index])
        argues_for_manipulation = contribution > 0 if flagged else contribution < 0
        candidates = (_strongest_first(_evidence_for(results.get(family_name), family, short))
                      if argues_for_manipulation or decided else [])
        kept = [item for source, item in candidates
                if decided or item.kind in always or _clears(floors, family, source, item)]
        rows.append((name, contribution, detail, [item for _, item in candidates], kept))
    if flagged and not any(kept for *_, kept in rows):
        # No span clears its floor: the strongest reason with evidence still shows what it rests on.
        first = next((i for i, (*_, candidates, _kept) in enumerate(rows) if candidates), None)
        if first is not None:
            name, contribution, detail, candidates, _ = rows[first]
            rows[first] = (name, contribution, detail, candidates, candidates)
    reasons = []
    shown: set[tuple] = set()  # a span backs several features (a swap moves five lm readings): show it once
    for name, contribution, detail, _, kept in rows:
        fresh = [e for e in kept if _span_key(e) not in shown][:MAX_EVIDENCE_PER_REASON]
        shown.update(_span_key(e) for e in fresh)
        reasons.append(Reason(name, contribution, detail, tuple(e.to_dict() for e in fresh)))
    return reasons


def _clears(floors: EvidenceFloors, family, source: str, item: Evidence) -> bool:
    floor = floors.floor(family, source) if family is not None else None
    return floor is None or floor.clears(item.strength)


def _strongest_first(candidates: list[tuple[str, Evidence]]) -> list[tuple[str, Evidence]]:
    """By strength, largest first; spans without one (page lines) keep their order, after any scored."""
    return sorted(candidates, key=lambda pair: -pair[1].strength if pair[1].strength is not None else math.inf)


def _span_key(evidence) -> tuple:
    return evidence.text, evidence.start, evidence.end, evidence.kind


def _evidence_for(result: FeatureResult | None, family, short: str) -> list[tuple[str, Evidence]]:
    """The feature's own evidence, else that of the features its family declares as explaining it
    (`FeatureFamily.evidence_from`: a mean word-pair probability is explained by the garbled pairs), less
    the kinds no record shows (UNSHOWN_EVIDENCE_KINDS); each with the feature that recorded it (its source,
    whose floor it must clear)."""
    if result is None:
        return []
    sources = (short,) if _shown(result, short) else family.evidence_from.get(short, ()) if family else ()
    return [(source, item) for source in sources for item in result.evidence.get(source, ())
            if item.kind not in UNSHOWN_EVIDENCE_KINDS]


def _shown(result: FeatureResult, source: str) -> bool:
    return any(item.kind not in UNSHOWN_EVIDENCE_KINDS for item in result.evidence.get(source, ()))


def _format(value: float) -> str:
    if math.isnan(value):
        return "not measured"
    return f"{value:.3g}"
