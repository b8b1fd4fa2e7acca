"""Spin-proof views of a text: synonym-canonical tokens, DSpin-style invariant tokens, names, keywords.

A spinner swaps content words for thesaurus entries, so two copies of one story share few literal word
n-grams. These views survive it:

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
- *keywords*: the rarest canonical terms (see `keywords`), for the index's inverted-index view.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..text._words import FUNCTION_WORDS, WORD_RE
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


@lru_cache(maxsize=_CACHE_SIZE)
def _word_info(lower: str) -> tuple[bool, bool, str]:
    """(function word, unspinnable, canonical form) of a lower-cased alphabetic word: one cached lookup
    per token instead of three (`analyse` runs on every indexed document)."""
    function = lower in FUNCTION_WORDS
    return function, function or not _has_synonyms(lower), canonical_word(lower)


# WORD_RE with the token captured, so re.split yields [gap, token, gap, token, ..., gap].
_SPLIT_RE = re.compile(f"({WORD_RE.pattern})")
_OPENERS = " \t\"'\u201c\u2018(["
_SENTENCE_ENDS = ".!?:\n"


def analyse(text: str) -> tuple[list[str], list[str], list[str]]:
    """(canonical content tokens, invariant tokens, names and numbers) of a text, lower-cased, in order."""
    canonical: list[str] = []
    invariant: list[str] = []
    names: list[str] = []
    # Hot loop (every indexed document passes here): bound methods, one cached lookup per token. A capitalised
    # word is a name unless only quotes, brackets and spaces separate it from the text start or a sentence
    # end; that test is read off the gap before the token.
    add_canonical, add_invariant, add_name = canonical.append, invariant.append, names.append
    parts = _SPLIT_RE.split(text)
    for k in range(1, len(parts), 2):
        token = parts[k]
        first = token[0]
        if not first.isalpha():  # a number: invariant, kept as it is in every view
            add_invariant(token)
            add_name(token)
            add_canonical(token)
            continue
        lower = token.lower()
        function, unspinnable, canonical_form = _word_info(lower)
        if first.isupper():
            # No token ends in a sentence-end character, so an all-opener gap after a token is mid-sentence.
            gap = parts[k - 1].rstrip(_OPENERS)
            if gap[-1:] not in ("", *_SENTENCE_ENDS) or (not gap and k > 1):  # a name
                add_invariant(lower)
                if not function:
                    add_name(lower)
                    add_canonical(lower)
                continue
        if unspinnable:
            add_invariant(lower)
        if not function:
            add_canonical(canonical_form)
    return canonical, invariant, names


# Keywords: the rarest canonical terms of a text, the second retrieval view (an inverted index). An LLM
# rewrite shares almost no shingle with its source, but it keeps who, where, how much and the story's
# uncommon content words; weighted by rarity, a few dozen of them single out the source among thousands
# of same-topic stories. Rarity is static (English Zipf frequency from the lexicon), so a document's
# keywords never depend on what else is indexed; the index weighs them again by how many documents
# share them (inverse document frequency) at query time.
KEYWORDS = 32
# Words at or above this Zipf frequency (about once per 300,000 words: "government" 5.6, "said" 6.0)
# get no weight; a word absent from the lexicon (a name, a coinage) counts as Zipf 1.
_COMMON_ZIPF = 6.0
_UNKNOWN_ZIPF = 1.0
# Numbers: short ones (ages, days, small counts) are everywhere; longer ones (years, amounts) are not.
_SHORT_NUMBER_WEIGHT, _LONG_NUMBER_WEIGHT = 0.5, 2.5


@lru_cache(maxsize=_CACHE_SIZE)
def term_weight(term: str) -> float:
    """Static rarity weight of a canonical term: `_COMMON_ZIPF` minus its Zipf frequency, floored at 0."""
    if not term[0].isalpha():
        return _LONG_NUMBER_WEIGHT if len(term) >= 3 else _SHORT_NUMBER_WEIGHT
    lex = lexicon()
    term_id = lex.term_id(term)
    zipf = lex.zipf_of(term_id) if term_id is not None else _UNKNOWN_ZIPF
    return max(0.0, _COMMON_ZIPF - zipf)


def keywords(canonical: list[str], limit: int = KEYWORDS) -> list[str]:
    """The `limit` terms of a canonical token list with the highest weight x (1 + ln tf), best first."""
    counts: dict[str, int] = {}
    for term in canonical:
        counts[term] = counts.get(term, 0) + 1
    scored = []
    for term, tf in counts.items():
        weight = term_weight(term)
        if weight > 0.0:
            scored.append((-weight * (1.0 + math.log(tf)), term))
    scored.sort()
    return [term for _, term in scored[:limit]]


def canonical_sequence(text: str) -> list[tuple[str, str]]:
    """Every word of `text` as (surface lower-cased, canonical form), function words included.

    The alignment diff needs both: canonical forms to pair a swapped word with its original, surface
    forms to tell a verbatim word from a substitution."""
    return [_word_pair(match.group().lower()) for match in WORD_RE.finditer(text)]


@lru_cache(maxsize=_CACHE_SIZE)
def _word_pair(lower: str) -> tuple[str, str]:
    """One shared (surface, canonical) tuple per distinct word: `cluster` holds every word of a batch this
    way, and a fresh string and tuple per occurrence took 30 times the text's size (310 MiB for the 10 MiB
    of a 5,000-document batch of `benchmarks.story_scale`)."""
    return lower, canonical_word(lower) if lower[0].isalpha() else lower


def shingles(tokens: list[str], n: int) -> set[str]:
    """Word n-grams as strings; a text shorter than n gives its whole token run as one shingle."""
    if not tokens:
        return set()
    if len(tokens) < n:
        return {" ".join(tokens)}
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}
