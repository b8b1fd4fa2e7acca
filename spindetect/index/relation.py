"""How a version of a story relates to the story's original: copy, excerpt, spin, translation or rewrite.

Read off two comparisons with the original. The word-level alignment (`align`) says how much of the
version's aligned wording is the original's verbatim and how much of the original it covers; the story
comparison (`story.compare`) says whether the version retells the original sentence by sentence, in order.

- a version that joined the original by shared wording (`cluster.related`) is a *copy* when it keeps
  nearly every aligned word and covers nearly all of the original, an *excerpt* when it keeps them but
  covers only part, a *spin* when what it changed are one-for-one word swaps, and a *translation* when
  words were also added, dropped and moved (two machine translations of one source often share most words);
- a version that joined only by story evidence is a *translation* when it retells the original sentence
  for sentence, in order, at about its length, and a *rewrite* otherwise (an LLM adds, drops, merges and
  reorders).
"""

from __future__ import annotations

from dataclasses import dataclass

from .align import Alignment
from .story import StoryComparison, story_score

RELATIONS = ("original", "copy", "excerpt", "spin", "translation", "rewrite")
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
