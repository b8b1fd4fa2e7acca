"""The report's data: one JSON-ready dict per document, built from its verdict record and what was kept.

The page's script draws everything from this data (`assets/report.js`), so nothing a document says ever
reaches the HTML parser as markup: it travels as JSON strings and is put on the page as text nodes.

Evidence is listed once per distinct (kind, span). Offsets are kept only where they really locate the
evidence's text in the document text (`text[start:end] == evidence text`); other evidence (page lines the
extractor dropped, or a record rendered without its text) is listed without a place.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..verdict import Verdict
from ._collect import ReportEntry
from ._side_by_side import side_by_side
from ._stories import Story

# Reasons drawn in a document's bar chart: the strongest by absolute contribution.
CHART_REASONS = 12
# Evidence kinds that the side-by-side view shows better than a list (the source's word swaps, its id).
_SHOWN_BY_SOURCE = frozenset({"substitution", "source_id"})
_SOURCE_MEASURES = ("similarity", "coverage", "verbatim_fraction", "substitution_rate")


def document_payload(item: ReportEntry | Verdict | dict) -> dict:
    """What the report shows of one document."""
    entry = item if isinstance(item, ReportEntry) else None
    record = _record(entry.verdict if entry else item)
    document = entry.document if entry else None
    text = document.text if document is not None else None
    evidence = _evidence(record, text)
    if entry and entry.undone:
        evidence += [[f"obfuscation:{span.kind}", text[span.start:span.end], span.description, span.start,
                      span.end] for span in entry.undone]
    furniture_kinds = {line: kind for kind, line, _, start, _ in evidence
                       if start < 0 and kind.startswith("boilerplate:")}
    payload = {
        "id": record["id"], "input": record.get("input"), "score": record.get("score"),
        "flagged": record.get("flagged"), "label": record.get("label"), "model": record.get("model"),
        "note": record.get("note"), "error": record.get("error"), "top": top_reason(record),
        "reasons": _chart(record.get("reasons") or ()), "text": text, "evidence": evidence,
        "furniture": [[line, furniture_kinds.get(line, "")] for line in document.furniture] if document else [],
        "source": None,
    }
    source = record.get("source")
    if source:
        payload["source"] = {"id": source.get("id"), **{k: source.get(k) for k in _SOURCE_MEASURES},
                             "relation": source.get("relation"), "matched_by": source.get("matched_by"),
                             "rows": None}
        if entry and entry.original_text is not None and document is not None:
            payload["source"]["rows"] = side_by_side(entry.original_text, document, source)["rows"]
    return payload


def report_data(items: Iterable[ReportEntry | Verdict | dict], *, title: str,
                stories: Iterable[Story] | None = None) -> dict:
    documents = [document_payload(item) for item in items]
    position = {doc["id"]: i for i, doc in enumerate(documents)}
    story_data = [{"key": story.key, "members": [{**member, "doc": position.get(member["id"])}
                                                 for member in story.members]}
                  for story in stories or ()]
    models = sorted({doc["model"] for doc in documents if doc["model"]})
    return {"title": title, "models": models, "documents": documents, "stories": story_data,
            "clustered": stories is not None}


def top_reason(record: dict) -> str:
    """The strongest reason in one line, with its first piece of evidence (as the CLI's table shows it)."""
    if record.get("error"):
        return record["error"].get("message", "")
    reasons = record.get("reasons") or []
    if not reasons:
        return record.get("note") or ""
    reason = reasons[0]
    top = reason.get("detail", reason.get("feature", ""))
    evidence = (reason.get("evidence") or [None])[0]
    if evidence:
        top += f' — "{evidence.get("text", "")}"'
        if evidence.get("replaced"):
            top += f' (for "{evidence["replaced"]}")'
    return top


def _record(verdict: Verdict | dict) -> dict:
    return verdict.to_record() if isinstance(verdict, Verdict) else dict(verdict)


def _chart(reasons: Iterable[dict]) -> list[list]:
    strongest = sorted(reasons, key=lambda r: -abs(r.get("contribution") or 0.0))[:CHART_REASONS]
    return [[r.get("feature", ""), r.get("contribution") or 0.0, r.get("detail", "")]
            for r in sorted(strongest, key=lambda r: -(r.get("contribution") or 0.0))]


def _evidence(record: dict, text: str | None) -> list[list]:
    """Distinct evidence as `[kind, text, replaced, start, end]`; start and end -1 when it has no place."""
    seen: set[tuple] = set()
    out = []
    for reason in record.get("reasons") or ():
        for item in reason.get("evidence") or ():
            kind = item.get("kind", "")
            if kind in _SHOWN_BY_SOURCE:
                continue
            span_text = str(item.get("text", ""))
            start, end = item.get("start", -1), item.get("end", -1)
            if not (text is not None and isinstance(start, int) and isinstance(end, int)
                    and 0 <= start <= end <= len(text) and text[start:end] == span_text):
                start = end = -1
            key = (kind, span_text, start)
            if key not in seen:
                seen.add(key)
                out.append([kind, span_text, str(item.get("replaced") or ""), start, end])
    return sorted(out, key=lambda e: (e[3] < 0, e[3], e[0]))
