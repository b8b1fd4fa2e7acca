"""Source-index features for training: one model that serves with and without an index.

Every plain original of the corpus goes into a source index. For half of the documents (chosen by group,
so all versions of a story share the mode) the `source.*` columns are filled from a match against that
index, as `spindetect score --index` would; the other half keep NaN ("no index given"). An original is
queried with every indexed version of its own story left out: in use, an original's own text is not in
the index of originals it is checked against, and a page identical to an indexed original is a copy.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from spindetect.detector import prepare_document
from spindetect.errors import DocumentError
from spindetect.features.source import SourceSimilarity
from spindetect.index import SourceIndex
from spindetect.trainer import Example, hash_bucket

WITH_INDEX_SHARE = 0.5


def with_index(group: str) -> bool:
    return hash_bucket(f"source-index:{group}") < WITH_INDEX_SHARE


def fill_source_features(examples: list[Example], X: np.ndarray, names: list[str]) -> np.ndarray:
    """Copy of X with source.* columns set for the with-index half; marks ex.extra["with_index"]."""
    columns = [names.index(f"source.{short}") for short in SourceSimilarity.features]
    family = SourceSimilarity()
    originals = [ex for ex in examples if ex.label == "original" and ex.generator == "plain" and ex.item.text]
    ids_by_group: dict[str, set[str]] = defaultdict(set)
    for ex in originals:
        ids_by_group[ex.group].add(ex.id)
    X = X.copy()
    with tempfile.TemporaryDirectory() as tmp:
        index = SourceIndex.open(Path(tmp) / "index", create=True)
        index.add((ex.id, ex.item.text) for ex in originals)
        chosen = [i for i, ex in enumerate(examples) if with_index(ex.group)]
        for done, i in enumerate(chosen, start=1):
            ex = examples[i]
            ex.extra["with_index"] = True
            try:
                document = prepare_document(ex.item)
            except DocumentError:
                continue
            exclude = frozenset(ids_by_group[ex.group]) if ex.label == "original" else frozenset()
            document.source_match = index.match(document, exclude=exclude)
            values = family.extract(document).values
            X[i, columns] = [values[short] for short in SourceSimilarity.features]
            if done % 500 == 0 or done == len(chosen):
                sys.stderr.write(f"\rsource-index matches: {done}/{len(chosen)}")
        sys.stderr.write("\n")
    return X
