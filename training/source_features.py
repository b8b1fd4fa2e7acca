"""Source-index features for training: one model that serves with and without an index.

Every plain original of the corpus goes into a source index. For half of the documents (chosen by group,
so all versions of a story share the mode) the `source.*` columns are filled from a match against that
index, as `spindetect score --index` would; the other half keep NaN ("no index given"). An original is
queried with every indexed version of its own story left out: in use, an original's own text is not in
the index of originals it is checked against, and a page identical to an indexed original is a copy.

"Its own story" includes duplicates the corpora file under other ids: BBC 2004-05 holds the same article
twice and updated versions of a story, and LLMFake repeats items across its sources. Measured on the
held-out build before this was done: 65 of 2,041 with-index originals matched another group's document at
over 80% verbatim, and they taught the model that a near-verbatim match can be an original (26% of
held-out-spinner spins with coverage 1.0 went unflagged). Groups whose plain originals match each other at
similarity >= DUPLICATE_SIMILARITY are merged into one story before originals are queried.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from spindetect.pipeline import prepare_document
from spindetect.errors import DocumentError
from spindetect.features.source import SourceSimilarity
from spindetect.index import SourceIndex
from spindetect.learn import Example, hash_bucket

WITH_INDEX_SHARE = 0.5
# Alignment similarity at which two plain originals are versions of one story (the measured distribution
# between different groups is bimodal: most below 0.3, a cluster above 0.9, a thin band between).
DUPLICATE_SIMILARITY = 0.5


def with_index(group: str) -> bool:
    return hash_bucket(f"source-index:{group}") < WITH_INDEX_SHARE


def fill_source_features(examples: list[Example], X: np.ndarray, names: list[str]) -> np.ndarray:
    """Copy of X with source.* columns set for the with-index half; marks ex.extra["with_index"]."""
    columns = [names.index(f"source.{short}") for short in SourceSimilarity.features]
    family = SourceSimilarity()
    originals = [ex for ex in examples if ex.label == "original" and ex.generator == "plain" and ex.item.text]
    X = X.copy()
    with tempfile.TemporaryDirectory() as tmp:
        index = SourceIndex.open(Path(tmp) / "index", create=True)
        index.add((ex.id, ex.item.text) for ex in originals)
        ids_by_group = story_ids_by_group(originals, index)
        chosen = [i for i, ex in enumerate(examples) if with_index(ex.group)]
        for done, i in enumerate(chosen, start=1):
            ex = examples[i]
            ex.extra["with_index"] = True
            try:
                document = prepare_document(ex.item)
            except DocumentError:
                continue
            exclude = ids_by_group.get(ex.group, frozenset()) if ex.label == "original" else frozenset()
            document.source_match = index.match(document, exclude=exclude)
            values = family.extract(document).values
            X[i, columns] = [values[short] for short in SourceSimilarity.features]
            if done % 500 == 0 or done == len(chosen):
                sys.stderr.write(f"\rsource-index matches: {done}/{len(chosen)}")
        sys.stderr.write("\n")
    return X


def story_ids_by_group(originals: list[Example], index: SourceIndex) -> dict[str, frozenset[str]]:
    """For each group, the indexed ids of every version of its story: its own plain originals plus those of
    any group whose originals match them at DUPLICATE_SIMILARITY or more (merged transitively)."""
    parent: dict[str, str] = {ex.group: ex.group for ex in originals}

    def root(group: str) -> str:
        while parent[group] != group:
            parent[group] = parent[parent[group]]
            group = parent[group]
        return group

    group_of = {ex.id: ex.group for ex in originals}
    own_ids: dict[str, set[str]] = defaultdict(set)
    for ex in originals:
        own_ids[ex.group].add(ex.id)
    for ex in originals:
        try:
            document = prepare_document(ex.item)
        except DocumentError:
            continue
        match = index.match(document, exclude=frozenset(own_ids[ex.group]))
        # Wording matches only, as before story matches existed: two originals that tell one story in other
        # words are two originals (the with-index features do not see story matches either).
        if match is not None and match.matched_by == "wording" and match.similarity >= DUPLICATE_SIMILARITY:
            parent[root(group_of[match.id])] = root(ex.group)
    story_ids: dict[str, set[str]] = defaultdict(set)
    for group, ids in own_ids.items():
        story_ids[root(group)] |= ids
    return {group: frozenset(story_ids[root(group)]) for group in own_ids}
