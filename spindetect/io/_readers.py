"""Turn command-line inputs into documents to score, one item per document, failures included.

Every document the user gave us yields exactly one `InputItem`: either its raw text/HTML, or an error that
names the file (and line, for JSONL). Nothing here raises for a bad input; the batch always goes on.

Input kinds: `.txt`/`.md` (one document), `.html`/`.htm` (one page), `.jsonl` (one document per line:
`{"id"?, "text"}` or `{"id"?, "html"}`), `.rss`/`.atom` saved feeds (one document per entry; `.xml` too
when named explicitly: `_feeds.py`), a directory (read recursively; files with other endings are passed
over), and `-` for standard input (JSONL, HTML or plain text, told apart by content). A file named
explicitly with another ending is read as plain text.
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import DocumentError
from ._decoding import decode_bytes
from ._feeds import EXPLICIT_FEED_SUFFIXES, FEED_SUFFIXES, items_from_feed
from ._records import InputItem, item_from_record, looks_like_html

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES

# Bytes read from one text or HTML file. Longer files are read to this bound and marked truncated, so a
# multi-gigabyte file cannot exhaust memory.
DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024


def iter_inputs(inputs: list[str], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                stdin: BinaryIO | None = None) -> Iterator[InputItem]:
    """Yield one item per document found in `inputs` (paths, directories or "-"), in order."""
    for spec in inputs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream, max_file_bytes)
            continue
        path = Path(spec)
        if path.is_dir():
            yield from _read_directory(path, max_file_bytes)
        else:
            yield from read_file(path, max_file_bytes)


def _read_directory(root: Path, max_file_bytes: int) -> Iterator[InputItem]:
    # os.walk (not Path.rglob) so that an unreadable subdirectory becomes an error record instead of an
    # exception, and so that symlinked directories (possible loops) are not followed.
    walk_errors: list[OSError] = []
    found = 0
    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_errors.append):
        yield from _unreadable_directories(walk_errors)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix.lower() in KNOWN_SUFFIXES:
                found += 1
                yield from read_file(path, max_file_bytes)
    yield from _unreadable_directories(walk_errors)
    if not found:
        # A named directory holding nothing we read is almost always a wrong path or wrong file endings; a
        # silent run with zero records and exit 0 would hide that from a pipeline.
        name = str(root)
        endings = ", ".join(sorted(KNOWN_SUFFIXES))
        yield InputItem(name, name, error=DocumentError("no_documents", f"{name}: no {endings} files in directory"))


def _unreadable_directories(walk_errors: list[OSError]) -> Iterator[InputItem]:
    while walk_errors:
        exc = walk_errors.pop(0)
        name = str(exc.filename)
        yield InputItem(name, name, error=DocumentError("unreadable", f"{name}: {exc.strerror or exc}"))


def read_file(path: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[InputItem]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with _open_regular_file(path) as stream:
                yield from _read_jsonl(stream, name, max_file_bytes)
            return
        with _open_regular_file(path) as stream:
            data = stream.read(max_file_bytes + 1)
    except DocumentError as exc:
        yield InputItem(name, name, error=exc)
        return
    except FileNotFoundError:
        yield InputItem(name, name, error=DocumentError("not_found", f"{name}: no such file or directory"))
        return
    except PermissionError:
        yield InputItem(name, name, error=DocumentError("unreadable", f"{name}: permission denied"))
        return
    except OSError as exc:
        yield InputItem(name, name, error=DocumentError("unreadable", f"{name}: {exc.strerror or exc}"))
        return
    truncated = len(data) > max_file_bytes
    if suffix in EXPLICIT_FEED_SUFFIXES:
        if truncated:  # half a feed does not parse; say why rather than "not a feed"
            yield InputItem(name, name, error=DocumentError(
                "too_large", f"{name}: feed larger than {max_file_bytes:,} bytes; not read"))
            return
        yield from items_from_feed(data, name)
        return
    yield _item_from_bytes(name, name, data[:max_file_bytes], is_html=suffix in HTML_SUFFIXES,
                           truncated=truncated)


def _open_regular_file(path: Path) -> BinaryIO:
    """Open a regular file for reading; refuse FIFOs, sockets and devices with a DocumentError.

    The file is opened non-blocking and checked with fstat on the open descriptor: a plain `open()` of a
    FIFO with no writer blocks forever (one stray named pipe in a directory would hang the whole batch),
    and checking the path before opening it would race with the file being swapped.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DocumentError("unreadable", f"{path}: not a regular file (a FIFO, socket, device or directory)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _item_from_bytes(doc_id: str, source: str, data: bytes, *, is_html: bool | None,
                     truncated: bool = False) -> InputItem:
    try:
        text = decode_bytes(data, source)
    except DocumentError as exc:
        return InputItem(doc_id, source, error=exc)
    if not text.strip():
        return InputItem(doc_id, source, error=DocumentError("empty", f"{source}: empty document"))
    if is_html is None:
        is_html = looks_like_html(text)
    if is_html:
        return InputItem(doc_id, source, html=text, truncated=truncated)
    return InputItem(doc_id, source, text=text, truncated=truncated)


def _read_stream(stream: BinaryIO, max_file_bytes: int) -> Iterator[InputItem]:
    """Standard input. JSONL is read line by line to the end (a stream of documents has no size bound, only
    each line has); anything else is one document, read to the file bound."""
    try:
        data = stream.read(max_file_bytes + 1)
    except OSError as exc:
        yield InputItem("-", "-", error=DocumentError("unreadable", f"stdin: {exc}"))
        return
    if _looks_like_jsonl(data):
        rest = _PrefixedStream(data, stream)
        yield from _read_jsonl_lines(_bounded_lines(rest, max_file_bytes), "-", max_file_bytes)
        return
    yield _item_from_bytes("-", "-", data[:max_file_bytes], is_html=None, truncated=len(data) > max_file_bytes)


class _PrefixedStream:
    """`readline` over bytes already read (to sniff the format) followed by the rest of the stream."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = io.BytesIO(prefix)
        self._stream = stream

    def readline(self, limit: int = -1) -> bytes:
        line = self._prefix.readline(limit)
        if line.endswith(b"\n") or (limit >= 0 and len(line) >= limit):
            return line
        return line + self._stream.readline(limit - len(line) if limit >= 0 else -1)


def _looks_like_jsonl(data: bytes) -> bool:
    first = next((line.strip() for line in data.splitlines() if line.strip()), b"")
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _read_jsonl(stream: BinaryIO, name: str, max_line_bytes: int) -> Iterator[InputItem]:
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 JSONL cannot be split on b"\n" before decoding
        try:
            lines = [line.encode("utf-8") for line in decode_bytes(stream.read(), name).splitlines(keepends=True)]
        except DocumentError as exc:
            yield InputItem(name, name, error=exc)
            return
        yield from _read_jsonl_lines(lines, name, max_line_bytes)
    else:
        yield from _read_jsonl_lines(_bounded_lines(stream, max_line_bytes), name, max_line_bytes)


def _read_jsonl_lines(lines: Iterable[bytes | _OverlongLine], name: str, max_line_bytes: int) -> Iterator[InputItem]:
    for lineno, raw in enumerate(lines, start=1):
        where = f"{name}:{lineno}"
        if raw is _OVERLONG_LINE:
            yield InputItem(where, where, error=DocumentError(
                "line_too_long", f"{where}: JSONL line longer than {max_line_bytes:,} bytes; skipped"))
            continue
        if not raw.strip():
            continue  # blank lines are not documents: skipped, not counted
        yield _item_from_json_line(raw, where, lineno == 1)


class _OverlongLine:
    """Stands in for a JSONL line longer than the bound; its bytes were skipped, never held in memory."""


_OVERLONG_LINE = _OverlongLine()
_SKIP_CHUNK = 1 << 20


def _bounded_lines(stream: BinaryIO, max_line_bytes: int) -> Iterator[bytes | _OverlongLine]:
    """The stream's lines, each at most `max_line_bytes` long (plus its newline). A longer line is read past in
    chunks and yields `_OVERLONG_LINE` in its place, so a single giant line costs bounded memory and still
    gets its own error record, and the lines after it are read as usual."""
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            return
        if len(line) <= max_line_bytes or line.endswith(b"\n"):
            yield line
            continue
        while not line.endswith(b"\n"):
            line = stream.readline(_SKIP_CHUNK)
            if not line:
                break
        yield _OVERLONG_LINE


def _item_from_json_line(raw: bytes, where: str, first: bool) -> InputItem:
    try:
        line = decode_bytes(raw.lstrip(b"\xef\xbb\xbf") if first else raw, where)
        record = json.loads(line)
    except DocumentError as exc:
        return InputItem(where, where, error=exc)
    except ValueError as exc:
        return InputItem(where, where, error=DocumentError("invalid_json", f"{where}: invalid JSON: {exc}"))
    return item_from_record(record, where)
