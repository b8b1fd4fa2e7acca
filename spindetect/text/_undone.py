"""Where normalisation changed a text: the obfuscation it undid, as spans of the normalised text.

`normalize` only counts what it undid (the `obfuscation.*` features need no more). A reviewer wants to see
it in place: the zero-width space inside "ele\u200bction", the Cyrillic "а" in "pаyment". This module
walks the raw text the way `normalize` does, keeping track of where each change lands in the output, so
the spans index the same `Document.text` that every evidence offset indexes.

NFKC is applied chunk by chunk (a chunk is a starter character and the combining marks after it), which
equals NFKC of the whole text for all but exotic inputs (Hangul jamo sequences, say). The walk checks that
its output is exactly `normalize(raw).text` and returns None when it is not, rather than spans that would
point at the wrong characters.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from ._normalize import _changed_by_nfkc, _map_homoglyphs, _mostly_latin, normalize, removal_kind


@dataclass(frozen=True)
class UndoneSpan:
    """One change normalisation made, at `start:end` of the normalised text.

    A removed character has `start == end` (the place it stood). `kind` is "homoglyph", "compatibility"
    (an NFKC change: full-width letters, ligatures) or the `removal_kind` ("format", "bidi_control",
    "soft_hyphen", "control"); `original` is the raw text the span stands for.
    """

    start: int
    end: int
    kind: str
    original: str

    @property
    def description(self) -> str:
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in self.original[:4])
        return f"{self.kind}: {names}" + (" …" if len(self.original) > 4 else "")


def undone_spans(raw: str) -> list[UndoneSpan] | None:
    """The changes `normalize(raw)` makes, in text order; None when they cannot be placed exactly."""
    expected = normalize(raw).text
    kept, spans = _nfkc_and_removals(raw)
    mapped, _ = _map_homoglyphs(kept, map_whole_words=_mostly_latin(Counter(unicodedata.normalize("NFKC", raw))))
    spans += [UndoneSpan(i, i + 1, "homoglyph", kept[i]) for i in range(len(kept)) if kept[i] != mapped[i]]
    text, spans = _fold_line_ends(mapped, spans)
    if text != expected:
        return None
    return sorted(spans, key=lambda span: (span.start, span.end))


def _nfkc_and_removals(raw: str) -> tuple[str, list[UndoneSpan]]:
    """NFKC chunk by chunk, then the removals; spans index the kept text."""
    out: list[str] = []
    length = 0
    spans: list[UndoneSpan] = []
    for chunk in _chunks(raw):
        composed = unicodedata.normalize("NFKC", chunk)
        start = length
        for ch in composed:
            kind = removal_kind(ch)
            if kind is None:
                out.append(ch)
                length += 1
            else:
                spans.append(UndoneSpan(length, length, kind, ch))
        # Only what `normalize` counts as a compatibility form: composing "e" and a combining accent into
        # "é" is canonical, not a disguise.
        if length > start and any(_changed_by_nfkc(ch) for ch in chunk):
            spans.append(UndoneSpan(start, length, "compatibility", chunk))
    return "".join(out), spans


def _chunks(raw: str):
    """A starter and the combining marks after it, chunk by chunk."""
    begin = 0
    for i in range(1, len(raw)):
        if not unicodedata.combining(raw[i]):
            yield raw[begin:i]
            begin = i
    if raw:
        yield raw[begin:]


def _fold_line_ends(text: str, spans: list[UndoneSpan]) -> tuple[str, list[UndoneSpan]]:
    """CRLF to LF and lone CR to LF, as `normalize` does last, moving the spans with the text."""
    if "\r" not in text:
        return text, spans
    new_position = []  # new_position[i]: where old position i lands
    out: list[str] = []
    for i, ch in enumerate(text):
        new_position.append(len(out))
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                continue
            out.append("\n")
        else:
            out.append(ch)
    new_position.append(len(out))
    return "".join(out), [UndoneSpan(new_position[s.start], new_position[s.end], s.kind, s.original)
                          for s in spans]
