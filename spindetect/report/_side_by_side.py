"""The matched original beside the document, sentence by sentence, with the word diff of each pair.

A `source` record names its aligned sentences by number (`[original_index, copy_index, similarity]`):
numbers into `Document(text).sentences` of the indexed original and of the scored document. The word diff
of each pair is `align.word_runs`, the same diff the index measured the match with, so what is shaded here
is what the similarity and verbatim fraction counted.
"""

from __future__ import annotations

from ..index.align import word_runs
from ..index.canonical import canonical_sequence
from ..text._document import Document
from ..text._words import WORD_RE

# How each run kind is drawn on the original's side and on the document's side (None: not marked).
_ORIGINAL_MARK = {"verbatim": "verbatim", "synonym": "substituted", "swap": "substituted", "phrase": "substituted",
                  "changed": "changed", "deleted": "deleted"}
_COPY_MARK = {"verbatim": "verbatim", "synonym": "substituted", "swap": "substituted", "phrase": "substituted",
              "changed": "changed", "inserted": "inserted"}


def side_by_side(original_text: str, document: Document, source: dict) -> dict:
    """`{"id", "rows": [{"original", "copy", "similarity", "original_marks", "copy_marks"}]}`, in the
    document's sentence order. Sentences only the original has follow the row of the original sentence
    before them; marks are `[start, end, kind, other_side_words]` in their sentence."""
    originals = Document(id=str(source.get("id", "")), text=original_text).sentences
    copies = document.sentences
    pairs = {j: (i, similarity) for i, j, similarity in source.get("aligned", ())
             if 0 <= i < len(originals) and 0 <= j < len(copies)}
    placed_originals = {i for i, _ in pairs.values()}
    rows = []
    last_original = -1
    for j, copy in enumerate(copies):
        if j not in pairs:
            rows.append(_row("", copy, None, [], [_whole(copy, "inserted")]))
            continue
        i, similarity = pairs[j]
        rows.extend(_original_only(originals, placed_originals, last_original, i))
        last_original = max(last_original, i)
        original_marks, copy_marks = _diff_marks(originals[i], copy)
        rows.append(_row(originals[i], copy, similarity, original_marks, copy_marks))
    rows.extend(_original_only(originals, placed_originals, last_original, len(originals)))
    return {"id": source.get("id"), "rows": rows}


def _row(original: str, copy: str, similarity, original_marks: list, copy_marks: list) -> dict:
    return {"original": original, "copy": copy, "similarity": similarity, "original_marks": original_marks,
            "copy_marks": copy_marks}


def _original_only(originals: list[str], placed: set[int], after: int, before: int) -> list[dict]:
    """Rows for the original's unaligned sentences between two aligned ones (what the copy dropped)."""
    return [_row(originals[k], "", None, [_whole(originals[k], "deleted")], [])
            for k in range(after + 1, before) if k not in placed]


def _whole(sentence: str, kind: str) -> list:
    return [0, len(sentence), kind, ""]


def _diff_marks(original: str, copy: str) -> tuple[list, list]:
    a, b = canonical_sequence(original), canonical_sequence(copy)
    a_spans = [m.span() for m in WORD_RE.finditer(original)]
    b_spans = [m.span() for m in WORD_RE.finditer(copy)]
    original_marks, copy_marks = [], []
    for kind, a0, a1, b0, b1 in word_runs(a, b):
        a_words = original[a_spans[a0][0]:a_spans[a1 - 1][1]] if a1 > a0 else ""
        b_words = copy[b_spans[b0][0]:b_spans[b1 - 1][1]] if b1 > b0 else ""
        if a1 > a0 and _ORIGINAL_MARK.get(kind):
            original_marks.append([a_spans[a0][0], a_spans[a1 - 1][1], _ORIGINAL_MARK[kind], b_words])
        if b1 > b0 and _COPY_MARK.get(kind):
            copy_marks.append([b_spans[b0][0], b_spans[b1 - 1][1], _COPY_MARK[kind], a_words])
    return original_marks, copy_marks
