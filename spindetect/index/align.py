"""Verify a candidate original: align its sentences with the query's and diff the aligned pairs.

Sentences are paired one-to-one, greedily by the overlap (Dice) of their canonical token sets, in any
order (farms reorder paragraphs and LLM rewrites reorder sentences). Each pair is then diffed word by word
on canonical forms (difflib's Ratcliff/Obershelp matching), so a synonym swap lines up with the word it
replaced: words equal on the surface are verbatim, words equal only canonically are synonym substitutions,
and equal-length replaced runs are 1:1 swaps of any kind (a distributional spinner's "painful" for
"severe").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

from ..text._words import FUNCTION_WORDS
from .canonical import canonical_sequence

# Two sentences are candidates for one another when their content-word sets overlap this much (Dice).
# 0.3 pairs a 60%-spun sentence with its original (two-hop canonical forms rescue part of the swaps and
# names/numbers survive) while unrelated news sentences rarely share more than a fifth of their words.
MIN_SENTENCE_DICE = 0.3
# A replaced run this long or shorter on both sides is reported as a phrase substitution.
MAX_PHRASE_SWAP = 3


@dataclass(frozen=True)
class _Sentence:
    words: tuple[tuple[str, str], ...]  # (surface, canonical)
    content: frozenset[str]


def _sentence(text: str) -> _Sentence:
    words = tuple(canonical_sequence(text))
    return _Sentence(words, frozenset(c for s, c in words if s not in FUNCTION_WORDS))


class PreparedSentences(tuple):
    """A text's sentences canonicalised once, to align it with many others (`prepare_sentences`)."""


def prepare_sentences(sentences: Iterable[str]) -> PreparedSentences:
    """Canonicalise sentences once. A query is aligned with up to ten candidates and a batch document with
    all its candidate pairs in `cluster`; canonicalising at every alignment was half of clustering's time."""
    return PreparedSentences(_sentence(text) for text in sentences)


def prepared(sentences: Iterable[str] | PreparedSentences) -> PreparedSentences:
    """The sentences as `PreparedSentences`, canonicalising them only if they are not already."""
    return sentences if isinstance(sentences, PreparedSentences) else prepare_sentences(sentences)


@dataclass
class Alignment:
    similarity: float = 0.0
    coverage: float = 0.0
    verbatim_fraction: float = 0.0
    substitution_rate: float = 0.0
    # Share of the query's words in aligned sentences that are not verbatim from the original: how much of
    # what was taken was reworded (an excerpt or a copy with added furniture rewords nothing).
    rewording: float = 0.0
    substitutions: list[list[str]] = field(default_factory=list)
    aligned: list[list] = field(default_factory=list)


def align(original_sentences: Iterable[str] | PreparedSentences,
          copy_sentences: Iterable[str] | PreparedSentences) -> Alignment:
    """Align a candidate original with a query document, given both as sentence lists (or prepared)."""
    originals = prepared(original_sentences)
    copies = prepared(copy_sentences)
    pairs = _pair_sentences(originals, copies)

    original_words = sum(len(s.words) for s in originals)
    copy_words = sum(len(s.words) for s in copies)
    matched = verbatim = swapped = aligned_original_words = aligned_copy_words = 0
    substitutions: list[list[str]] = []
    aligned: list[list] = []
    for i, j in pairs:
        a, b = originals[i].words, copies[j].words
        pair_matched = 0
        aligned_original_words += len(a)
        aligned_copy_words += len(b)
        for kind, a0, a1, b0, b1 in word_runs(a, b):
            if kind == "verbatim":
                pair_matched += a1 - a0
                verbatim += a1 - a0
            elif kind in ("synonym", "swap"):
                pair_matched += a1 - a0 if kind == "synonym" else 0
                swapped += a1 - a0
                substitutions.extend([sa, sb] for (sa, _), (sb, _) in zip(a[a0:a1], b[b0:b1]))
            elif kind == "phrase":
                swapped += a1 - a0
                substitutions.append([" ".join(s for s, _ in a[a0:a1]), " ".join(s for s, _ in b[b0:b1])])
        matched += pair_matched
        # SequenceMatcher.ratio() of the pair: twice the matched words over both lengths.
        aligned.append([i, j, round(2.0 * pair_matched / (len(a) + len(b)) if a or b else 1.0, 4)])
    aligned.sort()
    return Alignment(
        similarity=2.0 * matched / (original_words + copy_words) if original_words + copy_words else 0.0,
        coverage=len(pairs) / len(originals) if originals else 0.0,
        verbatim_fraction=verbatim / copy_words if copy_words else 0.0,
        substitution_rate=swapped / aligned_original_words if aligned_original_words else 0.0,
        rewording=1.0 - verbatim / aligned_copy_words if aligned_copy_words else 1.0,
        substitutions=substitutions,
        aligned=aligned,
    )


class WordRun(NamedTuple):
    """A run of an aligned sentence pair's word diff: words `a0:a1` of the original, `b0:b1` of the copy.

    `kind`: "verbatim" (the same words), "synonym" (canonically equal, different on the surface), "swap"
    (a replaced run as long on both sides: 1:1 swaps of any kind), "phrase" (a replaced run of at most
    MAX_PHRASE_SWAP words on either side), "changed" (a longer replaced run), "deleted", "inserted".
    A named tuple: alignment makes one per run in the source index's hot path.
    """

    kind: str
    a0: int
    a1: int
    b0: int
    b1: int


def word_runs(a: Sequence[tuple[str, str]], b: Sequence[tuple[str, str]]) -> list[WordRun]:
    """The word diff of two sentences given as (surface, canonical) words (`canonical_sequence`), in order.

    Matched on canonical forms (difflib's Ratcliff/Obershelp), so a synonym swap lines up with the word it
    replaced; `align` measures from these runs and the report draws them."""
    matcher = SequenceMatcher(None, [c for _, c in a], [c for _, c in b], autojunk=False)
    runs: list[WordRun] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" and a[a0:a1] == b[b0:b1]:  # the common case, a verbatim run (compared in C)
            runs.append(WordRun("verbatim", a0, a1, b0, b1))
        elif op == "equal":
            for offset in range(a1 - a0):
                kind = "verbatim" if a[a0 + offset][0] == b[b0 + offset][0] else "synonym"
                if runs and runs[-1].kind == kind and runs[-1].a1 == a0 + offset:
                    last = runs.pop()
                    runs.append(WordRun(kind, last.a0, a0 + offset + 1, last.b0, b0 + offset + 1))
                else:
                    runs.append(WordRun(kind, a0 + offset, a0 + offset + 1, b0 + offset, b0 + offset + 1))
        elif op == "replace" and a1 - a0 == b1 - b0:
            runs.append(WordRun("swap", a0, a1, b0, b1))
        elif op == "replace":
            runs.append(WordRun("phrase" if max(a1 - a0, b1 - b0) <= MAX_PHRASE_SWAP else "changed", a0, a1, b0, b1))
        else:
            runs.append(WordRun("deleted" if op == "delete" else "inserted", a0, a1, b0, b1))
    return runs


def _pair_sentences(originals: list[_Sentence], copies: list[_Sentence]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing by content-set Dice, best pairs first; ties keep document order."""
    by_word: dict[str, list[int]] = {}
    for j, sentence in enumerate(copies):
        for word in sentence.content:
            by_word.setdefault(word, []).append(j)
    scored: list[tuple[float, int, int]] = []
    for i, sentence in enumerate(originals):
        shared: dict[int, int] = {}
        for word in sentence.content:
            for j in by_word.get(word, ()):
                shared[j] = shared.get(j, 0) + 1
        for j, count in shared.items():
            dice = 2.0 * count / (len(sentence.content) + len(copies[j].content))
            if dice >= MIN_SENTENCE_DICE:
                scored.append((-dice, i, j))
    return [(i, j) for _, i, j in greedy_one_to_one(scored)]


def greedy_one_to_one(scored: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """From (negated score, i, j) candidates, the pairs taken best first, each i and each j at most once
    (ties broken by i, then j). The sentence pairing of `align` and of `story` both."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for negated, i, j in sorted(scored):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((negated, i, j))
    return pairs
