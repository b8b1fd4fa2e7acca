"""Prepare, then featurise: the one path from an input item to a feature vector.

Scoring (`Detector`), training and evaluation (`spindetect.learn`), the source index's `index add` and the
training scripts all go through these two steps, so a document gets the same features wherever it is
read:

    item = as_input_item(...) or from spindetect.io.iter_inputs(...)
    document = prepare_document(item)             # HTML extraction, bound, normalisation; DocumentError
    vector, results = featurize(families, document)  # families' declared order; FeatureContractError
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from .errors import DocumentError, FeatureContractError
from .features.base import FeatureResult
from .io._records import InputItem, as_input_item
from .text._document import Document
from .text._normalize import normalize
from .text._syndication import (
    PageIdentity,
    distinct_credits,
    find_syndication,
    may_carry_credit,
    without_syndication,
)

__all__ = [
    "DEFAULT_MAX_CHARS",
    "PREPARATION_VERSION",
    "SYNDICATION_STEP",
    "Extracted",
    "as_input_item",
    "extract",
    "featurize",
    "featurize_stages",
    "preparation_key",
    "prepare_document",
]

# Characters of (extracted, normalised) text that are scored. Longer documents are scored on this prefix
# and their record says so: features are rates, and 2 million characters are far more than enough to
# measure them, while an unbounded document could take unbounded time.
DEFAULT_MAX_CHARS = 2_000_000
# Bumped when preparation (extraction, normalisation) changes what the feature families see, so training
# caches of feature values are not served stale. 2: the extraction fallback for fragments (io/_html.py).
PREPARATION_VERSION = "prepare@2"
# A change that alters only some documents is keyed on those documents instead (`preparation_key`), so a
# training cache keeps every row it did not change (the language model's rows cost about a second each).
# syndication@1: a publisher's syndication credit (to its own brand, or marked as a partner's) is taken out
# of what the families read and reported instead (text/_syndication.py); pages without one are unchanged.
SYNDICATION_STEP = "syndication@1"


@dataclass(frozen=True)
class Extracted:
    """An input's text before normalisation: the main text of a page, or the text as given, bounded."""

    text: str
    furniture: tuple[str, ...] = ()
    truncated: bool = False
    extraction_note: str = ""
    identity: PageIdentity = PageIdentity()


def extract(item: InputItem, max_chars: int = DEFAULT_MAX_CHARS) -> Extracted:
    """The text `prepare_document` normalises (for HTML, the extracted main text); raises DocumentError."""
    if item.html is not None:
        from .io._html import extract_page

        page = extract_page(item.html)
        extracted = Extracted(page.text, page.furniture, item.truncated or page.truncated, page.extraction_note,
                              page.identity)
    elif item.text is not None:
        extracted = Extracted(item.text, truncated=item.truncated)
    else:
        raise DocumentError("missing_text", f"{item.input}: nothing to score")
    if len(extracted.text) > max_chars:
        extracted = replace(extracted, text=extracted.text[:max_chars], truncated=True)
    return extracted


def prepare_document(item: InputItem, max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    """Extract (for HTML), bound, and normalise one input into a Document."""
    extracted = extract(item, max_chars)
    # A syndication credit is what a publisher says of its own page, not furniture a farm added: reported,
    # and read by no feature family.
    text, furniture = extracted.text, list(extracted.furniture)
    syndication = find_syndication(text.split("\n") + furniture, extracted.identity)
    if syndication:
        text = "\n".join(without_syndication(text.split("\n"), syndication)).rstrip()
        furniture = without_syndication(furniture, syndication)
    normalized = normalize(text)
    clean_furniture = tuple(normalize(line).text for line in furniture)
    if not normalized.text.strip():
        kind = "empty" if item.html is None else "no_text"
        raise DocumentError(kind, f"{item.input}: no text to score after extraction and normalisation")
    return Document(id=item.id, text=normalized.text, input=item.input, furniture=clean_furniture,
                    is_html=item.html is not None, normalization=normalized.stats, truncated=extracted.truncated,
                    extraction_note=extracted.extraction_note, syndication=tuple(distinct_credits(syndication)))


def preparation_key(item: InputItem, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """What preparation this input gets beyond PREPARATION_VERSION: SYNDICATION_STEP when a syndication
    credit is taken out of it, else "". Cheap for the many inputs that cannot carry a credit."""
    raw = item.html if item.html is not None else item.text
    if not raw or not may_carry_credit(raw, is_html=item.html is not None):
        return ""
    try:
        return SYNDICATION_STEP if prepare_document(item, max_chars).syndication else ""
    except DocumentError:
        return ""


def featurize(families, document: Document) -> tuple[np.ndarray, dict[str, FeatureResult]]:
    """One document's feature vector in the families' declared order, plus each family's result.

    A family must return every feature it declares (NaN, or None, for "not measurable here"); a missing one
    raises `FeatureContractError` instead of silently becoming NaN.
    """
    *_, (vector, results, _more) = featurize_stages(families, document)
    return vector, results


def featurize_stages(families, document: Document) -> Iterator[tuple[np.ndarray, dict[str, FeatureResult], bool]]:
    """`featurize` in stages (`FeatureFamily.extract_stages`): per stage the vector, the results and whether
    another stage follows. A family with fewer stages keeps its last result; the last stage is `featurize`'s.
    A caller that can decide on an early stage stops iterating, and the rest is never read."""
    stages = [family.extract_stages(document) for family in families]
    current = [next(stage) for stage in stages]
    while True:
        more = any(family_more for _result, family_more in current)
        yield _vector(families, [result for result, _ in current], document), \
            {family.name: result for family, (result, _) in zip(families, current)}, more
        if not more:
            return
        current = [next(stage) if family_more else (result, False)
                   for stage, (result, family_more) in zip(stages, current)]


def _vector(families, results: list[FeatureResult], document: Document) -> np.ndarray:
    values: list[float] = []
    for family, result in zip(families, results):
        missing = [short for short in family.features if short not in result.values]
        if missing:
            raise FeatureContractError(f"feature family {family.name}@{family.version} returned no value for "
                                       f"{missing[:5]} on {document.input or document.id}")
        for short in family.features:
            value = result.values[short]
            values.append(float(value) if value is not None else math.nan)
    return np.asarray(values, dtype=np.float32)
