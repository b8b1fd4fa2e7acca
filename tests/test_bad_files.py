"""Hostile files: empty, binary, stray NULs, missing, unreadable, FIFOs, sockets, mixed directories.

Contract (issue 5): one record per document, an error record naming the file for each failure, the rest
scored, exit code 3 when anything failed, never a traceback.
"""

import json
import os
import pathlib
import socket
import sys

import pytest

from conftest import REPO
from record_contract import assert_error, assert_valid_record, score_cli
from spindetect import Detector

ARTICLE = (REPO / "data" / "examples" / "original.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("content, kind", [
    (b"", "empty"),
    (b"   \n\t\r\n  ", "empty"),
    (b"\x00" * 500, "binary"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00>\x00", "binary"),
    (b"\xff\xfe\x00\xd8", "encoding"),  # UTF-16 BOM, then a lone high surrogate
])
def test_broken_file_gets_an_error_record_naming_it(tiny_model_dir, tmp_path, content, kind):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    code, records = score_cli([str(bad), str(good)], tiny_model_dir)
    assert code == 3
    assert len(records) == 2
    assert_error(records[0], kind, str(bad))
    assert_valid_record(records[1]) and records[1]["score"] is not None


def test_a_few_stray_nul_bytes_are_dropped_not_fatal(tiny_model_dir, tmp_path):
    clean, dirty = tmp_path / "clean.txt", tmp_path / "dirty.txt"
    clean.write_text(ARTICLE, encoding="utf-8")
    dirty.write_bytes(ARTICLE.encode("utf-8").replace(b". ", b".\x00 ", 2))
    code, (a, b) = score_cli([str(clean), str(dirty)], tiny_model_dir)
    assert code == 0
    assert a["error"] is None and b["error"] is None
    assert a["label"] == b["label"] and abs(a["score"] - b["score"]) < 0.05


def test_missing_path_and_missing_directory(tiny_model_dir, tmp_path):
    code, records = score_cli([str(tmp_path / "nope.txt"), str(tmp_path / "no-dir" / "x.html")], tiny_model_dir)
    assert code == 3
    assert_error(records[0], "not_found", "nope.txt")
    assert_error(records[1], "not_found", "x.html")


def test_permission_denied_via_open(tiny_model_dir, tmp_path, monkeypatch):
    """Root reads everything, so simulate the kernel refusing (this runs in CI as root too)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    real_os_open, real_path_open = os.open, pathlib.Path.open

    def refuse(path):
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", lambda path, *a, **k: refuse(path) or real_os_open(path, *a, **k))
    monkeypatch.setattr(pathlib.Path, "open", lambda self, *a, **k: refuse(self) or real_path_open(self, *a, **k))
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    code, records = score_cli([str(secret), str(good)], tiny_model_dir)
    assert code == 3
    assert_error(records[0], "unreadable", str(secret))
    assert records[1]["error"] is None


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_for_real(tiny_model_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    secret.chmod(0)
    code, (record,) = score_cli([str(secret)], tiny_model_dir)
    assert code == 3
    assert_error(record, "unreadable", str(secret))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_instead_of_blocking_forever(tiny_model_dir, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code, (record,) = score_cli([str(fifo)], tiny_model_dir)  # hung forever before readers checked the type
    assert code == 3
    assert_error(record, "unreadable", str(fifo))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs unix sockets")
def test_socket_and_device_are_refused(tiny_model_dir, tmp_path):
    sock_path = tmp_path / "sock.txt"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        code, records = score_cli([str(sock_path), os.devnull], tiny_model_dir)
    assert code == 3
    assert_error(records[0], "unreadable", str(sock_path))
    assert_error(records[1], "unreadable", os.devnull)


def test_directory_with_mixed_content_gives_one_record_per_document(tiny_model_dir, tmp_path):
    root = tmp_path / "mixed"
    (root / "sub").mkdir(parents=True)
    (root / "a_good.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "b_empty.md").write_bytes(b"")
    (root / "c_binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "d_page.html").write_text(f"<html><body><article><p>{ARTICLE}</p></article></body></html>",
                                      encoding="utf-8")
    (root / "e_script_only.html").write_text("<html><body><script>var a = 1;</script></body></html>",
                                             encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\x00\x00")  # not a document type: passed over
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    (root / "sub" / "f_batch.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n{broken\n", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "sub" / "g_pipe.txt")
    (root / "sub" / "h_latin1.txt").write_bytes(ARTICLE.replace("centre", "caf\u00e9 centre").encode("cp1252"))
    code, records = score_cli([str(root)], tiny_model_dir)
    assert code == 3
    for record in records:
        assert_valid_record(record)
    outcome = {os.path.relpath(r["input"], root): (r["error"] or {}).get("type") for r in records}
    expected = {"a_good.txt": None, "b_empty.md": "empty", "c_binary.txt": "binary", "d_page.html": None,
                "e_script_only.html": "no_text", "sub/f_batch.jsonl:1": None,
                "sub/f_batch.jsonl:2": "invalid_json", "sub/h_latin1.txt": None}
    if hasattr(os, "mkfifo"):
        expected["sub/g_pipe.txt"] = "unreadable"
    assert outcome == expected


def test_internal_error_in_one_document_becomes_its_record(tiny_model_dir, monkeypatch):
    detector = Detector.load(tiny_model_dir)
    family = next(f for f in detector.model.families if f.name == "stylometry")
    real_extract = family.extract

    def exploding(doc):
        if "EXPLODE" in doc.text:
            raise ZeroDivisionError("simulated extractor bug")
        return real_extract(doc)

    monkeypatch.setattr(family, "extract", exploding)
    verdicts = list(detector.score_many([ARTICLE, ARTICLE + " EXPLODE", ARTICLE]))
    assert [v.ok for v in verdicts] == [True, False, True]
    record = verdicts[1].to_record()
    assert_error(record, "internal", "doc-1")
    assert verdicts[0].to_record()["score"] == verdicts[2].to_record()["score"]


def test_internal_error_through_the_cli_exits_3_with_an_error_record(tiny_model_dir, tmp_path, monkeypatch):
    from spindetect.features.stylometry import Stylometry

    real_extract = Stylometry.extract

    def exploding(self, doc):
        if "EXPLODE" in doc.text:
            raise RuntimeError("simulated extractor bug")
        return real_extract(self, doc)

    monkeypatch.setattr(Stylometry, "extract", exploding)
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad.write_text(ARTICLE + " EXPLODE", encoding="utf-8")
    code, records = score_cli([str(good), str(bad)], tiny_model_dir)
    assert code == 3
    assert records[0]["error"] is None
    assert_error(records[1], "internal", str(bad))


def test_undecodable_file_name_is_written_not_crashed_on(tiny_model_dir, tmp_path):
    """A file name that is not UTF-8 reaches Python as lone surrogates; the record must still be written."""
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    code, (record,) = score_cli([str(tmp_path / name)], tiny_model_dir)
    assert code == 0
    assert_valid_record(record)
    assert "caf" in record["id"] and record["score"] is not None
