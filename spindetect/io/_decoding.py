"""Bytes to text: BOMs first, then strict UTF-8, then a detected legacy encoding.

Order matters: a BOM is an explicit declaration and wins; UTF-8 is what the web mostly sends and strict
decoding rarely succeeds by accident; only then do we ask charset-normalizer to guess (Latin-1,
Windows-1252, ...). Binary files are refused rather than scored as mojibake.
"""

from __future__ import annotations

import codecs

from ..errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A text file may carry a stray NUL or two (a broken export); past this share it is a binary file.
_MAX_NUL_SHARE = 0.01


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode one document's bytes, or raise DocumentError("binary"/"encoding")."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError("encoding", f"{name}: declares {encoding} by its BOM but does not decode: {exc}")
    if data.count(0) > max(2, len(data) * _MAX_NUL_SHARE):
        raise DocumentError("binary", f"{name}: looks binary ({data.count(0)} NUL bytes in {len(data)} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, name)


def _decode_legacy(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes  # imported here: only legacy-encoded inputs pay for it

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise DocumentError("binary", f"{name}: not text in any known encoding")
    encoding = best.encoding
    # charset-normalizer often names a close cousin of Windows-1252 for Western text; 1252 is the superset
    # browsers use for "latin-1" pages, so prefer it when it decodes.
    if encoding in ("latin_1", "iso8859_15", "cp1250") and _decodes(data, "cp1252"):
        encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False
