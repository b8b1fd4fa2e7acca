"""One record, one parser: a JSON Lines object or a library argument becomes one `InputItem`.

Files, standard input and the library (`Detector.score`, `score_many`, the integrations) all read a record
`{"id"?, "text"}` or `{"id"?, "html"}` here, so they agree on every edge case:

- `id` is used when it is a string or an integer (not a bool); otherwise (absent, null, a float, a list)
  the record is named by where it came from: `path:line` in a file, `doc-N` in the library.
- `text` wins over `html`; a field that is null counts as absent.
- a field that is not a string, or is empty, is an error record; NUL characters are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import DocumentError

__all__ = ["InputItem", "as_input_item", "item_from_record", "looks_like_html", "record_id"]


@dataclass
class InputItem:
    """One document as read: `text` or `html` set, or `error` set."""

    id: str
    input: str
    text: str | None = None
    html: str | None = None
    error: DocumentError | None = None
    truncated: bool = False


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or (
        head.startswith("<") and ("<p" in head or "<div" in head or "<article" in head))


def record_id(record: dict, default: str) -> str:
    """The record's own id if it has a usable one (a string or an integer), else `default`."""
    raw_id = record.get("id")
    return str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else default


def item_from_record(record: object, where: str, *, named_by_id: bool = False) -> InputItem:
    """The item for one parsed record. `where` locates it (`path:line`) and is its id when it has none.

    A record read from a file keeps its location as `input` and in its messages. A library record has no
    location of its own (`named_by_id`): its id stands for it there, as the library has always reported.
    """
    if not isinstance(record, dict):
        return InputItem(where, where, error=DocumentError(
            "invalid_record", f"{where}: expected a JSON object, got {type(record).__name__}"))
    doc_id = record_id(record, where)
    name = doc_id if named_by_id else where
    if "text" in record and record["text"] is not None:
        field, is_html = "text", False
    elif "html" in record and record["html"] is not None:
        field, is_html = "html", True
    else:
        return InputItem(doc_id, name, error=DocumentError("missing_text", f"{name}: no \"text\" or \"html\" field"))
    value = record[field]
    if not isinstance(value, str):
        return InputItem(doc_id, name, error=DocumentError(
            "invalid_text", f"{name}: \"{field}\" must be a string, got {type(value).__name__}"))
    if not value.strip():
        return InputItem(doc_id, name, error=DocumentError("empty", f"{name}: \"{field}\" is empty"))
    if "\x00" in value:
        value = value.replace("\x00", "")
    return InputItem(doc_id, name, html=value) if is_html else InputItem(doc_id, name, text=value)


def as_input_item(document: str | dict | InputItem, default_id: str) -> InputItem:
    """A library argument (a text or HTML string, a record dict, or an InputItem) as an InputItem."""
    if isinstance(document, InputItem):
        return document
    if isinstance(document, str):
        if not document.strip():
            return InputItem(default_id, default_id, error=DocumentError("empty", f"{default_id}: empty document"))
        if looks_like_html(document):
            return InputItem(default_id, default_id, html=document)
        return InputItem(default_id, default_id, text=document)
    if isinstance(document, dict):
        return item_from_record(document, default_id, named_by_id=True)
    return InputItem(default_id, default_id, error=DocumentError(
        "invalid_record", f"{default_id}: expected str or dict, got {type(document).__name__}"))
