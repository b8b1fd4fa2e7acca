"""Character-level obfuscation, as evaders apply it to hide text from detectors.

Each trick changes how the text is *encoded* but not what a reader sees: invisible characters inside words
(zero-width space/joiners, word joiner, BOM), soft hyphens, bidi control characters, full-width forms of
ASCII, and Cyrillic/Greek look-alike letters (the character attacks measured in RAID, Dugan et al.,
ACL 2024). spindetect.text.normalize is meant to undo every one of them exactly; the tests use this module to
check that it does and that detection survives them.

    obfuscate(text, "homoglyph", rate=0.3, rng=random.Random(0))
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from spindetect.text import HOMOGLYPHS

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
SOFT_HYPHEN = "\u00ad"
BIDI_CONTROLS = ("\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                 "\u2068", "\u2069")
# Full-width forms U+FF01..U+FF5E are ASCII "!".."~" shifted by this offset (Unicode block "Halfwidth and
# Fullwidth Forms"); NFKC maps them back.
_FULLWIDTH_OFFSET = 0xFEE0

# Latin letter -> the Cyrillic/Greek letters that look like it (the inverse of spindetect's table).
_LOOKALIKES: dict[str, tuple[str, ...]] = {}
_inverse: dict[str, list[str]] = defaultdict(list)
for _lookalike, _latin in HOMOGLYPHS.items():
    _inverse[_latin].append(_lookalike)
_LOOKALIKES.update({latin: tuple(sorted(options)) for latin, options in _inverse.items()})
del _inverse


def _insert_inside_words(choices: tuple[str, ...]) -> Callable[[str, float, random.Random], str]:
    """A trick that puts one of `choices` after a letter that is followed by another letter, at `rate`."""

    def apply(text: str, rate: float, rng: random.Random) -> str:
        out: list[str] = []
        for i, ch in enumerate(text):
            out.append(ch)
            inside_word = ch.isalpha() and i + 1 < len(text) and text[i + 1].isalpha()
            if inside_word and rng.random() < rate:
                out.append(rng.choice(choices))
        return "".join(out)

    return apply


def _fullwidth(text: str, rate: float, rng: random.Random) -> str:
    return "".join(chr(ord(ch) + _FULLWIDTH_OFFSET) if "!" <= ch <= "~" and rng.random() < rate else ch
                   for ch in text)


def _homoglyph(text: str, rate: float, rng: random.Random) -> str:
    return "".join(rng.choice(_LOOKALIKES[ch]) if ch in _LOOKALIKES and rng.random() < rate else ch
                   for ch in text)


TRICKS: dict[str, Callable[[str, float, random.Random], str]] = {
    "zero_width": _insert_inside_words(ZERO_WIDTH),
    "soft_hyphen": _insert_inside_words((SOFT_HYPHEN,)),
    "bidi": _insert_inside_words(BIDI_CONTROLS),
    "fullwidth": _fullwidth,
    "homoglyph": _homoglyph,
}
# "mixed" applies every trick in turn, each at the given rate.
KINDS = (*TRICKS, "mixed")


def obfuscate(text: str, kind: str, rate: float, rng: random.Random) -> str:
    """`text` with the named trick applied to about `rate` of the eligible positions."""
    if kind == "mixed":
        for trick in TRICKS.values():
            text = trick(text, rate, rng)
        return text
    try:
        trick = TRICKS[kind]
    except KeyError:
        raise ValueError(f"unknown obfuscation {kind!r}; choose one of {KINDS}") from None
    return trick(text, rate, rng)


__all__ = ["KINDS", "TRICKS", "obfuscate"]
