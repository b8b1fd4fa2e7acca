"""Learning a spinner's fingerprint from a labelled batch, for `spindetect train` (`_retrain`).

The batch's spun pages are paired with their originals (same group first, else by shared word trigrams;
`features.fingerprint.pair_with_originals`), and the substitutions are learned from the pairs. The batch's
own rows get **out-of-fold** values: each group's rows are read with a fingerprint learned without that
group, as a page the table was not read off would be (in-sample, every original would sit at its own
table's null). The booster learns the fingerprint's splits from these rows, and the largest such value
among the originals sets the gate the fingerprint must pass to add a flag (`spinner_gate`,
Manifest.spinner_gate).
The model keeps the fingerprint learned from the whole batch, merged with the base model's if it had one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import DocumentError
from ..features.fingerprint import Fingerprint, SpinnerFingerprint, pair_with_originals
from ..pipeline import prepare_document
from ._trainer import Example, hash_bucket

logger = logging.getLogger(__name__)

FINGERPRINT_KEY = f"{Fingerprint.name}@{Fingerprint.version}"
MIN_PAIRED_PAGES = 5  # fewer spun pages with a known original teach no table worth a feature
FOLDS = 5


# The spinner gate sits this far (in nats) above the batch's most spinner-like original, so that "above every
# original" holds with the float noise of a stored level.
SPINNER_GATE_MARGIN = 0.1


@dataclass(frozen=True)
class SpinnerGate:
    """Manifest.spinner_gate and what it was chosen from."""

    level: float
    originals: int  # batch originals read out of fold, all below `level`

    @property
    def expected_false_positive_rate(self) -> float:
        # A new original exchangeable with the n reaches the largest of them with probability 1/(n + 1).
        return 1.0 / (self.originals + 1)

    def describe(self) -> dict:
        return {"level": self.level, "originals": self.originals,
                "expected_false_positive_rate": round(self.expected_false_positive_rate, 4)}


def spinner_gate(columns: np.ndarray, labels: Sequence[str]) -> SpinnerGate | None:
    """SPINNER_GATE_MARGIN above the largest out-of-fold `llr` of the batch's originals (each read with a
    table learned without its group); None without originals to bound it. With n originals, a new original
    like them passes it with probability 1/(n + 1): fewer than 99 cannot promise a 1% budget, and `train`
    says so. Originals unlike them pass it more often: 2.1% of BBC test articles were flagged through
    `distributional`'s gate; other sites' pages more often still, which the booster's other features then clear
    (docs/experiments.md, "The fingerprint's null, and how much it may decide")."""
    llr = columns[:, list(Fingerprint.features).index("llr")]
    read = np.array([label == "original" for label in labels]) & ~np.isnan(llr)
    if not read.any():
        return None
    gate = SpinnerGate(round(float(llr[read].max()) + SPINNER_GATE_MARGIN, 4), int(read.sum()))
    if gate.expected_false_positive_rate > 0.01:
        logger.warning("the spinner gate is bounded by %d originals only: about %.1f%% of originals like them may "
                       "pass it (label at least 99 originals for a 1%% budget)", gate.originals,
                       100 * gate.expected_false_positive_rate)
    return gate


@dataclass
class LearnedFingerprint:
    fingerprint: SpinnerFingerprint  # from the whole batch (merged with the base's): what the model keeps
    columns: np.ndarray  # the batch rows' out-of-fold feature values, (n_examples, n_features)
    paired_pages: int


def learn_fingerprint(examples: Sequence[Example], labels: Sequence[str], older: SpinnerFingerprint | None,
                      max_chars: int) -> LearnedFingerprint | None:
    """The batch's fingerprint and out-of-fold columns, or None when fewer than MIN_PAIRED_PAGES spun
    pages can be paired with an original (and the base had no fingerprint to carry)."""
    texts = [_text(example, max_chars) for example in examples]
    original_rows = [i for i, label in enumerate(labels) if label == "original" and texts[i]]
    spun_rows = [i for i, label in enumerate(labels) if label == "spun" and texts[i]]
    first_original_of_group: dict[str, int] = {}
    for position, i in enumerate(original_rows):
        first_original_of_group.setdefault(examples[i].group, position)
    paired = pair_with_originals([texts[i] for i in spun_rows], [texts[i] for i in original_rows],
                                 [first_original_of_group.get(examples[i].group) for i in spun_rows])
    pairs = [(i, original_rows[p]) for i, p in zip(spun_rows, paired) if p is not None]
    logger.info("fingerprint: %d of %d spun pages paired with an original", len(pairs), len(spun_rows))
    if len(pairs) < MIN_PAIRED_PAGES:
        return None if older is None else LearnedFingerprint(older, _columns(older, texts), 0)

    def learned_without(fold: int | None) -> SpinnerFingerprint:
        keep = (lambda i: True) if fold is None else (lambda i: _fold(examples[i]) != fold)
        fingerprint = SpinnerFingerprint.learn(
            [(texts[o], texts[s]) for s, o in pairs if keep(s) and keep(o)],
            [texts[i] for i in original_rows if keep(i)])
        return fingerprint.merged_with(older)

    columns = np.full((len(examples), len(Fingerprint.features)), np.nan, dtype=np.float32)
    for fold in range(FOLDS):
        rows = [i for i in range(len(examples)) if _fold(examples[i]) == fold]
        if rows:
            columns[rows] = _columns(learned_without(fold), [texts[i] for i in rows])
    return LearnedFingerprint(learned_without(None), columns, len(pairs))


def carried_fingerprint(examples: Sequence[Example], older: SpinnerFingerprint,
                        max_chars: int) -> LearnedFingerprint:
    """The base's fingerprint, learning nothing from the batch (`train --no-fingerprint`): the batch's rows
    are still read with it, and its originals set the spinner gate again (the table never saw them)."""
    return LearnedFingerprint(older, _columns(older, [_text(example, max_chars) for example in examples]), 0)


def base_fingerprint(base_states: dict[str, dict]) -> SpinnerFingerprint | None:
    """The table a base model learned, under whichever fingerprint version it was read with (every version
    stores the same table; only the reading differs), or None."""
    states = [state for key, state in base_states.items() if is_fingerprint(key)]
    return SpinnerFingerprint.from_state(states[0]) if states else None


def is_fingerprint(key: str) -> bool:
    return key.split("@")[0] == Fingerprint.name


def _fold(example: Example) -> int:
    return min(int(hash_bucket(f"fingerprint:{example.group}") * FOLDS), FOLDS - 1)


def _text(example: Example, max_chars: int) -> str:
    try:
        return prepare_document(example.item, max_chars).text
    except DocumentError:
        return ""


def _columns(fingerprint: SpinnerFingerprint, texts: Sequence[str]) -> np.ndarray:
    family = Fingerprint(fingerprint)
    out = np.full((len(texts), len(family.features)), np.nan, dtype=np.float32)
    for row, text in enumerate(texts):
        if text:
            values = family.extract_text(text)
            out[row] = [values[short] for short in family.features]
    return out
