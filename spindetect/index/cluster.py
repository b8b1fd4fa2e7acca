"""Group a batch into stories without an index, and name each story's likely original.

Pairs are found with the same MinHash bands as `SourceIndex` (in memory), verified with the same sentence
alignment, and joined transitively (union-find). Within a story the original is the member with the most
plausible wording: the highest share of content-word pairs known to reference English (spinners break
collocations, so a spun copy scores lower than its source; see `features.plausibility`), then the longest
(copies trim), then the earliest in the batch. The others are `derived` from it, listed by similarity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..document import Document
from ..features.plausibility import Plausibility
from .align import align
from .sketch import Sketch, default_backend
from .source_index import MIN_COVERAGE, MIN_SIMILARITY

MAX_BUCKET = 200


@dataclass(frozen=True)
class ClusterAssignment:
    id: str
    cluster: int  # numbered by first appearance in the batch, from 0
    role: str  # "original" | "derived"
    derived_from: str | None  # the cluster's original, for derived documents
    similarity: float | None = None  # alignment similarity to the original, for derived documents

    def to_record(self) -> dict:
        return {"id": self.id, "cluster": self.cluster, "role": self.role, "derived_from": self.derived_from}


def cluster(documents: Sequence[Document]) -> list[ClusterAssignment]:
    """One assignment per document, in input order."""
    documents = list(documents)
    backend = default_backend()
    sketches = [Sketch.of_text(doc.text, backend) for doc in documents]
    parent = list(range(len(documents)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(sketches):
        if root(i) == root(j):
            continue
        if _related(documents[i], documents[j]):
            parent[max(root(i), root(j))] = min(root(i), root(j))

    members: dict[int, list[int]] = {}
    for i in range(len(documents)):
        members.setdefault(root(i), []).append(i)
    assignments: dict[int, ClusterAssignment] = {}
    for number, group in enumerate(sorted(members.values(), key=min)):
        original = min(group, key=lambda i: _original_rank(documents[i], i))
        assignments[original] = ClusterAssignment(documents[original].id, number, "original", None)
        for i in group:
            if i != original:
                result = align(documents[original].sentences, documents[i].sentences)
                assignments[i] = ClusterAssignment(documents[i].id, number, "derived", documents[original].id,
                                                   round(result.similarity, 4))
    return [assignments[i] for i in range(len(documents))]


def _candidate_pairs(sketches: list[Sketch]) -> list[tuple[int, int]]:
    buckets: dict[int, list[int]] = {}
    for i, sketch in enumerate(sketches):
        for key in sketch.band_keys():
            buckets.setdefault(key, []).append(i)
    # A band shared by very many documents is boilerplate-like and says nothing about any one pair;
    # skipping it keeps the pair count linear in the batch.
    pairs = {(a, b) for bucket in buckets.values() if len(bucket) <= MAX_BUCKET
             for n, a in enumerate(bucket) for b in bucket[n + 1:]}
    # Most similar first, so union-find joins clear pairs before it spends alignments on marginal ones.
    return sorted(pairs, key=lambda p: -float(sketches[p[0]].jaccard(sketches[p[1]]).max()))


def _related(a: Document, b: Document) -> bool:
    """Whether two documents tell one story: either aligns onto enough of the other."""
    for original, copy in ((a, b), (b, a)):
        result = align(original.sentences, copy.sentences)
        if result.similarity >= MIN_SIMILARITY and result.coverage >= MIN_COVERAGE:
            return True
    return False


def _original_rank(doc: Document, position: int) -> tuple[float, int, int]:
    """Sort key: the likely original sorts first (see the module docstring)."""
    share = Plausibility().extract(doc).values.get("known_content_pair_share")
    plausibility = float(share) if isinstance(share, float) and not math.isnan(share) else 0.0
    return (-round(plausibility, 2), -len(doc.words), position)
