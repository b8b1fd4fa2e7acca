"""Whether a page line reads as article prose: one rule for the boilerplate features and the story clusters.

A prose line is a sentence-like paragraph (C4, Raffel et al. 2020, keeps lines ending in terminal
punctuation; ten words keeps out headings and "Read more." buttons) or simply a long run of words.
"""

from __future__ import annotations

import re

__all__ = ["PROSE_ANY_ENDING_MIN_WORDS", "PROSE_MIN_WORDS", "is_prose_line", "reads_as_prose"]

PROSE_MIN_WORDS = 10
PROSE_ANY_ENDING_MIN_WORDS = 25
TERMINAL_PUNCTUATION_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


def is_prose_line(line: str) -> bool:
    """Whether a page line reads as article prose rather than furniture (menus, share widgets, headline
    lists, bylines): long, or sentence-length with sentence punctuation."""
    return reads_as_prose(line, len(line.split()))


def reads_as_prose(line: str, word_count: int) -> bool:
    """`is_prose_line` for a caller that has already counted the line's words."""
    if word_count >= PROSE_ANY_ENDING_MIN_WORDS:
        return True
    return word_count >= PROSE_MIN_WORDS and TERMINAL_PUNCTUATION_RE.search(line) is not None
