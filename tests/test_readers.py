import io
import json
import os

import pytest

from spindetect.io import iter_inputs


def _items(paths, **kw):
    return list(iter_inputs([str(p) for p in paths], **kw))


def test_text_html_and_jsonl_files(tmp_path):
    (tmp_path / "a.txt").write_text("A plain article.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>A page.</p></body></html>", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "text": "first"}) + "\n\n" + json.dumps({"html": "<p>second</p>"}) + "\n",
        encoding="utf-8")
    items = _items([tmp_path / "a.txt", tmp_path / "b.html", tmp_path / "c.jsonl"])
    assert [(i.id, i.text is not None, i.html is not None) for i in items] == [
        (str(tmp_path / "a.txt"), True, False),
        (str(tmp_path / "b.html"), False, True),
        ("x1", True, False),
        (f"{tmp_path / 'c.jsonl'}:3", False, True),  # blank line 2 skipped, id falls back to path:lineno
    ]


def test_directory_is_read_recursively_in_order_and_other_files_skipped(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.md").write_text("zed", encoding="utf-8")
    (tmp_path / "a.txt").write_text("ay", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    assert [os.path.basename(i.id) for i in _items([tmp_path])] == ["a.txt", "z.md"]


@pytest.mark.parametrize("line, kind", [
    ("{not json", "invalid_json"),
    ("[1, 2]", "invalid_record"),
    ('{"id": "q"}', "missing_text"),
    ('{"text": 42}', "invalid_text"),
    ('{"text": "   "}', "empty"),
])
def test_bad_jsonl_lines_become_error_items_naming_file_and_line(tmp_path, line, kind):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"text": "good"}) + "\n" + line + "\n", encoding="utf-8")
    good, bad = _items([path])
    assert good.error is None
    assert bad.error.kind == kind
    assert f"{path}:2" in bad.error.message


def test_missing_empty_and_binary_files(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 8)
    items = _items([tmp_path / "nope.txt", tmp_path / "empty.txt", tmp_path / "bin.txt"])
    assert [i.error.kind for i in items] == ["not_found", "empty", "binary"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    assert _items([path])[0].error.kind == "unreadable"


def test_large_file_is_read_to_a_bound_and_marked_truncated(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    (item,) = _items([path], max_file_bytes=100)
    assert item.truncated and len(item.text) == 100


@pytest.mark.parametrize("payload, expect_html, expect_count", [
    (b"Just some text from a pipe.", False, 1),
    (b"<html><body><p>piped page</p></body></html>", True, 1),
    (b'{"text": "one"}\n{"text": "two"}\n', False, 2),
])
def test_stdin_is_sniffed(payload, expect_html, expect_count):
    items = list(iter_inputs(["-"], stdin=io.BytesIO(payload)))
    assert len(items) == expect_count
    assert (items[0].html is not None) == expect_html


def test_utf16_jsonl(tmp_path):
    path = tmp_path / "u16.jsonl"
    path.write_bytes(("\ufeff" + json.dumps({"id": "u", "text": "caf\u00e9"}) + "\n").encode("utf-16-le"))
    (item,) = _items([path])
    assert item.id == "u" and item.text == "caf\u00e9"


@pytest.mark.parametrize("contents", [{}, {"notes.csv": b"a,b\n", "img.png": b"\x89PNG"}])
def test_directory_with_nothing_readable_is_one_error_record(tmp_path, contents):
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    (item,) = _items([tmp_path])
    assert item.id == str(tmp_path)
    assert item.error.kind == "no_documents" and ".jsonl" in item.error.message


def _jsonl(*texts: str) -> bytes:
    return b"".join(json.dumps({"id": f"d{i}", "text": t}).encode() + b"\n" for i, t in enumerate(texts))


@pytest.mark.parametrize("from_stdin", [False, True])
def test_overlong_jsonl_line_is_skipped_with_its_own_record_and_later_lines_still_read(tmp_path, from_stdin):
    payload = _jsonl("short one", "x" * 5000, "short two")
    if from_stdin:
        items = list(iter_inputs(["-"], stdin=io.BytesIO(payload), max_file_bytes=1000))
        name = "-"
    else:
        path = tmp_path / "batch.jsonl"
        path.write_bytes(payload)
        items = _items([path], max_file_bytes=1000)
        name = str(path)
    assert [(i.id, i.error.kind if i.error else None) for i in items] == [
        ("d0", None), (f"{name}:2", "line_too_long"), ("d2", None)]
    assert items[2].text == "short two"


def test_line_exactly_at_the_bound_is_kept(tmp_path):
    line = json.dumps({"text": "y" * 50}).encode()
    path = tmp_path / "edge.jsonl"
    path.write_bytes(line + b"\n" + line)  # the last line has no newline
    items = _items([path], max_file_bytes=len(line))
    assert [i.error for i in items] == [None, None]


def test_stdin_jsonl_longer_than_the_file_bound_is_read_to_the_end():
    texts = [f"document number {n}" for n in range(200)]
    payload = _jsonl(*texts)
    items = list(iter_inputs(["-"], stdin=io.BytesIO(payload), max_file_bytes=500))
    assert len(payload) > 10 * 500
    assert [i.text for i in items] == texts
