"""Sentences paired by meaning, across languages and wordings (the multilingual encoder's view).

`align`'s word alignment and `story`'s names and numbers compare English words; a translation shares none
with its source. Here both documents' sentences are embedded by `spindetect.encoder`, and a sentence pairs
with the one it is most similar to *both ways* (mutual nearest neighbours) when their cosine clears
MIN_PAIR_COSINE and beats each one's next best by PAIR_MARGIN: the margin criterion of bitext mining
(Artetxe and Schwenk, "Margin-based parallel corpus mining with multilingual sentence embeddings", ACL 2019),
needed because e5's cosines are high for any two news sentences on one topic. A translation splits and
merges sentences (a long Chinese sentence becomes two English ones, each close to it), so across languages
"both ways" and "next best" look past a sentence's neighbours: the two halves of a split are not each
other's rivals, as in the 1-2 and 2-1 beads of sentence aligners (Gale and Church 1993; Thompson and
Koehn, "Vecalign", 2019). Within one language they stay rivals (`align_meaning`'s `splits`).

    pairs = align_meaning(sentence_vectors(original_sentences), sentence_vectors(query_sentences))
    pairs.coverage_query, pairs.in_order, pairs.pairs   # (original sentence, query sentence, cosine)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Sentence ends of the languages the encoder reads: Latin, Cyrillic, Greek and Arabic punctuation followed
# by a space, and the CJK full stops, which need none (`Document.sentences` splits English only, and keeps
# a Chinese article as one sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?;\u061f\u06d4])[\"'\u201d\u2019\u00bb)\]]*\s+|(?<=[\u3002\uff01\uff1f\uff1b])"
                           r"[\u201d\u300d\u300f\uff09]*|\n\s*\n")
# Sentences shorter than this are not paired: "Photo: AFP", a dateline, a lone number. Counted in
# characters, a wide (CJK) character as two: one carries about a word, not a letter.
MIN_SENTENCE_CHARS = 12
# Sentences read per document: bounds the cost (each sentence is one encoder input) on long pages.
MAX_SENTENCES = 60
# A pair's cosine must reach this, and beat both sentences' next-best cosine (away from their neighbours)
# by PAIR_MARGIN. Set on a few WMT22 train-split documents by eye, then swept with the index's decision
# (`python -m benchmarks.index_meaning --fit`, at the shipped coverage rule): on the train split (cs, de, ru)
# 0.80 to 0.86 all trace 1.000; on WMT21/23 (`--split dev`, Chinese included) 0.80 and 0.82 trace 0.909,
# 0.84 0.903, 0.86 0.868 (2026-12-08, neighbours not rivals; with every other sentence a rival, as before,
# 0.888 / 0.888 / 0.876 / 0.841 on the same index).
MIN_PAIR_COSINE = 0.84
PAIR_MARGIN = 0.02


def meaning_sentences(text: str) -> list[str]:
    """A text's sentences in any script, at most MAX_SENTENCES of at least MIN_SENTENCE_CHARS characters."""
    return sentence_pieces([text])[0]


def sentence_pieces(sentences: Sequence[str]) -> tuple[list[str], list[int]]:
    """`sentences` (a `Document`'s, split at English sentence ends) split again at the sentence ends of
    every script, as (pieces, the number of the sentence each piece came from): pairs found between
    pieces are reported by the document's own sentence numbers, which the report's side-by-side view reads."""
    pieces: list[str] = []
    parents: list[int] = []
    for number, sentence in enumerate(sentences):
        for part in _SENTENCE_END.split(sentence):
            piece = " ".join(part.split())
            if _width(piece) >= MIN_SENTENCE_CHARS:
                pieces.append(piece)
                parents.append(number)
                if len(pieces) == MAX_SENTENCES:
                    return pieces, parents
    return pieces, parents


def _width(text: str) -> int:
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def sentence_vectors(sentences: Sequence[str]) -> np.ndarray:
    """The encoder's vectors of these sentences (raises `EncoderUnavailable` where it cannot run)."""
    from ..encoder import encoder

    return encoder().sentences(sentences)


@dataclass(frozen=True)
class MeaningAlignment:
    pairs: tuple[tuple[int, int, float], ...]  # (original sentence, query sentence, cosine), in query order
    original_sentences: int
    query_sentences: int

    @property
    def coverage_query(self) -> float:
        """Share of the query's sentences paired with one of the original's."""
        return len({j for _, j, _ in self.pairs}) / self.query_sentences if self.query_sentences else 0.0

    @property
    def coverage_original(self) -> float:
        """Share of the original's sentences paired (one sentence split in two in the query counts once)."""
        paired = {i for i, _, _ in self.pairs}
        return len(paired) / self.original_sentences if self.original_sentences else 0.0

    @property
    def coverage_shorter(self) -> float:
        """The share of the side with fewer sentences that pairs: a translation merges and splits sentences
        (a long Chinese sentence is two or three English ones), so the longer side's share understates it."""
        if self.original_sentences < self.query_sentences:
            return self.coverage_original
        return self.coverage_query

    @property
    def in_order(self) -> float:
        """Share of consecutive pairs (in the query's order) that do not go back in the original: a
        translation keeps its source's order (the two halves of a split sentence pair with the same one),
        two stories on one topic pair sentences at random."""
        if len(self.pairs) < 2:
            return 0.0
        forward = sum(b[0] >= a[0] for a, b in zip(self.pairs, self.pairs[1:]))
        return forward / (len(self.pairs) - 1)

    def by_sentence(self, original_parents: Sequence[int], query_parents: Sequence[int]) -> list[list]:
        """The pairs as [original sentence, query sentence, cosine] in the documents' own sentence numbers
        (`sentence_pieces`' parents), one per query sentence (its best pair)."""
        best: dict[int, tuple[int, float]] = {}
        for i, j, cosine in self.pairs:
            sentence = query_parents[j]
            if sentence not in best or cosine > best[sentence][1]:
                best[sentence] = (original_parents[i], cosine)
        return [[i, j, cosine] for j, (i, cosine) in sorted(best.items())]

    @property
    def similarity(self) -> float:
        """Mean cosine of the pairs (0 without any)."""
        return float(np.mean([c for _, _, c in self.pairs])) if self.pairs else 0.0


def align_meaning(original: np.ndarray, query: np.ndarray, min_cosine: float = MIN_PAIR_COSINE,
                  margin: float = PAIR_MARGIN, splits: bool = True) -> MeaningAlignment:
    """Pair the sentences of two documents, given as their sentence vectors (rows, L2-normalised). The
    thresholds are the module's; `benchmarks/index_meaning.py` passes others to fit them. `splits`: whether
    a sentence's neighbours are spared as its rivals (a translation splits sentences). Callers pass False
    for two documents in one language, where same-topic stories share formulaic sentences: sparing
    neighbours there gave LLM rewrites of unindexed originals a false source 2-3 times as often (LLMFake's
    tuning side, `python -m benchmarks.index_meaning --split train --rewrites`)."""
    if len(original) == 0 or len(query) == 0:
        return MeaningAlignment((), len(original), len(query))
    cosine = query @ original.T  # (query sentences, original sentences)
    best_original = cosine.argmax(axis=1)
    best_query = cosine.argmax(axis=0)
    reach = 1 if splits else 0  # how far from a sentence its neighbours are spared
    pairs = []
    for j, i in enumerate(best_original):
        value = float(cosine[j, i])
        # Mutual up to a neighbour: the original sentence's best may be the other half of a split.
        if abs(int(best_query[i]) - j) > reach or value < min_cosine:
            continue
        if value - max(_runner_up(cosine[j], i, reach), _runner_up(cosine[:, i], j, reach)) < margin:
            continue
        pairs.append((int(i), j, round(value, 4)))
    return MeaningAlignment(tuple(pairs), len(original), len(query))


def _runner_up(values: np.ndarray, best: int, reach: int) -> float:
    """The largest value more than `reach` places from `best`; -1 when there is none. A sentence split in
    two is close to both halves, which are beside each other, and neither half is a rival of the other."""
    rivals = np.ones(len(values), dtype=bool)
    rivals[max(0, best - reach):best + reach + 1] = False
    return float(values[rivals].max()) if rivals.any() else -1.0
