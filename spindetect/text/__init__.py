"""Text: normalisation, the `Document` every feature family reads, language identification, and the
shared word patterns and word lists (`spindetect.text._words`)."""

from __future__ import annotations

from ._document import NO_INDEX, Document, Token
from ._language import identify
from ._normalize import HOMOGLYPHS, NormalizationStats, normalize
from ._words import FUNCTION_WORDS, WORD_RE

__all__ = ["FUNCTION_WORDS", "HOMOGLYPHS", "NO_INDEX", "Document", "NormalizationStats", "Token", "WORD_RE",
           "identify", "normalize"]
