"""Word-pair plausibility against reference English: the spinner signal that needs no thesaurus.

A spinner swaps words for synonyms one at a time, so the pairs it creates ("profound learning",
"counterfeit consciousness") are pairs English writers almost never put together. Whatever thesaurus a
spinner uses, its output has fewer known word pairs than human text on the same subject. This family
measures that against two references: the Google Books bigram list shipped in the lexicon (only the most
frequent ~242k pairs) and a larger table of pairs counted in reference English that the project sets
aside and never trains or measures on (`training/compile_reference.py`; stored as 64-bit hashes with
counts, so no text is shipped).

Pairs are adjacent words within one punctuation-free stretch of text, lower-cased: exactly how the
reference was counted.
"""

from __future__ import annotations

import hashlib
import math
import re
from functools import lru_cache
from importlib import resources

import numpy as np

from ..text._document import Document
from ..text._words import LETTER_WORD_RE as _PAIR_WORD_RE
from ..resources import Lazy
from .base import Evidence, FeatureFamily, FeatureResult, ratio

# Pairs stay within a stretch of text with no punctuation inside: they never cross a comma, full stop,
# quote or line. No word contains one of these characters.
_STRETCH_BREAK_RE = re.compile(r"[.,;:!?()\[\]{}\"\u201c\u201d\n|/]")
REFERENCE_FILE = "reference_pairs.npz"
# Both words at least this common (Zipf) and still an unseen pair: the clearest sign of a swapped word.
COMMON_ZIPF = 4.0
MAX_EVIDENCE = 20


def word_pairs(text: str) -> list[tuple[str, str, int, int]]:
    """(left, right, start, end) for adjacent words inside punctuation-free stretches, lower-cased."""
    pairs = []
    previous, previous_start, previous_end = None, 0, 0
    for match in _PAIR_WORD_RE.finditer(text):
        start, end = match.span()
        word = match.group().lower().replace("\u2019", "'")
        # One pass over the whole text: two neighbouring words pair up unless a break lies between them.
        if previous is not None and not _STRETCH_BREAK_RE.search(text, previous_end, start):
            pairs.append((previous, word, previous_start, end))
        previous, previous_start, previous_end = word, start, end
    return pairs


@lru_cache(maxsize=131_072)  # common pairs ("of the") recur in every document; blake2b is the cost
def pair_hash(left: str, right: str) -> int:
    """Stable 64-bit hash of a lower-cased pair (the key of the reference table)."""
    return int.from_bytes(hashlib.blake2b(f"{left} {right}".encode(), digest_size=8).digest(), "little")


class _ReferencePairs:
    """Sorted pair hashes and their counts; membership by binary search over a numpy array."""

    def __init__(self) -> None:
        path = resources.files("spindetect.resources") / REFERENCE_FILE
        with path.open("rb") as stream, np.load(stream, allow_pickle=False) as data:
            self.hashes = data["hashes"]
            self.counts = data["counts"]

    def counts_of(self, hashes: np.ndarray) -> np.ndarray:
        if len(hashes) == 0:
            return np.zeros(0, dtype=np.int64)
        positions = np.searchsorted(self.hashes, hashes)
        positions = np.minimum(positions, len(self.hashes) - 1)
        found = self.hashes[positions] == hashes
        return np.where(found, self.counts[positions], 0).astype(np.int64)


_REFERENCE = Lazy(_ReferencePairs)


def reference_pairs() -> _ReferencePairs:
    """Loaded once per process on first use; read-only afterwards."""
    return _REFERENCE.get()


class Plausibility(FeatureFamily):
    name = "plausibility"
    # Unseen pairs of common words are what lowers every known-pair measure.
    evidence_from = {
        "known_pair_share": ("unseen_common_pairs_per_100_words",),
        "known_content_pair_share": ("unseen_common_pairs_per_100_words",),
        "mean_log_pair_count": ("unseen_common_pairs_per_100_words",),
    }
    version = 1
    features = {
        "known_pair_share": "share of adjacent word pairs seen in reference English",
        "known_content_pair_share": "share of adjacent content-word pairs seen in reference English",
        "unseen_common_pairs_per_100_words": "pairs of two common words never seen together, per 100 words",
        "mean_log_pair_count": "mean log count of adjacent pairs in the reference",
    }

    def extract(self, doc: Document) -> FeatureResult:
        from ..resources import lexicon
        from ..text._words import FUNCTION_WORDS

        pairs = word_pairs(doc.text)
        if not pairs:
            return FeatureResult({short: math.nan for short in self.features})
        lex = lexicon()
        hashes = np.fromiter((pair_hash(a, b) for a, b, _, _ in pairs), dtype=np.uint64, count=len(pairs))
        counts = reference_pairs().counts_of(hashes)
        known = counts > 0
        for i, (a, b, _, _) in enumerate(pairs):
            if not known[i] and lex.bigram_count(a, b) > 0:
                known[i] = True
        content = np.array([a not in FUNCTION_WORDS and b not in FUNCTION_WORDS for a, b, _, _ in pairs])
        unseen_common: list[Evidence] = []
        for i in np.flatnonzero(content & ~known):
            a, b, start, end = pairs[i]
            if lex.zipf(a) >= COMMON_ZIPF and lex.zipf(b) >= COMMON_ZIPF:
                unseen_common.append(Evidence(doc.text[start:end], start, end, kind="unseen_common_pair"))
        words = max(len(doc.words), 1)
        return FeatureResult(
            {
                "known_pair_share": float(known.mean()),
                "known_content_pair_share": ratio(float((known & content).sum()), float(content.sum())),
                "unseen_common_pairs_per_100_words": 100.0 * len(unseen_common) / words,
                "mean_log_pair_count": float(np.log1p(counts).mean()),
            },
            {"unseen_common_pairs_per_100_words": unseen_common[:MAX_EVIDENCE]},
        )
