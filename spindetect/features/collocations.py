"""Garbled collocations: the fingerprint an article spinner cannot avoid.

A spinner swaps words for thesaurus synonyms one at a time, blind to the words around them, so fixed
phrases break: "artificial intelligence" becomes "counterfeit consciousness", "moment of truth" becomes
"time for truth". The phenomenon we look for, independent of any one spinner's thesaurus, is

    a word pair English rarely uses, where a common pair is one synonym away
    (on either word, or on both).

"Rarely uses" is judged against the Google Books top-bigram list (absence means "not among the most
common ~242k bigrams"), "common" by the same list plus Moby's multi-word entries, "synonym" by Moby
Thesaurus II; see `spindetect.resources.lexicon`. A pair counts as garbled when the alternative is far
more frequent than the pair could be by chance: strength = ln count(alternative) - ln expected(a, b),
with expected(a, b) = count(a) * count(b) / N the independence baseline (the log-likelihood intuition of
Dunning 1993: a collocation is a pair far more frequent than its parts predict).

A second, weaker signal: spinners pick rarer words than writers do (Shahid et al. 2017, "Detecting
spun content"), so we measure how far each content word's Zipf frequency falls below its most frequent
synonym's.

Capitalised words inside a sentence (proper nouns), numbers and function words are never treated as
swapped: spinners leave them alone and they carry no synonym signal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..text._document import Document, Token
from ..text._words import FUNCTION_WORDS
from ..resources import Lazy, Lexicon, lexicon
from .base import MISSING, Evidence, FeatureFamily, FeatureResult, ratio


# Thresholds chosen on BBC originals vs two synthetic spins (Moby swaps at 30%, a hand-made 50-word list);
# see the family's report. A garble must beat the independence baseline by e^10 (ln units) ...
MIN_STRENGTH = 10.0
# ... the alternative must be a fixed phrase: count(a', b') / min(count(a'), count(b')) (Google Books
# bigram and unigram counts are on different scales, so this is a relative fixedness, not a probability) ...
MIN_FIXEDNESS = 0.1
MIN_FIXEDNESS_DOUBLE = 0.3
# ... and every swapped-in word of the text must be rarer than the word it replaced (spinners pick rarer
# synonyms; a writer's rarer word next to a common collocation is the usual false alarm otherwise).
MIN_ZIPF_GAIN = 0.5
MIN_ZIPF_GAIN_DOUBLE_EACH = 0.3
MIN_ZIPF_GAIN_DOUBLE_SUM = 1.0
# Moby idioms carry no count, so a gapped garble ("time for truth") is scored at the bigram floor, which
# for common words falls below MIN_STRENGTH; this lower bar is what BBC originals tolerate.
MIN_GAPPED_STRENGTH = 4.0
# Thesaurus links between loosely related senses ("consciousness" ~ "parts") make chance alternatives;
# a swap counts only when the two entries share this share of their synonyms (Jaccard).
MIN_CLOSENESS = 0.02
# Gapped phrases have no count to judge them by, so only near-synonym swaps count there.
MIN_GAPPED_CLOSENESS = 0.05
# "Much more frequent synonym": 1.5 Zipf = about 30 times as frequent.
RARE_SYNONYM_GAP = 1.5
MAX_EVIDENCE = 20
# Every swap `_plausible_swap` accepts gains at least MIN_ZIPF_GAIN_DOUBLE_EACH (0.3 Zipf = 3 tenths), so
# synonyms that are not at least this much more frequent can be dropped before the search. One tenth of
# slack below 3 keeps the prefilter a strict superset despite float rounding; the exact test still runs.
_PREFILTER_GAIN_TENTHS = 2
_CACHE_SIZE = 131_072
_OPENERS = " \t\r\"'\u201c\u2018([-\u2014"
_SENTENCE_ENDS = ".!?:;\n"


@dataclass(frozen=True)
class Garble:
    start: int  # token index of the first word of the span
    end: int  # token index of the last word
    strength: float
    replaced: str


class Collocations(FeatureFamily):
    name = "collocations"
    version = 1
    features = {
        "garbled_per_100_words": "word pairs that look like a synonym-swapped common phrase, per 100 words",
        "gapped_garbled_per_100_words": "word-function word-word spans one synonym from a fixed Moby idiom "
                                        "(\"time for truth\" for \"moment of truth\"), per 100 words",
        "garble_mean_strength": "mean strength (ln ratio over chance) of the garbled pairs found",
        "garble_max_strength": "strength of the most convincing garbled pair",
        "content_bigrams_in_reference": "share of adjacent content-word pairs that are common English bigrams",
        "mean_bigram_logprob": "mean log P(next word | word) from the reference bigrams, with unigram backoff",
        "rare_synonym_rate": "share of content words that have a synonym at least 30 times as frequent",
        "mean_zipf_gap": "mean Zipf-frequency gap between content words and their most frequent synonym",
        "oov_rate": "share of lowercase words missing from the reference vocabulary",
    }
    # Garbled pairs are rare bigrams with a common alternative, so they are what lowers the bigram measures.
    evidence_from = {
        "garble_mean_strength": ("garbled_per_100_words",),
        "content_bigrams_in_reference": ("garbled_per_100_words",),
        "mean_bigram_logprob": ("garbled_per_100_words",),
        "mean_zipf_gap": ("rare_synonym_rate",),
    }
    # These consult the Moby thesaurus that our training spinners draw from.
    generator_specific = {name: "spun" for name in (
        "garbled_per_100_words", "gapped_garbled_per_100_words", "garble_mean_strength", "garble_max_strength",
        "rare_synonym_rate", "mean_zipf_gap")}

    def extract(self, doc: Document) -> FeatureResult:
        return _Scorer(lexicon()).score(doc)


class _Scorer:
    """Per-call helper bound to the shared lexicon; all caches live on the lexicon-keyed functions."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def score(self, doc: Document) -> FeatureResult:
        tokens = doc.tokens
        word_count = len(doc.words)
        if not word_count:
            return FeatureResult({name: (0.0 if name in _ZERO_WHEN_EMPTY else MISSING)
                                  for name in Collocations.features})
        ids, swappable, oov, lowercase_words = _classify(self.lex, doc.text, tokens)
        adjacent = [i for i in range(len(tokens) - 1) if _adjacent(doc.text, tokens[i], tokens[i + 1])]

        garbles = self._find_garbles(ids, swappable, adjacent)
        accepted = _non_overlapping(garbles)
        # Gapped garbles are scored at the bigram floor (no counts for idioms) and fire on clean news about
        # as often as on spun text, so they are kept apart rather than diluting the main rate.
        adjacent_garbles = [g for g in accepted if g.end == g.start + 1]
        gapped_garbles = [g for g in accepted if g.end != g.start + 1]
        strengths = [g.strength for g in adjacent_garbles]

        content_pairs = [i for i in adjacent if swappable[i] and swappable[i + 1]]
        in_reference = sum(1 for i in content_pairs if self.lex.pair_count_ids(ids[i], ids[i + 1]))
        logprobs = [self.lex.bigram_log_prob(ids[i], ids[i + 1])
                    for i in adjacent if ids[i] is not None and ids[i + 1] is not None]
        gap_at = {i: _zipf_gap(self.lex, ids[i]) for i in range(len(tokens)) if swappable[i]}
        gaps = list(gap_at.values())

        values = {
            "garbled_per_100_words": 100.0 * len(adjacent_garbles) / word_count,
            "gapped_garbled_per_100_words": 100.0 * len(gapped_garbles) / word_count,
            "garble_mean_strength": ratio(sum(strengths), len(strengths), 0.0),
            "garble_max_strength": max(strengths, default=0.0),
            "content_bigrams_in_reference": ratio(in_reference, len(content_pairs)),
            "mean_bigram_logprob": ratio(sum(logprobs), len(logprobs)),
            "rare_synonym_rate": ratio(sum(1 for g in gaps if g >= RARE_SYNONYM_GAP), len(gaps)),
            "mean_zipf_gap": ratio(sum(gaps), len(gaps)),
            "oov_rate": ratio(oov, lowercase_words),
        }
        evidence = {
            "garbled_per_100_words": _evidence(doc, adjacent_garbles),
            "garble_max_strength": _evidence(doc, adjacent_garbles[:1]),
            "gapped_garbled_per_100_words": _evidence(doc, gapped_garbles),
            "rare_synonym_rate": _rare_synonym_evidence(self.lex, doc, ids, gap_at),
        }
        return FeatureResult(values, {name: found for name, found in evidence.items() if found})

    def _find_garbles(self, ids: list[int | None], swappable: list[bool], adjacent: list[int]) -> list[Garble]:
        adjacent_set = set(adjacent)
        found: list[Garble] = []
        for i in adjacent:
            a, b = ids[i], ids[i + 1]
            if swappable[i] and swappable[i + 1]:
                hit = _adjacent_garble(self.lex, a, b)
                if hit:
                    found.append(Garble(i, i + 1, *hit))
            # Across one function word: "time for truth" against the fixed phrase "moment of truth".
            if (i + 1 in adjacent_set and i + 2 < len(ids) and swappable[i] and swappable[i + 2]
                    and not swappable[i + 1] and ids[i + 1] is not None and ids[i + 2] is not None):
                hit = _gapped_garble(self.lex, a, ids[i + 2])
                if hit:
                    found.append(Garble(i, i + 2, *hit))
        return found


_ZERO_WHEN_EMPTY = frozenset({"garbled_per_100_words", "gapped_garbled_per_100_words", "garble_mean_strength",
                              "garble_max_strength"})


def _evidence(doc: Document, garbles: list[Garble]) -> list[Evidence]:
    """Strongest first (the order `_non_overlapping` returns), capped at MAX_EVIDENCE."""
    tokens = doc.tokens
    return [Evidence(text=doc.text[tokens[g.start].start:tokens[g.end].end], start=tokens[g.start].start,
                     end=tokens[g.end].end, replaced=g.replaced, kind="garbled_collocation", strength=g.strength)
            for g in garbles[:MAX_EVIDENCE]]


def _rare_synonym_evidence(lex: Lexicon, doc: Document, ids: list[int | None],
                           gap_at: dict[int, float]) -> list[Evidence]:
    """Words with a near synonym at least 30 times as frequent, largest gap first, with the closest such
    synonym as the word they probably replaced (a spinner's pick is usually the rarer word: Shahid et al.
    2017). Moby links loosely related senses ("argument" ~ "I", "finished" ~ "by"), so only near synonyms
    that are content words are named."""
    tokens = doc.tokens
    rare = sorted((i for i, gap in gap_at.items() if gap >= RARE_SYNONYM_GAP and ids[i] is not None),
                  key=lambda i: (-gap_at[i], i))
    evidence: list[Evidence] = []
    for i in rare:
        original = _probable_original(lex, ids[i])
        if original is not None:
            evidence.append(Evidence(text=tokens[i].text, start=tokens[i].start, end=tokens[i].end,
                                     replaced=original, kind="rare_synonym", strength=gap_at[i]))
            if len(evidence) == MAX_EVIDENCE:
                break
    return evidence


@lru_cache(maxsize=_CACHE_SIZE)
def _probable_original(lex: Lexicon, term_id: int) -> str | None:
    """The closest content-word synonym at least RARE_SYNONYM_GAP Zipf more frequent, if it is a near one."""
    more_frequent = lex.more_frequent_synonym_ids(term_id, round(RARE_SYNONYM_GAP * 10))
    closeness, synonym = max(((_closeness(lex, term_id, s), s) for s in more_frequent
                              if s != term_id and " " not in (word := lex.term(s)) and word not in FUNCTION_WORDS),
                             default=(0.0, None))
    return lex.term(synonym) if synonym is not None and closeness >= MIN_GAPPED_CLOSENESS else None


def _classify(lex: Lexicon, text: str, tokens: list[Token]) -> tuple[list[int | None], list[bool], int, int]:
    """Vocabulary id per token, whether it could be a spinner's swap, and the OOV tally of plain words."""
    ids: list[int | None] = []
    swappable: list[bool] = []
    oov = lowercase_words = 0
    # What depends on the word alone is looked up once per distinct word: (vocabulary id, function word,
    # written in lower case). Only the proper-noun test depends on where the word stands.
    seen: dict[str, tuple[int | None, bool, bool]] = {}
    for word, start, _ in tokens:
        if not word[0].isalpha():
            ids.append(None)
            swappable.append(False)
            continue
        known = seen.get(word)
        if known is None:
            lower = word.lower()
            known = seen[word] = (lex.term_id(lower.replace("\u2019", "'")), lower in FUNCTION_WORDS,
                                  word.islower())
        term_id, function_word, lowercase = known
        if lowercase:
            lowercase_words += 1
            oov += term_id is None
        if word[0].isupper() and not _starts_sentence(text, start):
            term_id = None  # a proper noun
        ids.append(term_id)
        swappable.append(term_id is not None and not function_word)
    return ids, swappable, oov, lowercase_words


def _starts_sentence(text: str, start: int) -> bool:
    """Is the word at `start` the first of a sentence, line or quotation (so capitalised for that reason)?"""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def _adjacent(text: str, left: Token, right: Token) -> bool:
    """Only whitespace between the two tokens: punctuation breaks a collocation."""
    return left.end < right.start and text[left.end:right.start].isspace()


def _non_overlapping(garbles: list[Garble]) -> list[Garble]:
    """Strongest first; a weaker garble sharing a word with a stronger one is the same swap seen twice."""
    taken: set[int] = set()
    kept: list[Garble] = []
    for g in sorted(garbles, key=lambda g: (-g.strength, g.start)):
        span = set(range(g.start, g.end + 1))
        if span & taken:
            continue
        taken |= span
        kept.append(g)
    return kept


def _expected_log(lex: Lexicon, a: int, b: int) -> float:
    """ln of the independence expectation count(a) * count(b) / N, floored at one occurrence."""
    expected = max(lex.count_of(a), 1) * max(lex.count_of(b), 1) / lex.total_count
    return math.log(max(expected, 1.0))


class _FixedPhrases:
    """The content-word pairs of the reference that are fixed phrases (see MIN_FIXEDNESS), indexed both ways.

    Built once per lexicon: restricting the search to these ~50k pairs is what makes the double-swap search
    ("counterfeit consciousness" -> "artificial intelligence") affordable.
    """

    def __init__(self, lex: Lexicon) -> None:
        function_ids = np.array(sorted({i for i in map(lex.term_id, FUNCTION_WORDS) if i is not None}))
        left, right, count = lex.pair_arrays()
        # Vectorised `_fixedness`: both sides are exact doubles (counts < 2**53), so the comparison is the
        # one the per-pair Python loop made.
        denominator = np.maximum(1, np.minimum(lex.unigram_counts[left], lex.unigram_counts[right]))
        keep = ((count / denominator >= MIN_FIXEDNESS) & ~np.isin(left, function_ids)
                & ~np.isin(right, function_ids))
        followers: dict[int, set[int]] = {}
        predecessors: dict[int, set[int]] = {}
        for a, b in zip(left[keep].tolist(), right[keep].tolist()):
            followers.setdefault(a, set()).add(b)
            predecessors.setdefault(b, set()).add(a)
        self.followers = {k: frozenset(v) for k, v in followers.items()}
        self.predecessors = {k: frozenset(v) for k, v in predecessors.items()}
        self.lefts = frozenset(self.followers)


_FIXED_PHRASES = Lazy(lambda: _FixedPhrases(lexicon()))


def _fixedness(lex: Lexicon, count: int, a: int, b: int) -> float:
    return count / max(1, min(lex.count_of(a), lex.count_of(b)))


@lru_cache(maxsize=_CACHE_SIZE)
def _closeness(lex: Lexicon, a: int, b: int) -> float:
    """Jaccard overlap of two entries' Moby synonym sets: near-synonyms share many neighbours."""
    syn_a, syn_b = lex.synonym_ids(a), lex.synonym_ids(b)
    shared = len(syn_a & syn_b)
    return shared / max(1, len(syn_a) + len(syn_b) - shared)  # the union's size, without building it


def _zipf_gain(lex: Lexicon, original: int, seen: int) -> float:
    return lex.zipf_of(original) - lex.zipf_of(seen)


def _plausible_swap(lex: Lexicon, count: int, x: int, y: int, a: int, b: int) -> bool:
    """Could the text's (a, b) be a spinner's rewrite of the fixed phrase (x, y)?"""
    gains = [_zipf_gain(lex, o, s) for o, s in ((x, a), (y, b)) if o != s]
    if len(gains) == 1:
        return _fixedness(lex, count, x, y) >= MIN_FIXEDNESS and gains[0] >= MIN_ZIPF_GAIN
    return (_fixedness(lex, count, x, y) >= MIN_FIXEDNESS_DOUBLE and min(gains) >= MIN_ZIPF_GAIN_DOUBLE_EACH
            and sum(gains) >= MIN_ZIPF_GAIN_DOUBLE_SUM)


@lru_cache(maxsize=_CACHE_SIZE)
def _adjacent_garble(lex: Lexicon, a: int, b: int) -> tuple[float, str] | None:
    """(strength, alternative) when the absent pair (a, b) is one or two synonym swaps from a fixed phrase."""
    if lex.pair_count_ids(a, b):
        return None
    fixed = _FIXED_PHRASES.get()
    # Only synonyms frequent enough to pass `_plausible_swap` (see _PREFILTER_GAIN_TENTHS): the candidates
    # dropped here would all be rejected below, and the survivors keep their sorted order, so the result
    # is the unfiltered search's.
    syn_a = lex.more_frequent_synonym_ids(a, _PREFILTER_GAIN_TENTHS)
    syn_b = lex.more_frequent_synonym_ids(b, _PREFILTER_GAIN_TENTHS)
    candidates = [(x, b) for x in syn_a & fixed.predecessors.get(b, frozenset())]
    candidates += [(a, y) for y in syn_b & fixed.followers.get(a, frozenset())]
    for x in syn_a & fixed.lefts:
        candidates += [(x, y) for y in fixed.followers[x] & syn_b]
    # Rank by how fixed the alternative is and how close each swap is in meaning, so that
    # "counterfeit consciousness" reads as "artificial intelligence", not the equally listed "spare parts".
    best: tuple[float, int, int, int] | None = None  # (rank, count, x, y)
    for x, y in sorted(candidates):
        count = lex.pair_count_ids(x, y)
        if not _plausible_swap(lex, count, x, y, a, b):  # cheap test first; closeness intersects sets
            continue
        closeness = [_closeness(lex, o, s) for o, s in ((x, a), (y, b)) if o != s]
        if min(closeness) < MIN_CLOSENESS:
            continue
        rank = math.log(_fixedness(lex, count, x, y)) + sum(math.log(c) for c in closeness)
        if best is None or rank > best[0]:
            best = (rank, count, x, y)
    if best is None:
        return None
    strength = math.log(best[1]) - _expected_log(lex, a, b)
    if strength < MIN_STRENGTH:
        return None
    return strength, f"{lex.term(best[2])} {lex.term(best[3])}"


@lru_cache(maxsize=_CACHE_SIZE)
def _gapped_garble(lex: Lexicon, a: int, b: int) -> tuple[float, str] | None:
    """(strength, phrase) when "a _ b" is a synonym swap away from a three-word Moby phrase "a' f b'"."""
    if lex.gapped_phrase_id(a, b) is not None:
        return None
    syn_a, syn_b = lex.synonym_ids(a), lex.synonym_ids(b)
    phrases = [lex.gapped_phrase_id(x, b) for x in syn_a & lex.gapped_predecessor_ids(b)
               if _closeness(lex, x, a) >= MIN_GAPPED_CLOSENESS]
    phrases += [lex.gapped_phrase_id(a, y) for y in syn_b & lex.gapped_follower_ids(a)
                if _closeness(lex, y, b) >= MIN_GAPPED_CLOSENESS]
    if not phrases:
        return None
    # Moby phrases carry no count: score them as if at the bigram list's floor, the most we can claim.
    strength = math.log(lex.bigram_floor) - _expected_log(lex, a, b)
    if strength < MIN_GAPPED_STRENGTH:
        return None
    return strength, min(lex.term(p) for p in phrases if p is not None)


@lru_cache(maxsize=_CACHE_SIZE)
def _zipf_gap(lex: Lexicon, term_id: int | None) -> float:
    """How much more frequent (in Zipf units, >= 0) the word's most frequent one-word synonym is."""
    if term_id is None:
        return 0.0
    return max(0.0, lex.best_word_synonym_zipf_of(term_id) - lex.zipf_of(term_id))
