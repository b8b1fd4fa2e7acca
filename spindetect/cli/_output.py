"""Writing verdict records: JSON Lines (the contract), CSV, or a table for people at a terminal.

Formatting is separate from scoring (as dolma separates attributes from their output): the detector
produces Verdicts, these writers only serialise them.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from ..verdict import Verdict

FORMATS = ("jsonl", "csv", "table")
CSV_COLUMNS = ("id", "input", "score", "flagged", "label", "top_reason", "model", "error_type", "error_message",
               "note")


class RecordWriter:
    def __init__(self, stream: TextIO, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {FORMATS}")
        self.stream = stream
        self.fmt = fmt
        self._csv = None
        if fmt == "csv":
            self._csv = csv.writer(stream)
            self._csv.writerow(CSV_COLUMNS)
        elif fmt == "table":
            stream.write(f"{'score':>6}  {'flag':<4}  {'label':<10}  {'id':<40}  top reason\n")

    def write(self, verdict: Verdict) -> None:
        record = _encodable(verdict.to_record())
        if self.fmt == "jsonl":
            self.stream.write(jsonl_line(record) + "\n")
        elif self.fmt == "csv":
            error = record["error"] or {}
            top = record["reasons"][0]["detail"] if record["reasons"] else ""
            self._csv.writerow([record["id"], record["input"], _blank(record["score"]), _blank(record["flagged"]),
                                _blank(record["label"]), top, record["model"], error.get("type", ""),
                                error.get("message", ""), _blank(record["note"])])
        else:
            self.stream.write(_table_row(record) + "\n")
        self.stream.flush()


# Line breaks that json.dumps(ensure_ascii=False) leaves raw inside strings, yet str.splitlines and many
# JSON Lines readers split on: one record would come out as two broken lines.
_RAW_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: dict) -> str:
    """One JSON Lines record (UTF-8 text, no newline): every line-breaking character escaped."""
    return json.dumps(record, ensure_ascii=False).translate(_RAW_LINE_BREAKS)


def _encodable(value):
    """The record with every string made encodable as UTF-8.

    Lone surrogates get into records from file names that are not valid UTF-8 (Python decodes them with
    surrogateescape) and from JSON ids such as "\udc80"; written as they are, they raise
    UnicodeEncodeError at the output stream and would end the run. They are shown backslash-escaped.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {key: _encodable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encodable(item) for item in value]
    return value


def _blank(value) -> str:
    return "" if value is None else str(value)


def _table_row(record: dict) -> str:
    if record["error"]:
        return f"{'-':>6}  {'ERR':<4}  {'-':<10}  {_clip(record['id'], 40):<40}  {record['error']['message']}"
    score = "-" if record["score"] is None else f"{record['score']:.3f}"
    flag = "yes" if record["flagged"] else "no"
    if record["reasons"]:
        reason = record["reasons"][0]
        evidence = reason["evidence"][0] if reason["evidence"] else None
        top = reason["detail"]
        if evidence:
            top += f' — "{_clip(evidence["text"], 40)}"'
            if evidence.get("replaced"):
                top += f' (for "{evidence["replaced"]}")'
    else:
        top = record["note"] or ""
    return f"{score:>6}  {flag:<4}  {_blank(record['label']) or '-':<10}  {_clip(record['id'], 40):<40}  {top}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1):]
