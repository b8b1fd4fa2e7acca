"""Broken JSON Lines batches: every bad line is its own error record naming file:line; blank lines are
skipped and not counted; the good lines are scored; exit code 3."""

import json

import pytest

from conftest import REPO
from record_contract import assert_error, assert_valid_record, score_cli

ARTICLE = (REPO / "data" / "examples" / "original.txt").read_text(encoding="utf-8")
GOOD = json.dumps({"id": "good", "text": ARTICLE})


@pytest.mark.parametrize("line, kind", [
    ("{not json", "invalid_json"),
    ('{"text": "unterminated', "invalid_json"),
    ("[1, 2, 3]", "invalid_record"),
    ('"just a string"', "invalid_record"),
    ("42", "invalid_record"),
    ("null", "invalid_record"),
    ('{"id": "q"}', "missing_text"),
    ('{"id": "q", "text": null, "html": null}', "missing_text"),
    ('{"text": 42}', "invalid_text"),
    ('{"text": ["a", "list"]}', "invalid_text"),
    ('{"html": {"nested": true}}', "invalid_text"),
    ('{"text": "   \\n  "}', "empty"),
    ('{"text": ""}', "empty"),
    ('{"html": "<html><script>x()</script></html>"}', "no_text"),
])
def test_bad_line_is_an_error_record_naming_file_and_line(tiny_model_dir, tmp_path, line, kind):
    path = tmp_path / "batch.jsonl"
    path.write_text(f"{GOOD}\n{line}\n{GOOD}\n", encoding="utf-8")
    code, records = score_cli([str(path)], tiny_model_dir)
    assert code == 3
    assert len(records) == 3
    assert records[0]["error"] is None and records[2]["error"] is None
    if kind == "no_text":  # fails after extraction: the message names the line through its input
        assert_error(records[1], kind)
        assert records[1]["input"] == f"{path}:2"
    else:
        assert_error(records[1], kind, f"{path}:2")


def test_blank_lines_are_skipped_and_not_counted(tiny_model_dir, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(f"\n{GOOD}\n   \n\t\n{{broken\n\n", encoding="utf-8")
    code, records = score_cli([str(path)], tiny_model_dir)
    assert code == 3
    assert len(records) == 2
    assert records[0]["error"] is None
    assert_error(records[1], "invalid_json", f"{path}:5")  # line numbers count the blank lines


def test_invalid_utf8_and_nul_bytes_inside_one_line(tiny_model_dir, tmp_path):
    path = tmp_path / "batch.jsonl"
    latin1_line = json.dumps({"id": "l1", "text": ARTICLE + " caf\u00e9"}, ensure_ascii=False).encode("cp1252")
    nul_line = b'{"id": "nul", "text": "' + b"\x00" * 40 + b'"}'
    escaped_nul = json.dumps({"id": "escaped", "text": ARTICLE.replace(". ", ".\u0000 ")}).encode()
    surrogate = json.dumps({"id": "\udc80", "text": ARTICLE + " \ud800"}).encode()
    path.write_bytes(b"\n".join([GOOD.encode(), latin1_line, nul_line, escaped_nul, surrogate]) + b"\n")
    code, records = score_cli([str(path)], tiny_model_dir)
    assert code == 3
    assert len(records) == 5
    for record in records:
        assert_valid_record(record)
    assert [r["error"] is None for r in records] == [True, True, False, True, True]
    assert records[2]["error"]["type"] in {"binary", "invalid_json"}
    assert f"{path}:3" in records[2]["error"]["message"]
    assert records[3]["label"] == records[0]["label"]  # escaped NULs are dropped, not scored


def test_non_string_ids_fall_back_to_file_and_line(tiny_model_dir, tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [{"id": 7, "text": ARTICLE}, {"id": True, "text": ARTICLE}, {"id": {"x": 1}, "text": ARTICLE},
             {"id": None, "text": ARTICLE}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, records = score_cli([str(path)], tiny_model_dir)
    assert code == 0
    assert [r["id"] for r in records] == ["7", f"{path}:2", f"{path}:3", f"{path}:4"]


def test_only_bad_lines_still_give_one_record_each(tiny_model_dir, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text("{\n[\n{}\n", encoding="utf-8")
    code, records = score_cli([str(path)], tiny_model_dir)
    assert code == 3
    assert [r["error"]["type"] for r in records] == ["invalid_json", "invalid_json", "missing_text"]


def test_stdin_jsonl_with_bad_lines(tiny_model_dir):
    code, records = score_cli(["-"], tiny_model_dir, input=f"{GOOD}\n{{\"text\": 5}}\n")
    assert code == 3
    assert records[0]["error"] is None
    assert_error(records[1], "invalid_text", "-:2")
