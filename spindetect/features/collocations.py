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

from ..document import Document, Token
from ..resources import Lexicon, lexicon
from .base import MISSING, Evidence, FeatureFamily, FeatureResult, ratio

# Closed-class English words (articles, pronouns, prepositions, conjunctions, auxiliaries, determiners).
FUNCTION_WORDS = frozenset("""
a about above across after against all along also although am among an and another any are around as at
be because been before being below between both but by can could did do does doing down during each
either every few for from had has have having he her here hers herself him himself his how i if in into
is it its itself just may me might mine more most must my myself neither no nor not of off on once one
only or other our ours ourselves out over own same shall she should so some such than that the their
theirs them themselves then there these they this those though through to too toward towards under
until up upon us very was we were what when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves
""".split())

# A garble must beat the independence baseline by this many natural-log units (e^6 ~ 400 times), a
# level chosen on BBC originals vs synthetic spins (see the family's report): below it clean news fires.
MIN_STRENGTH = 6.0
# The alternative pair must itself be a real collocation, not just two frequent words side by side:
# its count must exceed chance by this much (ln units; e^3 ~ 20 times, a common PMI cut-off).
MIN_ALTERNATIVE_PMI = 3.0
# A thesaurus swap rarely makes the text *more* common English; an alternative whose swapped-in word is
# much rarer than the word in the text is more likely a coincidence than the original.
MAX_ZIPF_DROP = 0.5
# "Much more frequent synonym": 1.5 Zipf = about 30 times as frequent.
RARE_SYNONYM_GAP = 1.5
MAX_EVIDENCE = 20
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
        "garble_mean_strength": "mean strength (ln ratio over chance) of the garbled pairs found",
        "garble_max_strength": "strength of the most convincing garbled pair",
        "content_bigrams_in_reference": "share of adjacent content-word pairs that are common English bigrams",
        "mean_bigram_logprob": "mean log P(next word | word) from the reference bigrams, with unigram backoff",
        "rare_synonym_rate": "share of content words that have a synonym at least 30 times as frequent",
        "mean_zipf_gap": "mean Zipf-frequency gap between content words and their most frequent synonym",
        "oov_rate": "share of lowercase words missing from the reference vocabulary",
    }

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
            return FeatureResult({name: (0.0 if name == "garbled_per_100_words" else MISSING)
                                  for name in Collocations.features})
        ids, swappable, oov, lowercase_words = _classify(self.lex, doc.text, tokens)
        adjacent = [i for i in range(len(tokens) - 1) if _adjacent(doc.text, tokens[i], tokens[i + 1])]

        garbles = self._find_garbles(ids, swappable, adjacent)
        accepted = _non_overlapping(garbles)
        strengths = [g.strength for g in accepted]

        content_pairs = [i for i in adjacent if swappable[i] and swappable[i + 1]]
        in_reference = sum(1 for i in content_pairs if self.lex.pair_count_ids(ids[i], ids[i + 1]))
        logprobs = [self.lex.bigram_log_prob(ids[i], ids[i + 1])
                    for i in adjacent if ids[i] is not None and ids[i + 1] is not None]
        gaps = [_zipf_gap(self.lex, ids[i]) for i in range(len(tokens)) if swappable[i]]

        values = {
            "garbled_per_100_words": 100.0 * len(accepted) / word_count,
            "garble_mean_strength": ratio(sum(strengths), len(strengths), 0.0),
            "garble_max_strength": max(strengths, default=0.0),
            "content_bigrams_in_reference": ratio(in_reference, len(content_pairs)),
            "mean_bigram_logprob": ratio(sum(logprobs), len(logprobs)),
            "rare_synonym_rate": ratio(sum(1 for g in gaps if g >= RARE_SYNONYM_GAP), len(gaps)),
            "mean_zipf_gap": ratio(sum(gaps), len(gaps)),
            "oov_rate": ratio(oov, lowercase_words),
        }
        evidence = [
            Evidence(text=doc.text[tokens[g.start].start:tokens[g.end].end], start=tokens[g.start].start,
                     end=tokens[g.end].end, replaced=g.replaced, kind="garbled_collocation")
            for g in accepted[:MAX_EVIDENCE]
        ]
        return FeatureResult(values, {"garbled_per_100_words": evidence, "garble_max_strength": evidence[:1]}
                             if evidence else {})

    def _find_garbles(self, ids: list[int | None], swappable: list[bool], adjacent: list[int]) -> list[Garble]:
        adjacent_set = set(adjacent)
        found: list[Garble] = []
        for i in adjacent:
            a, b = ids[i], ids[i + 1]
            if a is None or b is None or not (swappable[i] or swappable[i + 1]):
                continue
            hit = _adjacent_garble(self.lex, a, b, swappable[i], swappable[i + 1])
            if hit:
                found.append(Garble(i, i + 1, *hit))
            # Across one function word: "time for truth" against the fixed phrase "moment of truth".
            if (i + 1 in adjacent_set and i + 2 < len(ids) and swappable[i] and swappable[i + 2]
                    and not swappable[i + 1] and ids[i + 1] is not None and ids[i + 2] is not None):
                hit = _gapped_garble(self.lex, a, ids[i + 2])
                if hit:
                    found.append(Garble(i, i + 2, *hit))
        return found


def _classify(lex: Lexicon, text: str, tokens: list[Token]) -> tuple[list[int | None], list[bool], int, int]:
    """Vocabulary id per token, whether it could be a spinner's swap, and the OOV tally of plain words."""
    ids: list[int | None] = []
    swappable: list[bool] = []
    oov = lowercase_words = 0
    for token in tokens:
        word = token.text
        if not token.is_alpha:
            ids.append(None)
            swappable.append(False)
            continue
        lower = word.lower()
        term_id = lex.term_id(lower.replace("\u2019", "'"))
        proper = word[0].isupper() and not _starts_sentence(text, token.start)
        if word.islower():
            lowercase_words += 1
            oov += term_id is None
        if proper:
            term_id = None
        ids.append(term_id)
        swappable.append(term_id is not None and lower not in FUNCTION_WORDS)
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


def _alternative_ok(lex: Lexicon, count: int, a: int, b: int, text_a: int, text_b: int) -> bool:
    """The alternative (a, b) is a real collocation and no swapped-in word is much rarer than the text's."""
    if _expected_log(lex, a, b) + MIN_ALTERNATIVE_PMI > math.log(count):
        return False
    return all(lex.zipf_of(orig) >= lex.zipf_of(seen) - MAX_ZIPF_DROP
               for orig, seen in ((a, text_a), (b, text_b)) if orig != seen)


@lru_cache(maxsize=_CACHE_SIZE)
def _adjacent_garble(lex: Lexicon, a: int, b: int, a_swappable: bool, b_swappable: bool
                     ) -> tuple[float, str] | None:
    """(strength, alternative) when the absent pair (a, b) is one or two synonym swaps from a known pair."""
    if lex.pair_count_ids(a, b):
        return None
    best: tuple[int, int, int] | None = None  # (count, a', b')
    candidates: list[tuple[int, int]] = []
    syn_a = lex.synonym_ids(a) if a_swappable else frozenset()
    syn_b = lex.synonym_ids(b) if b_swappable else frozenset()
    candidates += [(x, b) for x in syn_a & lex.predecessor_ids(b)]
    candidates += [(a, y) for y in syn_b & lex.follower_ids(a)]
    if syn_a and syn_b:
        # Both words swapped ("counterfeit consciousness"): pairs x y with x ~ a and y ~ b.
        for x in syn_a:
            followers = lex.follower_ids(x)
            if followers:
                candidates += [(x, y) for y in followers & syn_b]
    for x, y in candidates:
        count = lex.pair_count_ids(x, y)
        if (best is None or count > best[0]) and _alternative_ok(lex, count, x, y, a, b):
            best = (count, x, y)
    if best is None:
        return None
    strength = math.log(best[0]) - _expected_log(lex, a, b)
    if strength < MIN_STRENGTH:
        return None
    return strength, f"{lex.term(best[1])} {lex.term(best[2])}"


@lru_cache(maxsize=_CACHE_SIZE)
def _gapped_garble(lex: Lexicon, a: int, b: int) -> tuple[float, str] | None:
    """(strength, phrase) when "a _ b" is a synonym swap away from a three-word Moby phrase "a' f b'"."""
    if lex.gapped_phrase_id(a, b) is not None:
        return None
    syn_a, syn_b = lex.synonym_ids(a), lex.synonym_ids(b)
    phrases = [lex.gapped_phrase_id(x, b) for x in syn_a & lex.gapped_predecessor_ids(b)]
    phrases += [lex.gapped_phrase_id(a, y) for y in syn_b & lex.gapped_follower_ids(a)]
    if not phrases:
        return None
    # Moby phrases carry no count: score them as if at the bigram list's floor, the most we can claim.
    strength = math.log(lex.bigram_floor) - _expected_log(lex, a, b)
    if strength < MIN_STRENGTH:
        return None
    return strength, min(lex.term(p) for p in phrases if p is not None)


@lru_cache(maxsize=_CACHE_SIZE)
def _zipf_gap(lex: Lexicon, term_id: int | None) -> float:
    """How much more frequent (in Zipf units, >= 0) the word's most frequent one-word synonym is."""
    if term_id is None:
        return 0.0
    best = max((lex.zipf_of(s) for s in lex.synonym_ids(term_id) if " " not in lex.term(s)), default=0.0)
    return max(0.0, best - lex.zipf_of(term_id))
