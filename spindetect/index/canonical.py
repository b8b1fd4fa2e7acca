"""Spin-proof views of a text: synonym-canonical tokens and DSpin-style invariant tokens.

A spinner swaps content words for thesaurus entries, so two copies of one story share few literal word
n-grams. Two views survive it:

- *canonical* tokens: each content word mapped to one representative of its Moby synonym class, so
  "moment of truth" and "instant of truth" both read "time truth". The representative is the most frequent
  (Zipf) one-word, non-function synonym, taken twice (the representative of the representative): one hop
  merges only ~15% of spinner swaps, two hops ~25% (measured on Moby- and distributional-spun news), while
  the classes stay small enough to tell stories apart. Function words are dropped from this view because
  LLM paraphrase changes them freely.
- *invariant* tokens (Zhang, Wang and Voelker, "DSpin: Detecting automatically spun content on the web",
  NDSS 2014): words a spinner never changes because its dictionary has no entry for them. Those are
  function words, names (capitalised inside a sentence), numbers and words without Moby synonyms. DSpin
  shingles the sequence of invariants; a spun copy keeps it almost whole.
- *names*: the set of names and numbers alone. An LLM paraphrase rewrites every sentence, function words
  included, but keeps who, where and how much; as a bag this set still ties a rewrite to its source.
"""

from __future__ import annotations

from functools import lru_cache

from ..document import WORD_RE
from ..features.collocations import FUNCTION_WORDS
from ..resources import lexicon

# Distinct words across a batch; every cache is bounded (module-level lru_caches are thread-safe).
_CACHE_SIZE = 200_000


@lru_cache(maxsize=_CACHE_SIZE)
def _most_frequent_synonym(word: str) -> str:
    lex = lexicon()
    term_id = lex.term_id(word)
    if term_id is None or word in FUNCTION_WORDS:
        return word
    best = (lex.zipf_of(term_id), -term_id)
    best_id = term_id
    for other in lex.synonym_ids(term_id):
        term = lex.term(other)
        # Multi-word entries and function words ("but", "so" are Moby synonyms of hundreds of words)
        # would make hubs that merge unrelated stories.
        if " " in term or term in FUNCTION_WORDS:
            continue
        key = (lex.zipf_of(other), -other)
        if key > best:
            best, best_id = key, other
    return lex.term(best_id)


@lru_cache(maxsize=_CACHE_SIZE)
def canonical_word(word: str) -> str:
    """The representative of a lower-cased word's synonym class (the word itself when it has none)."""
    return _most_frequent_synonym(_most_frequent_synonym(word))


@lru_cache(maxsize=_CACHE_SIZE)
def _has_synonyms(word: str) -> bool:
    lex = lexicon()
    term_id = lex.term_id(word)
    return term_id is not None and bool(lex.synonym_ids(term_id))


def is_sentence_start(text: str, start: int) -> bool:
    """Whether only quotes, brackets and spaces separate `start` from the text start or a sentence end."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'\u201c\u2018([":
        i -= 1
    return i < 0 or text[i] in ".!?:\n"


def is_invariant(token: str, capitalised_name: bool) -> bool:
    """A token a dictionary spinner cannot change (see the module docstring)."""
    lower = token.lower()
    return (capitalised_name or not token[0].isalpha() or lower in FUNCTION_WORDS
            or not _has_synonyms(lower))


def analyse(text: str) -> tuple[list[str], list[str], list[str]]:
    """(canonical content tokens, invariant tokens, names and numbers) of a text, lower-cased, in order."""
    canonical: list[str] = []
    invariant: list[str] = []
    names: list[str] = []
    for match in WORD_RE.finditer(text):
        token = match.group()
        lower = token.lower()
        name = token[0].isupper() and not is_sentence_start(text, match.start())
        if is_invariant(token, name):
            invariant.append(lower)
        if (name and lower not in FUNCTION_WORDS) or not token[0].isalpha():
            names.append(lower)
        if lower not in FUNCTION_WORDS:
            canonical.append(lower if name or not token[0].isalpha() else canonical_word(lower))
    return canonical, invariant, names


def canonical_sequence(text: str) -> list[tuple[str, str]]:
    """Every word of `text` as (surface lower-cased, canonical form), function words included.

    The alignment diff needs both: canonical forms to pair a swapped word with its original, surface
    forms to tell a verbatim word from a substitution."""
    out = []
    for match in WORD_RE.finditer(text):
        lower = match.group().lower()
        out.append((lower, canonical_word(lower) if lower[0].isalpha() else lower))
    return out


def shingles(tokens: list[str], n: int) -> set[str]:
    """Word n-grams as strings; a text shorter than n gives its whole token run as one shingle."""
    if not tokens:
        return set()
    if len(tokens) < n:
        return {" ".join(tokens)}
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}
