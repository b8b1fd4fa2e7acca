"""A document to score, and the tokenisation every feature family shares.

Tokens, sentences and lines are computed once per document (lazily, then cached on the object) so that
ten readability metrics and five other families do not each re-split the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from ._normalize import NormalizationStats
from ._words import WORD_RE
# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before whitespace, or at a
# blank line. Abbreviations such as "Mr." split wrongly now and then; the features are ratios over many
# sentences and tolerate that.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+|\n\s*\n")


class _NoIndex:
    """Sentinel type for Document.source_match: the document was scored without a source index."""

    def __repr__(self) -> str:
        return "NO_INDEX"


NO_INDEX = _NoIndex()


class Token(NamedTuple):
    """One word or number of `Document.text` and its character offsets.

    A named tuple rather than a frozen dataclass: documents have thousands of tokens and a tuple is built
    several times faster (a frozen dataclass sets each field through object.__setattr__).
    """

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_alpha(self) -> bool:
        return self.text[0].isalpha()


@dataclass(eq=False)
class Document:
    """One input document after decoding, extraction and normalisation.

    `text` is what a reader sees as the article (for HTML, the extracted main text). `furniture` holds the
    page lines the extractor dropped (menus, share widgets, comment forms, footers): it is kept because it
    is evidence for the boilerplate features.
    """

    id: str
    text: str
    input: str = ""
    furniture: tuple[str, ...] = ()
    is_html: bool = False
    normalization: NormalizationStats = field(default_factory=NormalizationStats)
    truncated: bool = False
    # For HTML: set when the precise main-text extraction looked like a fragment and another was scored.
    extraction_note: str = ""
    # The closest indexed original (a SourceMatch), set by the detector before the features run when a
    # source index is given; None when the index knows no original of it. The default sentinel means
    # "no index given".
    source_match: object | None = NO_INDEX
    # Credits read as a publisher's syndication (text/_syndication.py), taken out of `text` and `furniture`.
    syndication: tuple = ()

    @cached_property
    def tokens(self) -> list[Token]:
        make = tuple.__new__  # Token(...) without the keyword-handling constructor
        return [make(Token, (m.group(), *m.span())) for m in WORD_RE.finditer(self.text)]

    @cached_property
    def words(self) -> list[Token]:
        """Alphabetic tokens only."""
        return [t for t in self.tokens if t[0][0].isalpha()]

    @cached_property
    def words_lower(self) -> list[str]:
        return [t[0].lower() for t in self.words]

    @cached_property
    def sentences(self) -> list[str]:
        parts = (s.strip() for s in _SENTENCE_END_RE.split(self.text))
        return [s for s in parts if s and WORD_RE.search(s)]

    @cached_property
    def sentence_word_counts(self) -> list[int]:
        return [sum(1 for m in WORD_RE.finditer(s) if m.group()[0].isalpha()) for s in self.sentences]

    @cached_property
    def lines(self) -> list[str]:
        """Non-empty lines of the text, stripped."""
        return [line.strip() for line in self.text.split("\n") if line.strip()]

    @cached_property
    def line_starts(self) -> list[int]:
        """Where each of `lines` starts in `text`, so a line that occurs twice is found at each place."""
        starts, offset = [], 0
        for raw in self.text.split("\n"):
            if raw.strip():
                starts.append(offset + len(raw) - len(raw.lstrip()))
            offset += len(raw) + 1
        return starts

    @cached_property
    def page_lines(self) -> list[str]:
        """Every line a reader of the page would see: the text's lines, then the dropped furniture."""
        return self.lines + [line for line in self.furniture if line.strip()]
