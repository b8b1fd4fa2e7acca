"""How a version of a story relates to the story's original: copy, excerpt, spin, translation or rewrite.

Read off two comparisons with the original. The word-level alignment (`align`) says how much of the
version's aligned wording is the original's verbatim and how much of the original it covers; the story
comparison (`story.compare`) says whether the version retells the original sentence by sentence, in order.

Whether a version shares the original's wording at all is `shares_wording`: the rule `cluster` joins
versions by, and the one `SourceIndex` reads a match's relation with.

- a version that shares the original's wording is a *copy* when it keeps nearly every aligned word and
  covers nearly all of the original, an *excerpt* when it keeps them but covers only part, a *spin* when
  what it changed are one-for-one word swaps, and a *translation* when words were also added, dropped and
  moved (two machine translations of one source often share most words);
- a version that does not (joined by story evidence, or matched by the index's verifier through rare
  terms) is a *translation* when it retells the original sentence for sentence, in order, at about its
  length, and a *rewrite* otherwise (an LLM adds, drops, merges and reorders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..text._document import Document
from ..text._lines import is_prose_line
from .align import Alignment, PreparedSentences, align, prepared
from .story import StoryComparison, story_score

RELATIONS = ("original", "copy", "excerpt", "spin", "translation", "rewrite")
# Two versions share their wording when either, aligned onto the other, reaches all three: similarity,
# coverage, and the share of the aligned words kept verbatim (`1 - Alignment.rewording`). Similarity and
# coverage alone joined same-topic stories, and union-find then merged whole stories: on a batch of 2,360
# `train`-split BBC documents (`benchmarks/cluster_bench.py --train-split --stories 300 --singletons 560
# --seed 1`), B-cubed precision was 0.827. Copies, excerpts and spins keep most of the words they share
# with their source; sentences that two same-topic stories pair up rarely do. With 0.6 verbatim required,
# precision is 0.983 at the same recall (0.994); 0.5 gave 0.978, and 0.7 split off a 60% spin. An LLM
# rewrite keeps fewer words verbatim and will usually stand as a story of its own.
MIN_SIMILARITY = 0.15
MIN_COVERAGE = 0.2
MIN_VERBATIM = 0.6
# An excerpt (a farm's lede with "read more at the source") is too small a part of its source for the
# similarity above. It joins when nearly all of it lies in the other document verbatim, and it is long
# enough for that to mean something.
MIN_EXCERPT_COVERAGE = 0.8
MIN_EXCERPT_VERBATIM = 0.9
MIN_EXCERPT_WORDS = 20
# A copy or an excerpt keeps this share of its aligned words verbatim (a `handbook` spin at 30% keeps up to 0.97).
MIN_COPY_VERBATIM = 0.99
# ... and a copy covers this share of the original's sentences (an excerpt of 60% of the paragraphs, less).
MIN_COPY_COVERAGE = 0.85
# A spinner swaps words one for one; two translations of one source also differ by words added, dropped
# and moved. A version sharing the original's wording is a spin when this share of its reworded words are
# one-for-one swaps (`Alignment.substitution_rate` over `rewording`), or when it keeps this much verbatim
# (tuning side of `benchmarks.story_bench`: spins 0.64-1.0, median 0.87-1.0; machine and human translations
# joined by wording 0.31-0.76, median 0.5-0.56, keeping at most 0.91 verbatim).
MIN_SPIN_SWAP_SHARE = 0.75
MIN_SPIN_VERBATIM = 0.93
# A translation pairs this share of the sentences of both sides, in order.
MIN_TRANSLATION_COVERAGE = 0.7
MIN_TRANSLATION_ORDER = 0.8


@dataclass(frozen=True)
class Relation:
    kind: str
    similarity: float  # alignment similarity for shared wording, the story score otherwise
    rewording: float  # share of the aligned words not verbatim from the original (1.0 across wordings)


def shares_wording(a: Sequence[str] | PreparedSentences, b: Sequence[str] | PreparedSentences,
                   a_onto_b: Alignment | None = None) -> bool:
    """Whether two documents, given as their sentences, share their wording: either aligns onto enough of
    the other, or one is an excerpt of the other. `a_onto_b`, `align(a, b)` when the caller has it already,
    saves one of the two alignments."""
    a, b = prepared(a), prepared(b)
    return (_keeps_wording(a_onto_b if a_onto_b is not None else align(a, b), a)
            or _keeps_wording(align(b, a), b))


def _keeps_wording(result: Alignment, original: PreparedSentences) -> bool:
    """Whether a version, aligned onto `original` as `result`, keeps enough of its wording."""
    kept = 1.0 - result.rewording
    if result.similarity >= MIN_SIMILARITY and result.coverage >= MIN_COVERAGE and kept >= MIN_VERBATIM:
        return True
    return (result.coverage >= MIN_EXCERPT_COVERAGE and kept >= MIN_EXCERPT_VERBATIM
            and sum(len(sentence.words) for sentence in original) >= MIN_EXCERPT_WORDS)


def article_body(page: Document) -> Document:
    """What versions are compared by: the page's prose lines as a document of their own (the page itself
    when it has no prose line)."""
    prose = [line for line in page.lines if is_prose_line(line)]
    return Document(id=page.id, text="\n\n".join(prose)) if prose else page


def relation_to(alignment: Alignment, shares_wording: bool, comparison: StoryComparison) -> Relation:
    """The relation of a version to its story's original, from their alignment and story comparison."""
    if shares_wording:
        kept = 1.0 - alignment.rewording
        swap_share = alignment.substitution_rate / alignment.rewording if alignment.rewording else 1.0
        if kept >= MIN_COPY_VERBATIM:
            kind = "copy" if alignment.coverage >= MIN_COPY_COVERAGE else "excerpt"
        elif swap_share >= MIN_SPIN_SWAP_SHARE or kept >= MIN_SPIN_VERBATIM:
            kind = "spin"
        else:
            kind = "translation"
        return Relation(kind, alignment.similarity, alignment.rewording)
    translation = (min(comparison.coverage_short, comparison.coverage_long) >= MIN_TRANSLATION_COVERAGE
                   and comparison.in_order >= MIN_TRANSLATION_ORDER)
    return Relation("translation" if translation else "rewrite", story_score(comparison), alignment.rewording)
