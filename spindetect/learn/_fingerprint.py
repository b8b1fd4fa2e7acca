"""Learning a spinner's fingerprint from a labelled batch, for `spindetect train` (`_retrain`).

The batch's spun pages are paired with their originals (same group first, else by shared word trigrams;
`features.fingerprint.pair_with_originals`), and the substitutions are learned from the pairs. The batch's
own rows get **out-of-fold** values: each group's rows are read with a fingerprint learned without that
group, so the booster learns how the feature behaves on pages of the spinner it has not seen, not on the
pages the table was read off (in-sample, every spun page would match its own substitutions perfectly).
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
    """The base's fingerprint, learning nothing from the batch (`train --no-fingerprint`): its booster splits
    on those columns, so the batch's rows are still read with it."""
    return LearnedFingerprint(older, _columns(older, [_text(example, max_chars) for example in examples]), 0)


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
