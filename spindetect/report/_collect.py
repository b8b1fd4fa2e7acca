"""Scoring a batch for a report: each verdict together with the text its evidence offsets index.

A verdict record locates evidence by character offsets into `Document.text`: the extracted main text of an
HTML page, after normalisation (NFKC, invisible characters removed, look-alike letters mapped). The record
does not carry that text, and re-deriving it from the input is easy to get subtly wrong, so the report
scores documents itself (`Detector.score_with_documents`) and keeps the prepared Document of each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..detector import Detector
from ..errors import DocumentError
from ..io._records import InputItem, as_input_item
from ..pipeline import extract
from ..text._document import Document
from ..text._undone import UndoneSpan, undone_spans
from ..verdict import Verdict


@dataclass
class ReportEntry:
    """One document of a report: its verdict, and what the document view draws.

    `document` is what the verdict was scored on (None when the input could not be read or prepared);
    `undone` the obfuscation normalisation removed, placed in `document.text` (None when it could not be
    placed exactly); `original_text` the matched indexed original's text (with a source index)."""

    verdict: Verdict
    document: Document | None = None
    undone: list[UndoneSpan] | None = None
    original_text: str | None = None


def collect(documents: Iterable[str | dict | InputItem], detector: Detector | None = None, *,
            explain: bool = True) -> list[ReportEntry]:
    """Score `documents` (texts, `{"id"?, "text"|"html"}` records or InputItems) for a report.

    `explain=True` keeps every feature's reason, so the document view marks all the evidence, not only
    that of the top reasons. With the detector's source index, each entry holds its matched original."""
    detector = detector or Detector.load()
    items = [as_input_item(doc, f"doc-{i}") for i, doc in enumerate(documents)]
    entries = []
    for item, (verdict, document) in zip(items, detector.score_with_documents(items, explain=explain)):
        entry = ReportEntry(verdict, document)
        if document is not None and document.normalization.total:
            entry.undone = _undone_in(item, detector.max_chars)
        if verdict.source and detector.source_index is not None:
            entry.original_text = detector.source_index.original_text(verdict.source["id"])
        entries.append(entry)
    return entries


def _undone_in(item: InputItem, max_chars: int) -> list[UndoneSpan] | None:
    """Where normalisation changed the document. Only asked for documents it did change (rare), so
    extracting the raw text a second time costs little."""
    try:
        return undone_spans(extract(item, max_chars).text)
    except DocumentError:
        return None
