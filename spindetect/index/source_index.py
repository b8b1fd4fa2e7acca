"""`SourceIndex`: find the indexed original a document was copied, spun or rewritten from.

    index = SourceIndex.open("originals/", create=True)
    index.add([("story-1", text1), ("story-2", text2)])
    match = index.match(document)          # SourceMatch | None
    match.to_record()                      # {"id", "similarity", "coverage", ...}

Candidates come from MinHash LSH over spin-proof shingles (`sketch`), are ranked by estimated Jaccard,
and the best few are verified by sentence alignment (`align`). Safe to share across threads: every thread
gets its own SQLite connection, and nothing per call is stored on the object.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice

from ..document import Document
from ..normalize import normalize
from .align import align
from .sketch import Sketch
from .store import Store

# Documents per transaction in `add`: large enough to amortise the commit, small enough that a crash
# loses little.
ADD_BATCH = 256
# Candidates (ranked by estimated Jaccard of either view) that are verified by alignment.
VERIFY_CANDIDATES = 4
# A verified candidate is reported as the source only when the alignment found this much of it.
# Unrelated news stories reach similarity ~0.05 through a stray shared sentence (measured on BBC
# distractors in benchmarks/index_bench.py); a 60%-spun copy stays above 0.3.
MIN_SIMILARITY = 0.15
MIN_COVERAGE = 0.2


@dataclass
class SourceMatch:
    """The closest indexed original and how the query relates to it (see `align.align`)."""

    id: str
    similarity: float
    coverage: float
    verbatim_fraction: float
    substitution_rate: float
    substitutions: list[list[str]]
    aligned: list[list]

    def to_record(self) -> dict:
        return asdict(self)


class SourceIndex:
    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def open(cls, path: str | os.PathLike, create: bool = False) -> SourceIndex:
        """Open the index in directory `path`; `create=True` makes an empty one when there is none.
        Raises SourceIndexError when there is no index (and create is False) or it is incompatible."""
        return cls(Store(path, create=create))

    @property
    def path(self):
        return self._store.path

    def close(self) -> None:
        """Close the calling thread's connection (others close when their threads end)."""
        self._store.close()

    def add(self, documents: Iterable[tuple[str, str]]) -> int:
        """Index (id, text) pairs; re-adding an id replaces it. Returns the number of documents written."""
        written = 0
        rows = self._prepared(documents)
        while batch := list(islice(rows, ADD_BATCH)):
            written += self._store.write_batch(batch)
        return written

    def _prepared(self, documents: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str, Sketch, int]]:
        for doc_id, text in documents:
            clean = normalize(text).text
            words = len(Document(id=str(doc_id), text=clean).words)
            yield str(doc_id), clean, Sketch.of_text(clean, self._store.backend), words

    def info(self) -> dict:
        return self._store.info()

    def match(self, document: Document, exclude: frozenset[str] = frozenset()) -> SourceMatch | None:
        """The indexed original `document` most likely derives from, or None when nothing aligns.

        `exclude` names indexed ids never to return (training queries an original with itself left out).
        """
        query = Sketch.of_text(document.text, self._store.backend)
        candidates = [c for c in self._store.candidates(query) if c[1] not in exclude]
        if not candidates:
            return None
        ranked = sorted(candidates, key=lambda c: -float(query.jaccard(c[2]).max()))[:VERIFY_CANDIDATES]
        best: SourceMatch | None = None
        for row, doc_id, _ in ranked:
            original = Document(id=doc_id, text=self._store.text(row))
            result = align(original.sentences, document.sentences)
            if result.similarity < MIN_SIMILARITY or result.coverage < MIN_COVERAGE:
                continue
            if best is None or result.similarity > best.similarity:
                best = SourceMatch(doc_id, round(result.similarity, 4), round(result.coverage, 4),
                                   round(result.verbatim_fraction, 4), round(result.substitution_rate, 4),
                                   result.substitutions, result.aligned)
        return best
